// One bridge per config file. The bridge holds `bridge.lock` in its runtime folder: a file created
// exclusively (written in full first, then hard-linked into place, so nobody ever reads half of it)
// holding its pid, its start time and its program. A lock whose process is gone, or whose pid now
// belongs to another process, is stale: the next bridge removes it and takes its place, so a crash
// or a kill -9 never leaves the config locked.

import { link, open, readFile, rm, stat, writeFile, mkdir, type FileHandle } from "node:fs/promises";
import { basename, join } from "node:path";
import { randomBytes } from "node:crypto";
import psList from "ps-list";
import { isRunning, processStartTicks } from "../process/pid-registry.js";

/** File name of the lock in the runtime folder. */
export const LOCK_FILE = "bridge.lock";

/** What a lock file says about the bridge holding it. */
export interface LockRecord {
  pid: number;
  /** Linux: start time in clock ticks since boot, which a reused pid does not share. */
  startTicks?: number;
  /** File name of the program running the bridge (node, node.exe, the app's own Node). */
  program: string;
  /** ISO time the bridge took the lock. */
  since: string;
  configFile: string;
}

/** What the OS says now about the pid a lock names. */
export interface ProcessFacts {
  running: boolean;
  startTicks?: number;
  /** The process's name as the OS lists it, when it could be listed. */
  name?: string;
}

/** A live bridge holds the lock (pure). Start times are compared where the OS has them, names elsewhere. */
export function isLockHeld(record: LockRecord, facts: ProcessFacts): boolean {
  if (!facts.running) return false;
  if (record.startTicks !== undefined && facts.startTicks !== undefined) return record.startTicks === facts.startTicks;
  if (facts.name !== undefined && record.program !== "") {
    return programStem(facts.name) === programStem(record.program) || facts.name.toLowerCase().includes(programStem(record.program));
  }
  return true;
}

/** `node.exe` → `node`; names compare without extension and case. */
function programStem(name: string): string {
  return basename(name).toLowerCase().replace(/\.exe$/, "");
}

/** A lock file's content, or undefined when it is not one (empty, cut short, hand-edited). */
export function parseLockRecord(text: string): LockRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockRecord>;
    if (!Number.isInteger(value.pid) || (value.pid as number) <= 0) return undefined;
    return {
      pid: value.pid as number,
      startTicks: typeof value.startTicks === "number" ? value.startTicks : undefined,
      program: typeof value.program === "string" ? value.program : "",
      since: typeof value.since === "string" ? value.since : "",
      configFile: typeof value.configFile === "string" ? value.configFile : "",
    };
  } catch {
    return undefined;
  }
}

/** The lock of this process, for `configFile`. */
export function ownLockRecord(configFile: string, now: Date = new Date()): LockRecord {
  return { pid: process.pid, startTicks: processStartTicks(process.pid), program: basename(process.execPath), since: now.toISOString(), configFile };
}

/** What the OS says about `pid` (running, start time on Linux, name elsewhere). */
export async function observeProcess(pid: number): Promise<ProcessFacts> {
  if (!isRunning(pid)) return { running: false };
  const startTicks = processStartTicks(pid);
  if (startTicks !== undefined) return { running: true, startTicks };
  try {
    const listed = (await psList()).find((entry) => entry.pid === pid);
    return listed ? { running: true, name: listed.name } : { running: false };
  } catch {
    return { running: true };
  }
}

/** The live bridge holding the lock in `runtimeDir`, or undefined when none does. */
export async function lockHolder(runtimeDir: string): Promise<LockRecord | undefined> {
  const record = await readLock(join(runtimeDir, LOCK_FILE));
  if (!record) return undefined;
  return isLockHeld(record, await observeProcess(record.pid)) ? record : undefined;
}

/** Thrown when another live bridge holds the lock. */
export class BridgeLockedError extends Error {
  constructor(
    readonly holder: LockRecord,
    configFile: string,
  ) {
    super(
      `another bridge (pid ${holder.pid}, since ${holder.since || "an unknown time"}) already runs on ${configFile}: ` +
        `use that one (its status page shows where), stop it first, or start this one with another --config`,
    );
    this.name = "BridgeLockedError";
  }
}

/** A lock this process holds; `release` removes it (only if it is still ours). */
export interface HeldLock {
  file: string;
  release(): Promise<void>;
}

/** Takes the lock for `configFile` in `runtimeDir`, or throws BridgeLockedError naming the holder. */
export async function acquireBridgeLock(runtimeDir: string, configFile: string): Promise<HeldLock> {
  await mkdir(runtimeDir, { recursive: true });
  const file = join(runtimeDir, LOCK_FILE);
  const mine = ownLockRecord(configFile);
  const text = JSON.stringify(mine);
  const draft = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(draft, text, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      try {
        await link(draft, file);
        return { file, release: () => releaseIfMine(file, text) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const current = await readLockText(file);
      if (current === undefined) continue;
      const record = parseLockRecord(current);
      if (record && isLockHeld(record, await observeProcess(record.pid))) {
        throw new BridgeLockedError(record, configFile);
      }
      await removeStale(file, current);
    }
    throw new Error(`could not take the lock ${file}: other bridges keep starting on ${configFile}`);
  } finally {
    await rm(draft, { force: true });
  }
}

/**
 * Removes the stale lock, judged from its content `judged`, under a short-lived guard file, so that
 * bridges starting at the same moment cannot remove a fresh lock one of them has just taken: under the
 * guard the lock is read again and removed only if it is still the one judged stale. A guard left by a
 * bridge that died holding it (a few milliseconds' window) is removed once it is old.
 */
async function removeStale(file: string, judged: string): Promise<void> {
  const guard = `${file}.takeover`;
  let handle: FileHandle;
  try {
    handle = await open(guard, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const age = await stat(guard).then((info) => Date.now() - info.mtimeMs, () => 0);
    if (age > STALE_GUARD_MS) await rm(guard, { force: true });
    await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 30));
    return;
  }
  try {
    if ((await readLockText(file)) === judged) await rm(file, { force: true });
  } finally {
    await handle.close();
    await rm(guard, { force: true });
  }
}

/** A takeover guard older than this was left by a bridge that died holding it. */
const STALE_GUARD_MS = 10_000;

async function releaseIfMine(file: string, text: string): Promise<void> {
  if ((await readLockText(file)) === text) await rm(file, { force: true });
}

async function readLock(file: string): Promise<LockRecord | undefined> {
  const text = await readLockText(file);
  return text === undefined ? undefined : parseLockRecord(text);
}

async function readLockText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
