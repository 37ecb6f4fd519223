// Small statistics over samples (milliseconds, percentages, bytes). Pure.

/** The usual summary of one measured quantity. */
export interface Summary {
  count: number;
  min: number;
  median: number;
  mean: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * The `p`-th percentile (0–100) by linear interpolation between closest ranks (the definition of
 * numpy's default), so small samples give values between the two neighbouring measurements.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

/** Count, extremes, mean and the percentiles reports quote; NaN everywhere for no samples. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { count: 0, min: Number.NaN, median: Number.NaN, mean: Number.NaN, p95: Number.NaN, p99: Number.NaN, max: Number.NaN };
  return {
    count: values.length,
    min: Math.min(...values),
    median: percentile(values, 50),
    mean: values.reduce((sum, value) => sum + value, 0) / values.length,
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: Math.max(...values),
  };
}

/** Differences between consecutive times (sorted input), e.g. the gaps between received messages. */
export function gaps(times: readonly number[]): number[] {
  const result: number[] = [];
  for (let i = 1; i < times.length; i += 1) result.push(times[i]! - times[i - 1]!);
  return result;
}

/** The longest gap between consecutive times and where it began; zero gap for fewer than two times. */
export function longestGap(times: readonly number[]): { gap: number; at: number } {
  let best = { gap: 0, at: times[0] ?? Number.NaN };
  for (let i = 1; i < times.length; i += 1) {
    const gap = times[i]! - times[i - 1]!;
    if (gap > best.gap) best = { gap, at: times[i - 1]! };
  }
  return best;
}

/** The first value of sorted `times` at or after `from`, or undefined. */
export function firstAtOrAfter(times: readonly number[], from: number): number | undefined {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (times[middle]! < from) low = middle + 1;
    else high = middle;
  }
  return times[low];
}

/** `a / b`, or NaN when `b` is zero or either is not a number (a ratio that cannot be told). */
export function ratio(a: number, b: number): number {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : Number.NaN;
}

/** A deterministic pseudo-random generator (mulberry32), so a run's press phases can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
