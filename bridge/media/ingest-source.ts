// One ingest stream, read from the bridge's nginx as a player, into a keyframe cache the relays follow.
// It says when media flows, when it stalls (a frozen encoder or network: nothing for `stallMs`) and
// when it has ended (the publisher left or the connection closed).

import { makeTag, TagType } from "./flv.js";
import type { GopCacheLimits } from "./gop-cache.js";
import { avcHeaderProblem } from "./header-check.js";
import { MediaSource } from "./media-source.js";
import { playRtmp, type PlayConnection } from "./rtmp/play-client.js";
import { metadataVideoCodec, readMetadata, readStreamFormat, type StreamFormat } from "./stream-format.js";
import { ExPacketType, readVideoTagHead } from "./video-config.js";

/** Video codecs whose configuration nginx-rtmp keeps for no late reader. */
const NEEDS_CONFIG = new Set(["hevc", "av1", "vp9"]);

export type IngestSourceState = "connecting" | "flowing" | "stalled" | "ended";

/**
 * What keeps a stream from being relayed as it is: `no_video_config` (the reader joined after the
 * publish and nginx kept no HEVC/AV1/VP9 configuration for it: no decoder can start), `multitrack`
 * (Enhanced RTMP multitrack video, which Relay does not carry yet: those packets are left out).
 */
export type IngestProblem = "no_video_config" | "multitrack";

export interface IngestSourceOptions {
  /** rtmp://127.0.0.1:PORT/APP of the bridge's nginx. */
  serverUrl: string;
  streamName: string;
  /** No media for this long means the stream stalled. */
  stallMs: number;
  onState(source: IngestSource, state: IngestSourceState, reason?: string): void;
  /** The stream's format became known or changed (a codec header arrived). */
  onFormat?(source: IngestSource): void;
  /** The keyframe cache's bound (GopCache's own by default). */
  cacheLimits?: GopCacheLimits;
  /** A codec header that cannot be used was dropped (said once until a good one comes). */
  onBadHeader?(problem: string): void;
  /** Something in the stream cannot be relayed (said once per problem and reader). */
  onProblem?(source: IngestSource, problem: IngestProblem): void;
  now?: () => number;
}

export class IngestSource extends MediaSource {
  #connection: PlayConnection | null = null;
  #state: IngestSourceState = "connecting";
  #lastMediaAt = 0;
  #watch: NodeJS.Timeout | undefined;
  #format: StreamFormat = {};
  #bytesIn = 0;
  /**
   * The last video header was unusable: it was dropped, and so is the media after it until a whole one
   * comes (a relay never gets it, nor pictures it cannot decode: relays wait instead of failing).
   */
  #badVideoHeader = false;
  readonly #problems = new Set<IngestProblem>();
  /** Coded video came without its configuration: nothing is passed on until one comes. */
  #awaitingVideoConfig = false;
  readonly #now: () => number;

  constructor(private readonly options: IngestSourceOptions) {
    super(options.streamName, options.cacheLimits);
    this.#now = options.now ?? Date.now;
  }

  get state(): IngestSourceState {
    return this.#state;
  }

  get format(): StreamFormat {
    return this.#format;
  }

  get bytesIn(): number {
    return this.#bytesIn;
  }

  /** Connects to nginx and plays the stream. Rejects when the play is refused or times out. */
  async start(): Promise<void> {
    this.#connection = await playRtmp(
      { serverUrl: this.options.serverUrl, streamName: this.options.streamName, timeoutMs: 2_000 },
      {
        onMedia: (message, bytesRead) => {
          this.#bytesIn = bytesRead;
          const tag = makeTag(message.typeId, message.timestamp, message.payload);
          if (tag.kind === "videoHeader") {
            const problem = avcHeaderProblem(tag.data);
            if (problem && !this.#badVideoHeader) this.options.onBadHeader?.(`${problem}: it is dropped, and the stream waits for a whole one`);
            this.#badVideoHeader = problem !== null;
            if (problem) return;
          }
          if (this.#badVideoHeader && (tag.kind === "keyframe" || tag.kind === "video" || tag.kind === "audio")) return;
          if (tag.kind === "metadata" || tag.kind === "videoHeader" || tag.kind === "audioHeader") {
            if (tag.kind === "videoHeader") this.#awaitingVideoConfig = false;
            // The metadata names HEVC, AV1 or VP9 and no configuration came yet: hold audio back until it
            // does, so no relay starts on sound alone (a late reader's nginx sends audio before any video).
            if (tag.kind === "metadata" && !this.cache.headers.videoHeader && NEEDS_CONFIG.has(metadataVideoCodec(readMetadata(tag.data).videocodecid))) {
              this.#awaitingVideoConfig = true;
            }
            this.emit(tag);
            this.#format = readStreamFormat(this.cache.headers);
            if (this.#format.video?.fps) this.frameMs = 1000 / this.#format.video.fps;
            this.options.onFormat?.(this);
            return;
          }
          if (tag.kind === "other") {
            if (tag.type === TagType.video && readVideoTagHead(tag.data)?.packetType === ExPacketType.multitrack) this.#problem("multitrack");
            return;
          }
          if (tag.type === TagType.video && !this.#hasVideoConfig(tag)) {
            // A decoder cannot start on these frames, nor can a relay: hold everything back (audio too,
            // so no relay starts audio-only) and say so; the ingest gate has the encoder reconnect.
            this.#awaitingVideoConfig = true;
            this.#problem("no_video_config");
          }
          if (this.#awaitingVideoConfig) return;
          this.#lastMediaAt = this.#now();
          // The stall timer starts over with each tag: no wakeups while media flows.
          this.#watch?.refresh();
          if (this.#state !== "flowing" && this.#state !== "ended") this.#setState("flowing");
          this.emit(tag);
        },
        onStatus: (code) => {
          if (code === "NetStream.Play.UnpublishNotify") this.end("the encoder stopped publishing");
        },
        onClose: (error) => this.end(error ? error.message : "closed"),
      },
    );
    if (this.#state === "ended") {
      this.#connection.close();
      return;
    }
    // Fires `stallMs` after the last media tag: each tag refreshes it (a fired timer refreshed runs again).
    this.#watch = setTimeout(() => {
      if (this.#state === "flowing") this.#setState("stalled", `no media from the encoder for ${this.options.stallMs} ms`);
    }, this.options.stallMs);
  }

  /** The problems met so far. */
  get problems(): ReadonlySet<IngestProblem> {
    return this.#problems;
  }

  /** False for coded video of a codec that needs a configuration record when none came. */
  #hasVideoConfig(tag: { data: Buffer }): boolean {
    if (this.cache.headers.videoHeader) return true;
    return readVideoTagHead(tag.data)?.codec == null;
  }

  #problem(problem: IngestProblem): void {
    if (this.#problems.has(problem)) return;
    this.#problems.add(problem);
    this.options.onProblem?.(this, problem);
  }

  /** Milliseconds since the last media tag (Infinity before the first). */
  idleMs(): number {
    return this.#lastMediaAt === 0 ? Infinity : this.#now() - this.#lastMediaAt;
  }

  /** Stops reading for good. */
  end(reason: string): void {
    if (this.#state === "ended") return;
    clearTimeout(this.#watch);
    this.#connection?.close();
    this.#setState("ended", reason);
  }

  #setState(state: IngestSourceState, reason?: string): void {
    this.#state = state;
    this.options.onState(this, state, reason);
  }
}
