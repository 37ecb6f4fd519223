// One clock for every timestamp the harness and the bench take: epoch milliseconds with sub-millisecond
// resolution, so times from the RTMP players, the API calls, the event stream, the Stream Deck host and
// /proc samples compare directly.

/** Now, epoch milliseconds (fractional). */
export function now(): number {
  return performance.timeOrigin + performance.now();
}
