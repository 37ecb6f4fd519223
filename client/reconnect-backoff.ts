// How long the client waits before reconnecting to the bridge: quick at first (a bridge restart takes
// a moment), then growing so an absent bridge costs nothing, with jitter so keys do not hammer it in step.

export interface BackoffOptions {
  /** First delay. */
  initialMs: number;
  /** Longest delay. */
  maxMs: number;
  /** Fraction of the delay randomised either way (0.2 = ±20 %). */
  jitter: number;
}

/** The defaults: 250 ms doubling up to 5 s, so a bridge that comes back is seen within 5 s. */
export const RECONNECT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 5_000, jitter: 0.2 };

/** Delay before reconnect attempt number `attempt` (0 = the first retry after a loss). */
export function backoffDelay(attempt: number, options: BackoffOptions = RECONNECT_BACKOFF, random: () => number = Math.random): number {
  const base = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  const spread = base * options.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(Math.min(options.maxMs, base + spread)));
}
