// What a player saw of a stream across an OBS drop or a hung platform: timestamps going backwards,
// the first frame of OBS's picture after it came back, sessions at the platform, and whether a
// memory series stayed flat. Pure.

/** A media message as a player saw it (see rtmp/player.ts's Arrival). */
export interface SeenMessage {
  at: number;
  kind: "audio" | "video";
  keyframe: boolean;
  sequenceHeader: boolean;
  timestamp: number;
  bytes: number;
}

/** Steps back in media time, per track. */
export interface BackwardView {
  /** Messages whose timestamp is below the one before it on the same track. */
  count: number;
  /** The largest step back, ms (0 when none). */
  worstMs: number;
  /** Epoch ms of the first step back (null when none). */
  firstAt: number | null;
}

/** Timestamps going backwards on each track of `messages` (codec headers left out), in [from, to]. */
export function backwardSteps(messages: readonly SeenMessage[], from = -Infinity, to = Infinity): BackwardView {
  const last = new Map<string, number>();
  let count = 0;
  let worstMs = 0;
  let firstAt: number | null = null;
  for (const message of messages) {
    if (message.sequenceHeader || message.at < from || message.at > to) continue;
    const before = last.get(message.kind);
    if (before !== undefined && message.timestamp < before) {
      count += 1;
      worstMs = Math.max(worstMs, before - message.timestamp);
      firstAt ??= message.at;
    }
    last.set(message.kind, message.timestamp);
  }
  return { count, worstMs, firstAt };
}

/** The first keyframe of OBS's own picture at `at` or after (codec headers left out); undefined when none. */
export function firstKeyframeAfter(messages: readonly SeenMessage[], at: number): SeenMessage | undefined {
  return messages.find((message) => message.at >= at && message.kind === "video" && message.keyframe && !message.sequenceHeader);
}

/** The first frame of OBS's picture at the platform, and which of OBS's keyframes it was. */
export interface PictureBack {
  /** The platform's message. */
  message: SeenMessage;
  /** 0 when it was OBS's first keyframe after it came back, 1 the one after, and so on. */
  keyframeIndex: number;
}

/**
 * When OBS's picture reached the platform again: the first keyframe at the platform at or after `after`
 * that is one of OBS's keyframes at the ingest since then (`obsKeyframes`, in order). The relays copy
 * frames as they are, so a frame's size identifies it among the stand-in's (a still picture: far
 * smaller). Undefined when none came.
 */
export function obsPictureBack(platform: readonly SeenMessage[], obsKeyframes: readonly SeenMessage[], after: number): PictureBack | undefined {
  for (const message of platform) {
    if (message.at < after || message.kind !== "video" || message.sequenceHeader || !message.keyframe) continue;
    const keyframeIndex = obsKeyframes.findIndex((keyframe) => keyframe.bytes === message.bytes);
    if (keyframeIndex >= 0) return { message, keyframeIndex };
  }
  return undefined;
}

/** Whether the first media message at or after `from` is video and a keyframe (null: none arrived). */
export function startsOnKeyframe(messages: readonly SeenMessage[], from: number): boolean | null {
  const first = messages.find((message) => message.at >= from && message.kind === "video" && !message.sequenceHeader);
  return first ? first.keyframe : null;
}

/** The sessions recorded for `stream` among a platform's recording files (`record_unique`: one file per publish). */
export function sessionFiles(files: readonly string[], stream: string): number {
  return files.filter((file) => (file.split(/[\\/]/).at(-1) ?? "").startsWith(`${stream}-`)).length;
}

/** One memory reading of a process. */
export interface MemoryReading {
  /** Seconds since the window began. */
  atSeconds: number;
  rssMb: number;
  pssMb: number;
}

/** How a memory series moved over a window. */
export interface MemoryTrend {
  firstPssMb: number;
  maxPssMb: number;
  lastPssMb: number;
  maxRssMb: number;
  /** Largest PSS over the second half of the window − largest over the first half: growth still going on. */
  lateGrowthMb: number;
  /** Least-squares slope of PSS, MB per minute. */
  slopeMbPerMinute: number;
}

/** The trend of `readings` (in time order); NaN everywhere for fewer than two. */
export function memoryTrend(readings: readonly MemoryReading[]): MemoryTrend {
  if (readings.length < 2) {
    const nan = Number.NaN;
    return { firstPssMb: nan, maxPssMb: nan, lastPssMb: nan, maxRssMb: nan, lateGrowthMb: nan, slopeMbPerMinute: nan };
  }
  const half = readings[0]!.atSeconds + (readings.at(-1)!.atSeconds - readings[0]!.atSeconds) / 2;
  const early = readings.filter((reading) => reading.atSeconds <= half);
  const late = readings.filter((reading) => reading.atSeconds > half);
  const maxOf = (list: readonly MemoryReading[]) => Math.max(...list.map((reading) => reading.pssMb));
  const meanT = readings.reduce((sum, reading) => sum + reading.atSeconds, 0) / readings.length;
  const meanP = readings.reduce((sum, reading) => sum + reading.pssMb, 0) / readings.length;
  let num = 0;
  let den = 0;
  for (const reading of readings) {
    num += (reading.atSeconds - meanT) * (reading.pssMb - meanP);
    den += (reading.atSeconds - meanT) ** 2;
  }
  return {
    firstPssMb: readings[0]!.pssMb,
    maxPssMb: maxOf(readings),
    lastPssMb: readings.at(-1)!.pssMb,
    maxRssMb: Math.max(...readings.map((reading) => reading.rssMb)),
    lateGrowthMb: late.length > 0 ? maxOf(late) - maxOf(early) : 0,
    slopeMbPerMinute: den > 0 ? (num / den) * 60 : 0,
  };
}

/** A quantity of a shared process above its idle level, shared out among `count` relays. */
export function perRelay(total: number, idle: number, count: number): number {
  return count > 0 ? (total - idle) / count : Number.NaN;
}
