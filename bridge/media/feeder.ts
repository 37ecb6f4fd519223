// Feeds one relay's input (its ffmpeg's stdin) with FLV from the source it follows. It starts from the
// source's keyframe cache, switches sources at a keyframe with the timeline still going forward, and
// never lets a relay that stopped reading (a hung platform, a saturated link) hold more than a bounded
// queue, in bytes and in media time: past either limit it drops media up to the next keyframe and counts
// the skip. The time limit is what bounds a low bitrate (8 MB is 11 s at 6 Mbit/s, 64 s at 1 Mbit/s);
// it counts what is queued behind a start's cached burst, which is a GOP behind live by design.
// Beyond the queue, a relay's delay is bounded: what its ffmpeg says it has sent (its media time) is
// reported back, and a relay more than `maxBehindMs` behind the newest media fed (the queue here, the
// pipe and ffmpeg's own buffers together) skips to the next keyframe too, so it never sends media
// older than a few seconds, whatever holds it back.
//
// Writes are gathered: a tag's bytes are held from its first write until the next video frame has
// been gathered (or the cached burst of a start), then handed to the sink as one vectored write, so a
// relay's stdin gets one write per video frame with the audio since, instead of one per tag. ffmpeg
// interleaves its output by timestamp and so waits for that video frame anyway; audio alone (no
// video, or video paused) goes out within HOLD_AUDIO_MS of media time.

import { FLV_HEADER, tagFrame, TagType, type FlvTag } from "./flv.js";
import type { MediaSource, SourceFollower } from "./media-source.js";
import { Timeline } from "./timeline.js";

/** Where the FLV goes: a relay's stdin (pipe-sink.ts) or anything shaped like it. */
export interface FeedSink {
  /** Writes `chunks` in order, as one vectored write where the sink can. */
  writev(chunks: Buffer[]): void;
  /** Bytes written but not yet taken by the reader (queued in the bridge). */
  readonly writableLength: number;
  readonly writable: boolean;
}

export interface FeederLimits {
  /** Queued bytes beyond which media is dropped up to the next keyframe. */
  maxQueueBytes: number;
  /** The queue must be below this again before a keyframe resumes the feed. */
  resumeQueueBytes: number;
  /** Media time queued (from the oldest unread write to the newest) beyond which media is dropped. */
  maxQueueMs: number;
  /** And below this again before a keyframe resumes the feed. */
  resumeQueueMs: number;
  /** Media time between the newest media fed and what the relay reports sent beyond which media is dropped. */
  maxBehindMs: number;
}

export const DEFAULT_FEEDER_LIMITS: FeederLimits = { maxQueueBytes: 8 * 1024 * 1024, resumeQueueBytes: 1024 * 1024, maxQueueMs: 10_000, resumeQueueMs: 1_500, maxBehindMs: 4_000 };

/** Media time audio may be held for the next video frame before it is written on its own. */
const HOLD_AUDIO_MS = 50;

export class Feeder implements SourceFollower {
  readonly #timeline = new Timeline();
  #source: MediaSource | null = null;
  /** The current source has been started on (headers and a keyframe sent). */
  #anchored = false;
  #headerSent = false;
  #skipping = false;
  #skips = 0;
  #tagsSent = 0;
  #bytesSent = 0;
  /** Bytes gathered for the next write. */
  #gathered: Buffer[] = [];
  /** The output timestamp of the first tag gathered; null when nothing is. */
  #gatheredFrom: number | null = null;
  /** Bytes handed to the sink so far. */
  #handed = 0;
  /** Each write still (maybe) unread: where it ends in `#handed`, and the media time it starts at. */
  #unread: { end: number; at: number }[] = [];
  /** The output timestamp of the newest media tag written. */
  #newest = 0;
  /** The media time the relay last reported sent (null: no report since it started). */
  #reported: number | null = null;

  constructor(
    private readonly sink: FeedSink,
    private readonly limits: FeederLimits = DEFAULT_FEEDER_LIMITS,
    private readonly onSkip?: () => void,
  ) {}

  /** The source followed now. */
  get source(): MediaSource | null {
    return this.#source;
  }

  /** Times this relay fell behind and skipped to the next keyframe. */
  get skips(): number {
    return this.#skips;
  }

  /** Media tags written so far. */
  get tagsSent(): number {
    return this.#tagsSent;
  }

  get bytesSent(): number {
    return this.#bytesSent;
  }

  /** The output timestamp of the newest media written (0 before any). */
  get newestMs(): number {
    return this.#newest;
  }

  /**
   * How far what the relay has sent is behind the newest media fed to it, milliseconds (null until
   * the relay reports what it sent).
   */
  get behindMs(): number | null {
    return this.#reported === null ? null : Math.max(0, this.#newest - this.#reported);
  }

  /** The relay says it has sent media up to `outMs` (its ffmpeg's `out_time`). */
  reportSent(outMs: number): void {
    this.#reported = outMs;
  }

  /** True once media of the current source is flowing to the relay. */
  get flowing(): boolean {
    return this.#anchored;
  }

