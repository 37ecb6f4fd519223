import { describe, expect, it } from "vitest";
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { isSameProcess, isSameWindowsProcess, PidRegistry, processStartStamp, type PidRecord } from "../../../bridge/process/pid-registry.js";
import { parseWindowsProcesses, type WindowsProcess } from "../../../bridge/process/windows-processes.js";

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

describe("pid records on macOS (platform injected; the start time as ps prints it)", () => {
  it("match only the process with the recorded start time; older records without one by name", () => {
    const listed = { pid: 42, name: "nginx" };
    const record: PidRecord = { pid: 42, program: "nginx", started: "Mon Nov 30 13:00:49 2026" };
    expect(isSameProcess(record, listed, undefined, "Mon Nov 30 13:00:49 2026")).toBe(true);
    expect(isSameProcess(record, listed, undefined, "Mon Nov 30 14:12:03 2026")).toBe(false);
    expect(isSameProcess(record, listed, undefined, undefined)).toBe(false);
    expect(isSameProcess({ pid: 42, program: "nginx" }, listed, undefined, undefined)).toBe(true);
  });

  it("read the start time from the real ps (same output format on macOS and procps)", async () => {
    expect(await processStartStamp(process.pid)).toMatch(/^\w{3} \w{3} +\d+ \d\d:\d\d:\d\d \d{4}$/);
    expect(await processStartStamp(GONE)).toBeUndefined();
  });

  it("record the start time, and end a leftover only while it is the same", async () => {
    const dir = await mkdtemp(join(tmpdir(), "relay-pids-"));
    const sleeper = spawn("sleep", ["30"], { stdio: "ignore" });
    try {
      let stamp = "Mon Nov 30 13:00:49 2026";
      const killed: number[] = [];
      const options = { platform: "darwin" as const, startStamp: async () => stamp, killTree: async (pid: number) => void killed.push(pid) };
      await new PidRegistry(dir, options).record("relay-a", "sleep", sleeper.pid!);
      expect(JSON.parse(await readFile(join(dir, "relay-a.json"), "utf8"))).toMatchObject({ started: stamp });
      // The pid now belongs to a process started later: left alone.
      stamp = "Mon Nov 30 14:12:03 2026";
      expect(await new PidRegistry(dir, options).endLeftovers()).toEqual([]);
      expect(killed).toEqual([]);
      // The same process: ended.
      stamp = "Mon Nov 30 13:00:49 2026";
      await new PidRegistry(dir, options).record("relay-a", "sleep", sleeper.pid!);
      expect(await new PidRegistry(dir, options).endLeftovers()).toEqual([{ label: "relay-a", pid: sleeper.pid, program: "sleep" }]);
      expect(killed).toEqual([sleeper.pid]);
    } finally {
      sleeper.kill("SIGKILL");
      await rm(dir, { recursive: true, force: true });
    }
  });
});
