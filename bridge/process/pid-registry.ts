// Pid files for every program the bridge starts, with the program's name and start time, so a
// bridge that was killed (-9, crash) leaves a trail the next one follows to end what it left behind:
// never two relays pushing to one destination, never two nginx on the ingest port. A record is only
// acted on when the process behind its pid is provably the one recorded (Linux: its start ticks;
// macOS: its start time from ps; Windows: created before the record was written), so a later program that got the pid is left alone.

import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import psList from "ps-list";
import { execa } from "execa";
import { killGroup, killTree } from "./child-process.js";
import { listWindowsProcesses, type WindowsProcess } from "./windows-processes.js";

export interface PidRecord {
  pid: number;
  /** Program name as the OS lists it (ffmpeg, nginx, stunnel). */
  program: string;
  /** Linux: the process start time in clock ticks since boot (field 22 of /proc/PID/stat). */
  startTicks?: number;
  /** When the record was written (ms since the epoch), just after the program was spawned. */
  recordedAt?: number;
  /** macOS: the process start time as `ps -o lstart=` prints it. */
  started?: string;
}

/** Windows creation times are read at a coarser grain than Date.now(): this much is allowed. */
const CREATION_SLACK_MS = 50;

/** The start time of a process as Linux records it, or undefined elsewhere. */
export function processStartTicks(pid: number): number | undefined {
  if (process.platform !== "linux") return undefined;
  try {
    return parseStartTicks(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return undefined;
  }
}

/** Field 22 (starttime) of a /proc/PID/stat line; the command name may contain spaces and parentheses. */
export function parseStartTicks(stat: string): number | undefined {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const value = Number(fields[19]);
  return Number.isFinite(value) ? value : undefined;
}

/** macOS (and other POSIX without /proc): the start time `ps` prints for `pid`, or undefined. */
export async function processStartStamp(pid: number): Promise<string | undefined> {
  const { stdout, exitCode } = await execa("ps", ["-o", "lstart=", "-p", String(pid)], { reject: false });
  const stamp = String(stdout).trim();
  return exitCode === 0 && stamp !== "" ? stamp : undefined;
}

/**
 * True when `record` still names the same running program (not a reused pid): its name, and its start
 * time where the record has one (Linux: start ticks; macOS: ps's lstart).
 */
export function isSameProcess(
  record: PidRecord,
  listed: { pid: number; name: string; cmd?: string } | undefined,
  startTicks: number | undefined,
  started?: string,
): boolean {
  if (!listed) return false;
  if (!`${listed.name} ${listed.cmd ?? ""}`.toLowerCase().includes(record.program.toLowerCase())) return false;
  if (record.startTicks !== undefined && startTicks !== undefined && record.startTicks !== startTicks) return false;
  if (record.started !== undefined && record.started !== started) return false;
  return true;
}

/**
 * Windows: true only when `listed` is the recorded program and was created before the record was
 * written. A pid Windows reused belongs to a process created after ours ended, so it never matches;
 * without a creation time (or a record without `recordedAt`) nothing can be proved: false.
 */
export function isSameWindowsProcess(record: PidRecord, listed: WindowsProcess | undefined): boolean {
  if (!listed || record.recordedAt === undefined) return false;
  if (!listed.name.toLowerCase().includes(record.program.toLowerCase())) return false;
  return listed.createdAt <= record.recordedAt + CREATION_SLACK_MS;
}

/** What the registry needs from the OS; injected in tests. */
export interface PidRegistryOptions {
  platform?: NodeJS.Platform;
  now?: () => number;
  /** Windows: every process with its creation time, or null when that cannot be read. */
  windowsProcesses?: () => Promise<Map<number, WindowsProcess> | null>;
  /** Ends a process and its children. */
  killTree?: (pid: number) => Promise<void>;
  /** macOS: a process's start time as ps prints it. */
  startStamp?: (pid: number) => Promise<string | undefined>;
  /** Told of a recorded process that runs but could not be proved to be the recorded one. */
  onUnverified?: (record: PidRecord & { label: string }) => void;
}

export class PidRegistry {
  /** The last write or removal of each label's record: they run in order and can be awaited. */
  readonly #pending = new Map<string, Promise<void>>();
  readonly #platform: NodeJS.Platform;
  readonly #now: () => number;

  constructor(
    private readonly dir: string,
    private readonly options: PidRegistryOptions = {},
  ) {
    this.#platform = options.platform ?? process.platform;
    this.#now = options.now ?? Date.now;
  }

  /** Notes that `label` (e.g. relay-youtube) runs as `pid`. */
  record(label: string, program: string, pid: number): Promise<void> {
    const recordedAt = this.#now();
    return this.#queue(label, async () => {
      await mkdir(this.dir, { recursive: true });
      const record: PidRecord = { pid, program, startTicks: processStartTicks(pid), recordedAt };
      if (this.#platform === "darwin") record.started = await (this.options.startStamp ?? processStartStamp)(pid);
      await writeFile(this.#file(label), JSON.stringify(record));
    });
  }

  /** Forgets `label`'s record (after a write still under way for it). */
  release(label: string): Promise<void> {
    return this.#queue(label, () => rm(this.#file(label), { force: true }));
  }

  /** Resolves when every record written or removed so far is on disk: await before the bridge exits. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending.values());
  }

  #queue(label: string, operation: () => Promise<void>): Promise<void> {
    const next = (this.#pending.get(label) ?? Promise.resolve()).then(operation, operation).catch(() => undefined);
    this.#pending.set(label, next);
    void next.then(() => {
      if (this.#pending.get(label) === next) this.#pending.delete(label);
    });
    return next;
  }

  /**
   * Ends every process a previous bridge recorded that still runs (relays first, so none outlives
   * its nginx and pushes twice), clears the records, and says what it ended.
   */
  async endLeftovers(): Promise<Array<{ label: string; pid: number; program: string }>> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((name) => name.endsWith(".json"));
    } catch {
      return [];
    }
    const windows = this.#platform === "win32";
    const listed = windows ? new Map() : new Map((await psList()).map((entry) => [entry.pid, entry]));
    const windowsListed = windows ? await (this.options.windowsProcesses ?? listWindowsProcesses)() : null;
    const groups = windows ? [] : await listProcessGroups();
    const kill = this.options.killTree ?? ((pid: number) => killTree(pid, "SIGKILL"));
    const ended: Array<{ label: string; pid: number; program: string }> = [];
    const order = (name: string) => (name.startsWith("relay-") ? 0 : 1);
    for (const name of names.sort((a, b) => order(a) - order(b))) {
      const label = name.slice(0, -5);
      try {
        const record = JSON.parse(await readFile(join(this.dir, name), "utf8")) as PidRecord;
        if (!Number.isInteger(record.pid) || record.pid === process.pid) continue;
        const leader = windows
          ? isSameWindowsProcess(record, windowsListed?.get(record.pid))
          : isSameProcess(
              record,
              listed.get(record.pid),
              processStartTicks(record.pid),
              record.started !== undefined ? await (this.options.startStamp ?? processStartStamp)(record.pid) : undefined,
            );
        if (windows && windowsListed === null && isRunning(record.pid)) this.options.onUnverified?.({ ...record, label });
        // Children a dead leader left behind (nginx workers) keep its process group.
        const orphans = groups.filter((entry) => entry.pgid === record.pid && entry.pid !== record.pid && entry.comm.includes(record.program));
        if (leader) {
          await kill(record.pid);
          if (!windows) killGroup(record.pid);
          ended.push({ label, pid: record.pid, program: record.program });
        } else if (orphans.length > 0) {
          killGroup(record.pid);
          for (const orphan of orphans) ended.push({ label, pid: orphan.pid, program: record.program });
        }
      } catch {
        // unreadable record: nothing to end
      } finally {
        await rm(join(this.dir, name), { force: true });
      }
    }
    for (const { pid } of ended) {
      for (let i = 0; i < 100 && isRunning(pid); i += 1) await sleep(20);
    }
    return ended;
  }

  #file(label: string): string {
    return join(this.dir, `${label.replace(/[^A-Za-z0-9_.-]/g, "_")}.json`);
  }
}

/** Every process with its process group (POSIX `ps`); empty on Windows. */
async function listProcessGroups(): Promise<Array<{ pid: number; pgid: number; comm: string }>> {
  if (process.platform === "win32") return [];
  const { stdout } = await execa("ps", ["-A", "-o", "pid=,pgid=,comm="], { reject: false });
  return parseProcessGroups(String(stdout));
}

/** Parses `ps -A -o pid=,pgid=,comm=` output. */
export function parseProcessGroups(text: string): Array<{ pid: number; pgid: number; comm: string }> {
  return text
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ pid: Number(match[1]), pgid: Number(match[2]), comm: match[3]!.trim() }));
}

/** True when a process with this pid exists (EPERM: it exists, owned by someone else). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