  /**
   * Follows `source` from now on: at once from its keyframe cache when it holds one, else from its
   * next keyframe. The first source also gets the FLV header and the stream's metadata.
   */
  follow(source: MediaSource): void {
    if (this.#source === source) return;
    this.#flush();
    this.#source?.unfollow(this);
    this.#source = source;
    this.#anchored = false;
    source.follow(this);
    if (source.cache.ready) this.#startFromCache(source, source.cache.gop);
  }

  /** Stops following any source (the relay is being stopped). */
  detach(): void {
    this.#flush();
    this.#source?.unfollow(this);
    this.#source = null;
    this.#anchored = false;
  }

  offer(source: MediaSource, tag: FlvTag): void {
    if (source !== this.#source) return;
    if (!this.#anchored) {
      // The cache already holds this tag (the source cached it before offering it).
      const startsHere = tag.kind === "keyframe" || (tag.kind === "audio" && !source.cache.hasVideo && source.cache.ready);
      if (startsHere) this.#startFromCache(source, tag.kind === "keyframe" ? source.cache.gop : [tag]);
      return;
    }
    if (tag.kind === "videoHeader" || tag.kind === "audioHeader") {
      this.#write(tag, this.#timeline.headerTime());
      return;
    }
    if (tag.kind !== "keyframe" && tag.kind !== "video" && tag.kind !== "audio") return;
    if (this.#skipping) {
      const canResume =
        (tag.kind === "keyframe" || (!source.cache.hasVideo && tag.kind === "audio")) &&
        this.sink.writableLength <= this.limits.resumeQueueBytes &&
        this.queuedMs <= this.limits.resumeQueueMs &&
        (this.behindMs ?? 0) <= this.limits.resumeQueueMs;
      if (!canResume) return;
      this.#skipping = false;
    } else if (
      this.sink.writableLength > this.limits.maxQueueBytes ||
      this.queuedMs > this.limits.maxQueueMs ||
      (this.behindMs ?? 0) > this.limits.maxBehindMs
    ) {
      this.#skipping = true;
      this.#skips += 1;
      // Its ffmpeg says nothing while it is fed nothing: a report from before the skip must not hold
      // the feed back for good (the queue here decides the resume, the next report the next skip).
      this.#reported = null;
      this.onSkip?.();
      return;
    }
    this.#writeMedia(tag);
  }

  #startFromCache(source: MediaSource, tags: readonly FlvTag[]): void {
    if (!this.sink.writable) return;
    const first = tags[0];
    if (!first) return;
    const gap = this.#timeline.end < 0 ? 0 : source.frameMs;
    const at = this.#timeline.anchor(first.timestamp, gap);
    if (!this.#headerSent) {
      this.#headerSent = true;
      this.#gathered.push(FLV_HEADER);
      for (const header of source.cache.headerTags({ metadata: true })) this.#write(header, 0);
    } else {
      for (const header of source.cache.headerTags({ metadata: false })) this.#write(header, at);
    }
    this.#anchored = true;
    this.#skipping = false;
    const burstFrom = this.#unread.length;
    for (const tag of tags) this.#writeMedia(tag);
    // The cached burst goes out at once: the relay starts on it.
    this.#flush();
    // It is a GOP behind live by design: the queue's age counts from its end.
    for (let index = burstFrom; index < this.#unread.length; index += 1) this.#unread[index]!.at = this.#newest;
  }

  /** Media time between the oldest write the relay has not read yet and the newest tag written. */
  get queuedMs(): number {
    const read = this.#handed - this.sink.writableLength;
    let first = 0;
    while (first < this.#unread.length && this.#unread[first]!.end <= read) first += 1;
    if (first > 0) this.#unread.splice(0, first);
    const oldest = this.#unread[0];
    return oldest ? Math.max(0, this.#newest - oldest.at) : 0;
  }

  #writeMedia(tag: FlvTag): void {
    const out = this.#timeline.map(tag.type === TagType.video ? "video" : "audio", tag.timestamp);
    if (out === null) return;
    this.#newest = out;
    this.#write(tag, out);
    this.#tagsSent += 1;
  }

  #write(tag: FlvTag, timestamp: number): void {
    if (!this.sink.writable) return;
    this.#gatheredFrom ??= timestamp;
    const { head, tail } = tagFrame(tag.type, tag.data.length, timestamp);
    this.#gathered.push(head, tag.data, tail);
    this.#bytesSent += tag.data.length + 15;
    const video = tag.kind === "keyframe" || tag.kind === "video";
    const audioOnly = this.#source !== null && !this.#source.cache.hasVideo;
    if (video || audioOnly || timestamp - this.#gatheredFrom >= HOLD_AUDIO_MS) this.#flush();
  }

  /** Hands what was gathered to the sink in one vectored write. */
  #flush(): void {
    if (this.#gathered.length === 0) return;
    const chunks = this.#gathered;
    const at = this.#gatheredFrom ?? this.#newest;
    this.#gathered = [];
    this.#gatheredFrom = null;
    if (!this.sink.writable) return;
    let bytes = 0;
    for (const chunk of chunks) bytes += chunk.length;
    this.#handed += bytes;
    this.#unread.push({ end: this.#handed, at });
    this.sink.writev(chunks);
  }
}
