// Exponential backoff with jitter, so a failing platform is not hammered and many relays that fail
// together do not retry in lockstep.

export interface BackoffPolicy {
  /** Delay before the first retry. */
  initialMs: number;
  /** Cap on any delay. */
  maxMs: number;
  /** Growth per failure. */
  factor: number;
  /** Fraction of the delay randomised (0.2 = ±20 %). */
  jitter: number;
}

export const RELAY_BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 30_000, factor: 2, jitter: 0.2 };
export const SERVICE_BACKOFF: BackoffPolicy = { initialMs: 250, maxMs: 10_000, factor: 2, jitter: 0.1 };

/** Delay before retry number `attempt` (1 = first retry). `random` is in [0, 1). */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: number = Math.random()): number {
  const base = Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, attempt - 1));
  const spread = base * policy.jitter * (random * 2 - 1);
  return Math.max(0, Math.round(Math.min(policy.maxMs, base + spread)));
}
