// Finds the programs to measure (children of a pid, by name) and samples their CPU and memory over
// a window, reading /proc directly so the sampling itself stays cheap.

import psList from "ps-list";
import { setTimeout as sleep } from "node:timers/promises";
import { now } from "../rig/clock.js";
import { cpuPercent, readCpuNs, readProcMemory, readProcStat, type ProcStat } from "./procfs.js";

/** One process found below a parent. `cmd` is kept for matching only: it may hold a stream key. */
export interface FoundProcess {
  pid: number;
  ppid: number;
  name: string;
  cmd: string;
}

/** The processes whose parent is `ppid` and whose name is `name` (ffmpeg, nginx, ...). */
export async function childrenOf(ppid: number, name?: string): Promise<FoundProcess[]> {
  const all = await psList({ all: true });
  return all
    .filter((process) => process.ppid === ppid && (name === undefined || process.name === name))
    .map((process) => ({ pid: process.pid, ppid: process.ppid, name: process.name, cmd: process.cmd ?? "" }));
}

/** Every process below `pid` (children, grandchildren, ...). */
export async function descendantsOf(pid: number): Promise<FoundProcess[]> {
  const all = await psList({ all: true });
  const found: FoundProcess[] = [];
  let frontier = new Set([pid]);
  while (frontier.size > 0) {
    const next = new Set<number>();
    for (const process of all) {
      if (!frontier.has(process.ppid)) continue;
      found.push({ pid: process.pid, ppid: process.ppid, name: process.name, cmd: process.cmd ?? "" });
      next.add(process.pid);
    }
    frontier = next;
  }
  return found;
}

/** CPU and memory of one process over a window. */
export interface ProcessSample {
  pid: number;
  /** % of one core over the window (100 = one core busy), from the scheduler's nanosecond accounting. */
  cpuPercent: number;
  /** The same from /proc/PID/stat's utime + stime (10 ms ticks), as a cross-check. */
  cpuPercentTicks: number;
  /** PSS and RSS at the end of the window, MB. */
  pssMb: number;
  /** Anonymous PSS: what the process holds for itself, shared libraries left out. */
  pssAnonMb: number;
  rssMb: number;
}

/** Samples `pids` over `windowMs`: CPU from the stat difference, memory at the end. Gone processes are left out. */
export async function sampleProcesses(pids: readonly number[], windowMs: number): Promise<ProcessSample[]> {
  const before = new Map<number, { stat: ProcStat; ns: number | null }>();
  const start = now();
  for (const pid of pids) {
    const stat = await readProcStat(pid);
    if (stat) before.set(pid, { stat, ns: await readCpuNs(pid) });
  }
  await sleep(windowMs);
  const elapsed = now() - start;
  const samples: ProcessSample[] = [];
  for (const [pid, first] of before) {
    const last = await readProcStat(pid);
    const ns = await readCpuNs(pid);
    const memory = await readProcMemory(pid);
    if (!last || !memory) continue;
    const ticks = cpuPercent(first.stat, last, elapsed);
    const precise = first.ns !== null && ns !== null ? ((ns - first.ns) / 1e6 / elapsed) * 100 : ticks;
    samples.push({ pid, cpuPercent: precise, cpuPercentTicks: ticks, pssMb: memory.pssKb / 1024, pssAnonMb: memory.pssAnonKb / 1024, rssMb: memory.rssKb / 1024 });
  }
  return samples;
}

/** Resolves with the time (epoch ms) `pid` was first seen gone, polling every `intervalMs`; null on timeout. */
export async function waitGone(pid: number, { timeoutMs = 5_000, intervalMs = 2 } = {}): Promise<number | null> {
  const deadline = now() + timeoutMs;
  while (now() < deadline) {
    if ((await readProcStat(pid)) === null) return now();
    await sleep(intervalMs);
  }
  return null;
}
