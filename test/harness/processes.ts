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

/**
 * Passes an interruption of the test run on to a program the test started in its own process group
 * (which a terminal's Ctrl-C does not reach): on SIGINT, SIGTERM or exit of the test process, the
 * group gets `signal`, so the program stops (and cleans up after itself) even when no afterAll runs.
 * Answers the function that undoes this once the test has stopped the program itself.
 */
export function stopGroupOnInterrupt(pid: number, signal: NodeJS.Signals = "SIGINT"): () => void {
  const stopGroup = () => {
    try {
      process.kill(-pid, signal);
    } catch {
      // gone already
    }
  };
  const onSignal = (received: NodeJS.Signals) => {
    stopGroup();
    undo();
    // Then what the signal would have done had nobody listened.
    if (process.listenerCount(received) === 0) process.kill(process.pid, received);
  };
  const undo = () => {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    process.removeListener("exit", stopGroup);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.once("exit", stopGroup);
  return undo;
}
