// One bridge per config file, with the real bridge: a second one started by hand on the same config
// refuses with a message naming the first (and never touches its nginx), and a bridge killed with -9
// leaves a lock the next bridge takes over.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LOCK_FILE, parseLockRecord } from "../../bridge/launch/bridge-lock.js";
import { runBridgeOnce, startBridge, type RunningBridge } from "../../rig/bridge.js";
import { freePort } from "../../rig/ports.js";
import { isAlive, waitFor } from "../../rig/processes.js";

let first: RunningBridge | undefined;
let again: RunningBridge | undefined;

afterAll(async () => {
  await again?.stop();
  await first?.stop();
});

describe("one bridge per config file", () => {
  it("refuses a second bridge on the same config, naming the one that runs", async () => {
    first = await startBridge();
    const lock = parseLockRecord(await readFile(join(first.dir, "run", LOCK_FILE), "utf8"));
    expect(lock).toMatchObject({ pid: first.child.pid, configFile: first.configFile });
    const nginxBefore = (await first.json("/api/status")).services.nginx;
    const second = await runBridgeOnce(["--config", first.configFile, "--port", String(await freePort())], { logLevel: null, timeoutMs: 30_000 });
    expect(second.code).toBe(1);
    expect(second.output).toContain(`another bridge (pid ${first.child.pid}`);
    expect(second.output).toContain(`already runs on ${first.configFile}`);
    expect(second.output).not.toContain("listening");
    // The first one is untouched: same lock, nginx still running, still answering.
    expect(parseLockRecord(await readFile(join(first.dir, "run", LOCK_FILE), "utf8"))?.pid).toBe(first.child.pid);
    expect((await first.json("/api/status")).services.nginx).toEqual(nginxBefore);
  });

  it("takes over the lock of a bridge killed with -9", async () => {
    const pid = first!.child.pid!;
    await first!.stop({ keep: true, signal: "SIGKILL" });
    expect(isAlive(pid)).toBe(false);
    again = await startBridge({ dir: first!.dir });
    const lock = parseLockRecord(await readFile(join(first!.dir, "run", LOCK_FILE), "utf8"));
    expect(lock?.pid).toBe(again.child.pid);
    await waitFor(async () => (await again!.json("/api/status")).services.nginx.state === "running", { what: "nginx under the new bridge" });
    expect(await again.stop({ keep: true })).toBe(0);
    // A clean stop removes the lock.
    await expect(readFile(join(first!.dir, "run", LOCK_FILE), "utf8")).rejects.toThrow(/ENOENT/);
    again = undefined;
  });
});
