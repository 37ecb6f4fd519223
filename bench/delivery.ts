// How media was delivered to a player: the longest silences, and each message's transit time from
// the ingest to the platform. Transit needs no clock on the media: ffmpeg `-c copy` shifts every
// timestamp of a relay by one constant, so a platform's message is matched to the ingest's by
// timestamp once that constant is known. Pure.

import { longestGap, percentile } from "./stats.js";

/** A media message as a player saw it (see rtmp/player.ts's Arrival). */
export interface Delivered {
  at: number;
  kind: "audio" | "video";
  timestamp: number;
  sequenceHeader: boolean;
}

/** Silences seen by one player over a window. */
export interface SilenceView {
  /** Longest gap between two media messages (window edges count as messages), ms. */
  longestGapMs: number;
  longestVideoGapMs: number;
  /** Gaps over 100 ms. */
  gapsOver100: number;
  messages: number;
}

/** The silences of `arrivals` between `from` and `to` (codec headers are not media). */
export function silences(arrivals: readonly Delivered[], from: number, to: number): SilenceView {
  const media = arrivals.filter((arrival) => arrival.at >= from && arrival.at <= to && !arrival.sequenceHeader);
  const times = [from, ...media.map((arrival) => arrival.at), to];
  const videoTimes = [from, ...media.filter((arrival) => arrival.kind === "video").map((arrival) => arrival.at), to];
  let over = 0;
  for (let i = 1; i < times.length; i += 1) if (times[i]! - times[i - 1]! > 100) over += 1;
  return { longestGapMs: longestGap(times).gap, longestVideoGapMs: longestGap(videoTimes).gap, gapsOver100: over, messages: media.length };
}

/** How much longer a relayed stream's longest silence was than its source's, window by window. */
export interface GapBeyondSource {
  windows: number;
  /** The largest and the 95th percentile of (relayed longest gap − source longest gap), ms. */
  worstMs: number;
  p95Ms: number;
}

/**
 * The relayed stream's longest gap minus the source's own longest gap, in each of `windows`: a pause
 * the source itself had (its encoder's pacing, a loaded machine) is not the relay's doing.
 */
export function gapBeyondSource(relayed: readonly Delivered[], source: readonly Delivered[], windows: ReadonlyArray<readonly [number, number]>): GapBeyondSource {
  const beyond = windows.map(([from, to]) => silences(relayed, from, to).longestGapMs - silences(source, from, to).longestGapMs);
  return { windows: beyond.length, worstMs: beyond.length > 0 ? Math.max(...beyond) : Number.NaN, p95Ms: percentile(beyond, 95) };
}

/** Transit of the relayed messages: how long after the ingest each reached the platform. */
export interface TransitView {
  /** Messages matched to the ingest. */
  matched: number;
  medianMs: number;
  maxMs: number;
  /** max − median: the worst extra delay (a stall a viewer sees), free of the publisher's own jitter. */
  extraMs: number;
  /** When the most delayed message arrived (epoch ms), to line it up with what happened then. */
  worstAt: number;
}

/** Finds when the ingest sent the message of `kind` at `timestamp`, allowing 1 ms of rounding (remuxing rescales timestamps). */
function sentLookup(ingest: readonly Delivered[]): (kind: Delivered["kind"], timestamp: number) => number | undefined {
  const byKey = new Map<string, number>();
  for (const arrival of ingest) if (!arrival.sequenceHeader) byKey.set(`${arrival.kind}:${arrival.timestamp}`, arrival.at);
  return (kind, timestamp) => byKey.get(`${kind}:${timestamp}`) ?? byKey.get(`${kind}:${timestamp - 1}`) ?? byKey.get(`${kind}:${timestamp + 1}`);
}

/**
 * The constant `ingest timestamp − relayed timestamp` of a relay. Each of the first relayed video
 * messages proposes the offsets to the few ingest messages that arrived just before it; of those
 * that match nearly every message, the one giving the smallest transit that is not negative wins
 * (the others are a frame or more late).
 */
export function timestampOffset(ingest: readonly Delivered[], relayed: readonly Delivered[]): number | null {
  const source = ingest.filter((arrival) => arrival.kind === "video" && !arrival.sequenceHeader);
  const sample = relayed.filter((arrival) => !arrival.sequenceHeader).slice(0, 120);
  const candidates = new Set<number>();
  let index = 0;
  for (const message of sample.filter((arrival) => arrival.kind === "video")) {
    while (index + 1 < source.length && source[index + 1]!.at <= message.at) index += 1;
    for (const candidate of source.slice(Math.max(0, index - 3), index + 1)) candidates.add(candidate.timestamp - message.timestamp);
  }
  const sentAt = sentLookup(ingest);
  const scored = [...candidates].map((offset) => {
    const delays = sample.flatMap((message) => {
      const sent = sentAt(message.kind, message.timestamp + offset);
      return sent === undefined ? [] : [message.at - sent];
    });
    return { offset, matched: delays.length, median: delays.length > 0 ? percentile(delays, 50) : Number.NaN };
  });
  const most = Math.max(0, ...scored.map((score) => score.matched));
  let best: number | null = null;
  let bestTransit = Number.POSITIVE_INFINITY;
  for (const score of scored) {
    // Nearly every message must match, and a message cannot arrive before it was sent (1 ms of clock slack).
    if (score.matched < most * 0.9 || score.matched < sample.length / 2) continue;
    if (score.median >= -1 && score.median < bestTransit) {
      best = score.offset;
      bestTransit = score.median;
    }
  }
  return best;
}

/** Transit times of `relayed` (messages in [from, to]) against `ingest`. */
export function transit(ingest: readonly Delivered[], relayed: readonly Delivered[], from: number, to: number): TransitView {
  const window = relayed.filter((arrival) => arrival.at >= from && arrival.at <= to && !arrival.sequenceHeader);
  const offset = timestampOffset(ingest, window);
  const none = { matched: 0, medianMs: Number.NaN, maxMs: Number.NaN, extraMs: Number.NaN, worstAt: Number.NaN };
  if (offset === null) return none;
  const sentAt = sentLookup(ingest);
  const delays: number[] = [];
  let max = Number.NEGATIVE_INFINITY;
  let worstAt = Number.NaN;
  for (const message of window) {
    const sent = sentAt(message.kind, message.timestamp + offset);
    if (sent === undefined) continue;
    const delay = message.at - sent;
    delays.push(delay);
    if (delay > max) {
      max = delay;
      worstAt = message.at;
    }
  }
  if (delays.length === 0) return none;
  const median = percentile(delays, 50);
  return { matched: delays.length, medianMs: median, maxMs: max, extraMs: max - median, worstAt };
}
