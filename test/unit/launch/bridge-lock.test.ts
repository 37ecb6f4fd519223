// The one-bridge-per-config lock: who holds it (pure), and taking it on real files: a live holder
// refuses the next bridge by name, a dead or reused pid leaves a stale lock that is taken over.

import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  acquireBridgeLock,
  BridgeLockedError,
  isLockHeld,
  LOCK_FILE,
  lockHolder,
  ownLockRecord,
  parseLockRecord,
  type LockRecord,
} from "../../../bridge/launch/bridge-lock.js";

const record = (change: Partial<LockRecord> = {}): LockRecord => ({ pid: 4242, program: "node", since: "2026-01-01T00:00:00.000Z", configFile: "/c/config.json", ...change });

describe("who holds the lock (pure)", () => {
  it("nobody when the process is gone", () => {
    expect(isLockHeld(record({ startTicks: 10 }), { running: false })).toBe(false);
  });
  it("the same process when the start times agree, a reused pid when they differ", () => {
    expect(isLockHeld(record({ startTicks: 10 }), { running: true, startTicks: 10 })).toBe(true);
    expect(isLockHeld(record({ startTicks: 10 }), { running: true, startTicks: 11 })).toBe(false);
  });
  it("compares program names where the OS gives no start time", () => {
    expect(isLockHeld(record({ program: "node.exe" }), { running: true, name: "node.exe" })).toBe(true);
    expect(isLockHeld(record({ program: "node" }), { running: true, name: "Node" })).toBe(true);
    expect(isLockHeld(record({ program: "node" }), { running: true, name: "chrome" })).toBe(false);
  });
  it("a running pid with nothing to compare is taken as the holder (never two bridges)", () => {
    expect(isLockHeld(record(), { running: true })).toBe(true);
  });
  it("reads only well-formed lock files", () => {
    expect(parseLockRecord("")).toBeUndefined();
    expect(parseLockRecord('{"pid":')).toBeUndefined();
    expect(parseLockRecord('{"pid":-1}')).toBeUndefined();
    expect(parseLockRecord(JSON.stringify(record({ startTicks: 5 })))).toEqual(record({ startTicks: 5 }));
  });
});

describe("taking the lock", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "relay-lock-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("is exclusive while held, names the holder, and is free again once released", async () => {
    const lock = await acquireBridgeLock(dir, "/c/config.json");
    const written = parseLockRecord(await readFile(join(dir, LOCK_FILE), "utf8"));
    expect(written).toMatchObject({ pid: process.pid, configFile: "/c/config.json" });
    expect((await lockHolder(dir))?.pid).toBe(process.pid);
    const second = acquireBridgeLock(dir, "/c/config.json");
    await expect(second).rejects.toBeInstanceOf(BridgeLockedError);
    await expect(second).rejects.toThrow(new RegExp(`another bridge \\(pid ${process.pid}.*already runs on /c/config.json.*stop it first`));
    await lock.release();
    expect(await lockHolder(dir)).toBeUndefined();
    const again = await acquireBridgeLock(dir, "/c/config.json");
    await again.release();
    expect((await readdir(dir)).filter((name) => name !== LOCK_FILE)).toEqual([]);
  });

  it("takes over the lock of a bridge that died (no stale lock after a crash)", async () => {
    const dead = spawnSync(process.execPath, ["-e", "process.exit(0)"]).pid;
    await writeFile(join(dir, LOCK_FILE), JSON.stringify(record({ pid: dead })));
    expect(await lockHolder(dir)).toBeUndefined();
    const lock = await acquireBridgeLock(dir, "/c/config.json");
    expect(parseLockRecord(await readFile(join(dir, LOCK_FILE), "utf8"))?.pid).toBe(process.pid);
    await lock.release();
  });

  it.runIf(process.platform === "linux")("takes over a lock whose pid now belongs to another process", async () => {
    const mine = ownLockRecord("/c/config.json");
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ ...mine, startTicks: (mine.startTicks ?? 0) + 1 }));
    const lock = await acquireBridgeLock(dir, "/c/config.json");
    expect(parseLockRecord(await readFile(join(dir, LOCK_FILE), "utf8"))?.startTicks).toBe(mine.startTicks);
    await lock.release();
  });

  it("takes over a lock file that is not a lock (empty or hand-edited)", async () => {
    await writeFile(join(dir, LOCK_FILE), "");
    const lock = await acquireBridgeLock(dir, "/c/config.json");
    await lock.release();
  });

  it("lets exactly one of many simultaneous starts win", async () => {
    const dead = spawnSync(process.execPath, ["-e", "process.exit(0)"]).pid;
    await writeFile(join(dir, LOCK_FILE), JSON.stringify(record({ pid: dead })));
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => acquireBridgeLock(dir, "/c/config.json")));
    const won = results.filter((result) => result.status === "fulfilled");
    expect(won).toHaveLength(1);
    expect(results.filter((result) => result.status === "rejected").every((result) => (result as PromiseRejectedResult).reason instanceof BridgeLockedError)).toBe(true);
    await (won[0] as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
  });
});
