// Pid files for every program the bridge starts, with the program's name and start time, so a
// bridge that was killed (-9, crash) leaves a trail the next one follows to end what it left behind:
// never two relays pushing to one destination, never two nginx on the ingest port.

import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import psList from "ps-list";
import { killTree } from "./child-process.js";

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
    const ended: Array<{ label: string; pid: number; program: string }> = [];
    const order = (name: string) => (name.startsWith("relay-") ? 0 : 1);
    for (const name of names.sort((a, b) => order(a) - order(b))) {
      const label = name.slice(0, -5);
      try {
        const record = JSON.parse(await readFile(join(this.dir, name), "utf8")) as PidRecord;
        if (Number.isInteger(record.pid) && record.pid !== process.pid && isSameProcess(record, listed.get(record.pid), processStartTicks(record.pid))) {
          await killTree(record.pid, "SIGKILL");
          ended.push({ label, pid: record.pid, program: record.program });
        }
      } catch {
        // unreadable record: nothing to end
      }
      await rm(join(this.dir, name), { force: true });
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

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
