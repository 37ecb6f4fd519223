// Small helpers for tests that run real programs.

import { setTimeout as sleep } from "node:timers/promises";

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(check: () => T | Promise<T>, { timeoutMs = 20_000, intervalMs = 100, what = "condition" } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await sleep(intervalMs);
  }
}

/** True when a process with this pid exists. */
export { isRunning as isAlive } from "../../bridge/process/pid-registry.js";
