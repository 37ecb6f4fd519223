// The keyframe cache of one stream: its codec headers and every tag since the last video keyframe.
// A relay switched on gets these first, so it starts at once, at a keyframe, with audio, instead of
// waiting for the encoder's next keyframe. Pure.

import type { FlvTag } from "./flv.js";

export interface GopCacheLimits {
  /** Beyond this the cache is dropped until the next keyframe (a stream without keyframes). */
  maxBytes: number;
}

/** Codec headers of a stream: what a decoder needs before any media. */
export interface StreamHeaders {
  metadata?: FlvTag;
  videoHeader?: FlvTag;
  audioHeader?: FlvTag;
}

export class GopCache {
  readonly headers: StreamHeaders = {};
  #gop: FlvTag[] = [];
  #bytes = 0;
  #hasVideo = false;
  #lastKeyframeAt: number | null = null;
  #keyframeIntervalMs: number | null = null;

  constructor(private readonly limits: GopCacheLimits = { maxBytes: 64 * 1024 * 1024 }) {}

  /** Takes one tag of the live stream. */
  push(tag: FlvTag): void {
    switch (tag.kind) {
      case "metadata":
        this.headers.metadata = tag;
        return;
      case "videoHeader":
        this.headers.videoHeader = tag;
        this.#hasVideo = true;
        return;
      case "audioHeader":
        this.headers.audioHeader = tag;
        return;
      case "keyframe":
        this.#hasVideo = true;
        if (this.#lastKeyframeAt !== null && tag.timestamp > this.#lastKeyframeAt) this.#keyframeIntervalMs = tag.timestamp - this.#lastKeyframeAt;
        this.#lastKeyframeAt = tag.timestamp;
        this.#gop = [tag];
        this.#bytes = tag.data.length;
        return;
      case "video":
        this.#hasVideo = true;
        this.#append(tag);
        return;
      case "audio":
        // Without video, every audio frame is a starting point: keep none.
        if (this.#hasVideo) this.#append(tag);
        return;
      default:
        return;
    }
  }

  #append(tag: FlvTag): void {
    if (this.#gop.length === 0) return; // no keyframe yet: nothing to start from
    this.#gop.push(tag);
    this.#bytes += tag.data.length;
    if (this.#bytes > this.limits.maxBytes) {
      this.#gop = [];
      this.#bytes = 0;
    }
  }

  /** True once a relay could start from the cache: a keyframe is held, or the stream has no video. */
  get ready(): boolean {
    return this.#gop.length > 0 || (!this.#hasVideo && this.headers.audioHeader !== undefined);
  }

  get hasVideo(): boolean {
    return this.#hasVideo;
  }

  /** The tags from the last keyframe on (empty when none). */
  get gop(): readonly FlvTag[] {
    return this.#gop;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** The stream's measured keyframe interval (ms), from its last two keyframes. */
  get keyframeIntervalMs(): number | null {
    return this.#keyframeIntervalMs;
  }

  /** Codec headers in the order a demuxer wants them: metadata, video, audio. */
  headerTags(options: { metadata: boolean }): FlvTag[] {
    const { metadata, videoHeader, audioHeader } = this.headers;
    return [options.metadata ? metadata : undefined, videoHeader, audioHeader].filter((tag): tag is FlvTag => tag !== undefined);
  }
}
