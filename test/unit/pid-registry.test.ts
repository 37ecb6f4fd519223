import { describe, expect, it } from "vitest";
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isSameWindowsProcess, PidRegistry, type PidRecord } from "../../bridge/process/pid-registry.js";
import { parseWindowsProcesses, type WindowsProcess } from "../../bridge/process/windows-processes.js";

// Pids above Linux's pid_max, so no real process of this machine is ever named.
const OURS = 4_500_001;
const STRANGER = 4_500_002;
const GONE = 4_500_003;

const nginx = (pid: number, createdAt: number): WindowsProcess => ({ pid, name: "nginx.exe", createdAt });

describe("pid records on Windows (platform injected)", () => {
  const record: PidRecord = { pid: OURS, program: "nginx", recordedAt: 1_000_000 };

  it("match the process created before the record was written", () => {
    expect(isSameWindowsProcess(record, nginx(OURS, 999_990))).toBe(true);
  });

  it("never match a later program that got the same pid, even one with the same name", () => {
    expect(isSameWindowsProcess(record, nginx(OURS, 1_000_000 + 5_000))).toBe(false);
    expect(isSameWindowsProcess(record, { pid: OURS, name: "explorer.exe", createdAt: 1 })).toBe(false);
  });

  it("match nothing that cannot be proved: no process, or a record without its time", () => {
    expect(isSameWindowsProcess(record, undefined)).toBe(false);
    expect(isSameWindowsProcess({ pid: OURS, program: "nginx" }, nginx(OURS, 1))).toBe(false);
  });

  it("reads PowerShell's process list, one object or many", () => {
    const many = parseWindowsProcesses(
      '[{"pid":4,"name":"System","created":null},{"pid":812,"name":"nginx.exe","created":"2026-11-30T12:00:00.1234567Z"}]',
    );
    expect([...many!.keys()]).toEqual([812]);
    expect(many!.get(812)).toEqual({ pid: 812, name: "nginx.exe", createdAt: Date.parse("2026-11-30T12:00:00.123Z") });
    expect(parseWindowsProcesses('{"pid":9,"name":"ffmpeg.exe","created":"2026-11-30T12:00:00Z"}')!.get(9)?.name).toBe("ffmpeg.exe");
    expect(parseWindowsProcesses("not json")).toBeNull();
  });

  it("end what an earlier bridge left, and leave a stranger with a reused pid alone", async () => {
    const dir = await mkdtemp(join(tmpdir(), "relay-pids-"));
    try {
      await writeFile(join(dir, "nginx.json"), JSON.stringify({ pid: OURS, program: "nginx", recordedAt: 5_000 }));
      await writeFile(join(dir, "relay-a.json"), JSON.stringify({ pid: STRANGER, program: "ffmpeg", recordedAt: 5_000 }));
      await writeFile(join(dir, "relay-b.json"), JSON.stringify({ pid: GONE, program: "ffmpeg", recordedAt: 5_000 }));
      const killed: number[] = [];
      const registry = new PidRegistry(dir, {
        platform: "win32",
        windowsProcesses: async () =>
          new Map([
            [OURS, nginx(OURS, 4_990)],
            [STRANGER, { pid: STRANGER, name: "ffmpeg.exe", createdAt: 9_000 }],
          ]),
        killTree: async (pid) => void killed.push(pid),
      });
      const ended = await registry.endLeftovers();
      expect(killed).toEqual([OURS]);
      expect(ended).toEqual([{ label: "nginx", pid: OURS, program: "nginx" }]);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("end nothing, and say so, when creation times cannot be read", async () => {
    const dir = await mkdtemp(join(tmpdir(), "relay-pids-"));
    try {
      // A record naming this very test process's parent stands for "a process runs under that pid".
      await writeFile(join(dir, "nginx.json"), JSON.stringify({ pid: process.ppid, program: "nginx", recordedAt: 5_000 }));
      const killed: number[] = [];
      const unverified: string[] = [];
      const registry = new PidRegistry(dir, {
        platform: "win32",
        windowsProcesses: async () => null,
        killTree: async (pid) => void killed.push(pid),
        onUnverified: (record) => unverified.push(record.label),
      });
      expect(await registry.endLeftovers()).toEqual([]);
      expect(killed).toEqual([]);
      expect(unverified).toEqual(["nginx"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("pid records", () => {
  it("are written with the time they were written", async () => {
    const dir = await mkdtemp(join(tmpdir(), "relay-pids-"));
    try {
      const registry = new PidRegistry(dir, { now: () => 1234 });
      await registry.record("nginx", "nginx", process.pid);
      const record = JSON.parse(await readFile(join(dir, "nginx.json"), "utf8")) as PidRecord;
      expect(record).toMatchObject({ pid: process.pid, program: "nginx", recordedAt: 1234 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("are gone once settled when a release follows a record at once, however the writes interleave", async () => {
    const dir = await mkdtemp(join(tmpdir(), "relay-pids-"));
    try {
      await mkdir(dir, { recursive: true });
      const registry = new PidRegistry(dir);
      for (let round = 0; round < 20; round += 1) {
        void registry.record(`relay-${round}`, "ffmpeg", process.pid);
        void registry.release(`relay-${round}`);
      }
      await registry.settled();
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
