// What Linux says about a process's CPU time and memory: /proc/PID/stat (utime + stime, in clock
// ticks) and /proc/PID/smaps_rollup (PSS: shared pages split among the processes that map them, the
// fair per-process memory figure). Parsers are pure; readers return null for a process that is gone.

import { readFile, readdir } from "node:fs/promises";

/** The fields of /proc/PID/stat the benchmark uses. */
export interface ProcStat {
  pid: number;
  name: string;
  /** R, S, D, Z, ... */
  state: string;
  ppid: number;
  /** User + system CPU time, clock ticks. */
  cpuTicks: number;
}

/** Reads one /proc/PID/stat line; the name may hold spaces and parentheses, so it is cut at the last ")". */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) throw new Error(`not a /proc stat line: ${text.slice(0, 60)}`);
  const fields = text.slice(close + 2).trim().split(/\s+/);
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return { pid: Number(text.slice(0, open).trim()), name: text.slice(open + 1, close), state: fields[0] ?? "?", ppid: Number(fields[1]), cpuTicks: utime + stime };
}

/** Memory of one process, kB. */
export interface ProcMemory {
  pssKb: number;
  /** The anonymous part of PSS: the process's own heap and stacks, not shared library pages. */
  pssAnonKb: number;
  rssKb: number;
}

/** Reads /proc/PID/smaps_rollup (or smaps: every matching line is summed). */
export function parseSmapsRollup(text: string): ProcMemory {
  let pssKb = 0;
  let pssAnonKb = 0;
  let rssKb = 0;
  for (const line of text.split("\n")) {
    const match = /^(Pss|Pss_Anon|Rss):\s+(\d+) kB/.exec(line);
    if (!match) continue;
    if (match[1] === "Pss") pssKb += Number(match[2]);
    else if (match[1] === "Pss_Anon") pssAnonKb += Number(match[2]);
    else rssKb += Number(match[2]);
  }
  return { pssKb, pssAnonKb, rssKb };
}

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on every Linux the bridge runs on). */
export const CLOCK_TICKS_PER_SECOND = 100;

/** The stat of `pid`, or null when it is gone. A zombie counts as gone. */
export async function readProcStat(pid: number): Promise<ProcStat | null> {
  try {
    const stat = parseProcStat(await readFile(`/proc/${pid}/stat`, "utf8"));
    return stat.state === "Z" || stat.state === "X" ? null : stat;
  } catch {
    return null;
  }
}

/** The memory of `pid`, or null when it is gone. */
export async function readProcMemory(pid: number): Promise<ProcMemory | null> {
  try {
    return parseSmapsRollup(await readFile(`/proc/${pid}/smaps_rollup`, "utf8"));
  } catch {
    return null;
  }
}

/** Nanoseconds a thread has run, from /proc/PID/task/TID/schedstat ("run_ns wait_ns slices"). */
export function parseSchedstat(text: string): number {
  const match = /^\s*(\d+)\s/.exec(text);
  if (!match) throw new Error(`not a schedstat line: ${text.slice(0, 60)}`);
  return Number(match[1]);
}

/**
 * CPU time of `pid`'s live threads, nanoseconds (the scheduler's own accounting: far finer than the
 * 10 ms ticks of /proc/PID/stat, which matters for processes that use a fraction of a percent).
 * Null when the process is gone or the kernel keeps no schedstat.
 */
export async function readCpuNs(pid: number): Promise<number | null> {
  try {
    const threads = await readdir(`/proc/${pid}/task`);
    let total = 0;
    for (const tid of threads) total += parseSchedstat(await readFile(`/proc/${pid}/task/${tid}/schedstat`, "utf8"));
    return total;
  } catch {
    return null;
  }
}

/** CPU use of each process over a window, % of one core, from two stat readings. */
export function cpuPercent(before: ProcStat, after: ProcStat, elapsedMs: number): number {
  return elapsedMs > 0 ? (((after.cpuTicks - before.cpuTicks) / CLOCK_TICKS_PER_SECOND) * 1000 * 100) / elapsedMs : Number.NaN;
}
