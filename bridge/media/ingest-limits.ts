// How much of the bridge the ingest may take: how many streams it reads at once and how much media
// their keyframe caches hold together, so publishers (a second camera, or a stranger on the ingest's
// port) cannot grow the bridge's memory without bound. Pure.

/** Streams read at once: the main one and up to 7 others (a vertical canvas, more cameras). */
export const MAX_INGEST_STREAMS = 8;

/** One stream's keyframe cache at most: a GOP of 10 s at 50 Mbit/s fits. */
export const STREAM_CACHE_BYTES = 64 * 1024 * 1024;

/** Every stream's keyframe cache together at most. */
export const TOTAL_CACHE_BYTES = 96 * 1024 * 1024;

/** One stream's share of the caches while `streams` are read: its own bound, or an equal part of the total. */
export function cacheShareBytes(streams: number): number {
  return Math.min(STREAM_CACHE_BYTES, Math.floor(TOTAL_CACHE_BYTES / Math.max(1, streams)));
}
