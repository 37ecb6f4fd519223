// When the bridge tries OBS again after losing it (or never reaching it): soon at first, then rarely,
// so an OBS that is simply not running costs next to nothing and is found within the longest delay.

import { backoffDelay, type BackoffPolicy } from "../process/backoff.js";

/** 1 s doubling up to 15 s: OBS started after the bridge is seen within 15 s. */
export const OBS_RECONNECT: BackoffPolicy = { initialMs: 1_000, maxMs: 15_000, factor: 2, jitter: 0.2 };

/** A refused password will not fix itself quickly: try at the longest delay. */
export const OBS_AUTH_RETRY_MS = 15_000;

/** Counts failed tries since the last good connection and says how long to wait before the next. */
export class ReconnectSchedule {
  #failures = 0;

  constructor(private readonly policy: BackoffPolicy = OBS_RECONNECT) {}

  /** A try failed: the delay before the next one (grows with each failure, capped). */
  failed(random: number = Math.random()): number {
    this.#failures += 1;
    return backoffDelay(this.#failures, this.policy, random);
  }

  /** Connected: the next loss starts from the shortest delay again. */
  reset(): void {
    this.#failures = 0;
  }

  get failures(): number {
    return this.#failures;
  }
}
