// One clock for every timestamp of the benchmark: epoch milliseconds with sub-millisecond
// resolution, so times from the player, the API calls and /proc samples compare directly.

/** Now, epoch milliseconds (fractional). */
export function now(): number {
  return performance.timeOrigin + performance.now();
}
