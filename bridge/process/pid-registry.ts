// Pid files for every program the bridge starts, with the program's name and start time, so a
// bridge that was killed (-9, crash) leaves a trail the next one follows to end what it left behind:
// never two relays pushing to one destination, never two nginx on the ingest port.

import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import psList from "ps-list";
import { execa } from "execa";
import { killGroup, killTree } from "./child-process.js";

export interface PidRecord {
  pid: number;
  /** Program name as the OS lists it (ffmpeg, nginx, stunnel). */
  program: string;
  /** Linux: the process start time in clock ticks since boot (field 22 of /proc/PID/stat). */
  startTicks?: number;
}

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

/** True when `record` still names the same running program (not a reused pid). */
export function isSameProcess(record: PidRecord, listed: { pid: number; name: string; cmd?: string } | undefined, startTicks: number | undefined): boolean {
  if (!listed) return false;
  if (!`${listed.name} ${listed.cmd ?? ""}`.toLowerCase().includes(record.program.toLowerCase())) return false;
  if (record.startTicks !== undefined && startTicks !== undefined && record.startTicks !== startTicks) return false;
  return true;
}

export class PidRegistry {
  constructor(private readonly dir: string) {}

  /** Notes that `label` (e.g. relay-youtube) runs as `pid`. */
  async record(label: string, program: string, pid: number): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const record: PidRecord = { pid, program, startTicks: processStartTicks(pid) };
    await writeFile(this.#file(label), JSON.stringify(record));
  }

  async release(label: string): Promise<void> {
    await rm(this.#file(label), { force: true });
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
    const listed = new Map((await psList()).map((entry) => [entry.pid, entry]));
    const groups = await listProcessGroups();
    const ended: Array<{ label: string; pid: number; program: string }> = [];
    const order = (name: string) => (name.startsWith("relay-") ? 0 : 1);
    for (const name of names.sort((a, b) => order(a) - order(b))) {
      const label = name.slice(0, -5);
      try {
        const record = JSON.parse(await readFile(join(this.dir, name), "utf8")) as PidRecord;
        if (!Number.isInteger(record.pid) || record.pid === process.pid) continue;
        const leader = isSameProcess(record, listed.get(record.pid), processStartTicks(record.pid));
        // Children a dead leader left behind (nginx workers) keep its process group.
        const orphans = groups.filter((entry) => entry.pgid === record.pid && entry.pid !== record.pid && entry.comm.includes(record.program));
        if (leader) {
          await killTree(record.pid, "SIGKILL");
          killGroup(record.pid);
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
