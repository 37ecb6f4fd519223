// Relay's data plane: one reader per published ingest stream (with its keyframe cache), one feeder per
// running relay, and the stand-in that keeps platforms connected while OBS is gone. It decides which
// source each relay's feeder follows; the relay lifecycle is told when a stream's media comes and goes.

import { EventEmitter } from "node:events";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import type { Logger } from "../log/logger.js";
import { DEFAULT_FEEDER_LIMITS, Feeder, type FeederLimits, type FeedSink } from "./feeder.js";
import { IngestSource, type IngestProblem, type IngestSourceState } from "./ingest-source.js";
import { clipFromFlv, encodeStandIn, StandInSource, type StandInClip } from "./stand-in.js";
import { formatKey, type StreamFormat } from "./stream-format.js";
import { standInCardSvg } from "./stand-in-card.js";
import { clipsToKeep, LatestJobQueue, standInSizeProblem } from "./stand-in-jobs.js";
import { cacheShareBytes } from "./ingest-limits.js";
import type { GopCacheLimits } from "./gop-cache.js";

export interface DataPlaneOptions {
  /** rtmp://127.0.0.1:PORT/APP of the bridge's nginx, read when a stream starts. */
  ingestUrl: () => string;
  /** How long platforms are kept on the stand-in (0: no stand-in, relays end with the stream). */
  holdMs: () => number;
  /** An image file for the stand-in ("" = the generated card). */
  slateImage: () => string;
  ffmpeg: () => Promise<string>;
  /** Renders an SVG to a PNG of the given size (the same renderer as the key images). */
  renderPng: (svg: string, width: number, height: number) => Promise<Buffer>;
  runtimeDir: string;
  log: Logger;
  /** No media for this long while published: the encoder froze (the stand-in takes over). */
  stallMs?: number;
  feederLimits?: FeederLimits;
}

/**
 * No media for this long from a published stream: the encoder froze (its network or itself). At 30 fps
 * a picture comes every 33 ms and a sound frame every 21 ms, so 350 ms of nothing is more than jitter;
 * the platforms get the stand-in within 500 ms of the last frame rather than a longer silence. Shorter
 * would show the stand-in for a hiccup (until the encoder's next keyframe); longer, a longer stop.
 */
const STALL_MS = 350;

/** Changes when the stand-in's encoding changes, so clips kept on disk are made again. */
const STAND_IN_VERSION = 2;

/** A stand-in ready to play: the clip, the slate it was made from, its files in the runtime folder. */
interface ReadyClip {
  clip: StandInClip;
  slate: string;
  files: string[];
}

interface Route {
  stream: string;
  feeder: Feeder;
}

/** What the data plane knows of one stream, for the ingest view. */
export interface StreamMedia {
  state: IngestSourceState;
  format: StreamFormat;
  keyframeIntervalMs: number | null;
  cachedBytes: number;
  problems: IngestProblem[];
}

/** What the data plane tells: media up and down per stream, and skips per relay. */
export interface DataPlaneEvents {
  /** A stream's media began (or came back): relays on it can start or leave the stand-in. */
  up: [name: string];
  /** A stream's media is gone; `heldMs` > 0 when its relays are kept on the stand-in that long. */
  down: [name: string, heldMs: number];
  /** A relay fell behind and skipped to the next keyframe (its view's counter moved). */
  skip: [id: string];
  /** A stream holds something Relay cannot relay as it is (said once per reader). */
  problem: [name: string, problem: IngestProblem];
}

export class DataPlane extends EventEmitter<DataPlaneEvents> {
  readonly #sources = new Map<string, IngestSource>();
  readonly #standIns = new Map<string, StandInSource>();
  readonly #routes = new Map<string, Route>();
  /** Stand-in clips by format key, while asked (waiting for their turn, or encoding). */
  readonly #clips = new Map<string, Promise<StandInClip | null>>();
  /** Stand-in clips made, by format key, oldest first (pruned: see stand-in-jobs.ts). */
  readonly #readyClips = new Map<string, ReadyClip>();
  /** Formats and slates whose stand-in could not be made ("KEY|SLATE"): not asked again unless seen again. */
  readonly #failedClips = new Set<string>();
  /** One stand-in encode at a time; the latest format asked waits for its turn. */
  readonly #encodes = new LatestJobQueue<ReadyClip>();
  /** Each stream's keyframe cache bound: an equal share of the total while several are read. */
  readonly #cacheLimits: GopCacheLimits;
  /** Streams whose media was reported up (so down is reported once, and only after up). */
  readonly #up = new Set<string>();
  /** Streams that went down while their stand-in was still being encoded: decided once it is ready. */
  readonly #downWhileEncoding = new Map<string, IngestSource>();

  constructor(private readonly options: DataPlaneOptions) {
    super();
    const sources = this.#sources;
    this.#cacheLimits = {
      get maxBytes(): number {
        return cacheShareBytes(sources.size);
      },
    };
  }

  /**
   * A publish of `name` is about to be accepted: read it. Resolves once nginx took the reader's play
   * (or gave up trying), so that nginx, answered after this, hands the reader the encoder's very first
   * keyframe rather than the one after it.
   */
  async streamStarted(name: string): Promise<void> {
    this.#sources.get(name)?.end("replaced by a new publish");
    const source = new IngestSource({
      serverUrl: this.options.ingestUrl(),
      streamName: name,
      stallMs: this.options.stallMs ?? STALL_MS,
      cacheLimits: this.#cacheLimits,
      onBadHeader: (problem) => this.options.log.warn(`ingest stream: ${problem}`),
      onState: (changed, state, reason) => this.#onSourceState(name, changed, state, reason),
      onFormat: (changed) => {
        if (changed.state === "flowing") this.#prepareStandIn(changed.format);
      },
      onProblem: (changed, problem) => {
        if (this.#sources.get(name) !== changed) return;
        this.options.log.warn(
          problem === "multitrack"
            ? "the encoder sends multitrack video (Enhanced RTMP), which Relay does not carry yet: its multitrack packets are left out; turn off multitrack video in OBS's stream settings"
            : "the ingest stream's video came without its codec configuration (the bridge started while the encoder was already streaming HEVC or AV1): nothing can be relayed until the encoder reconnects",
        );
        this.emit("problem", name, problem);
      },
    });
    this.#sources.set(name, source);
    try {
      await source.start();
    } catch (error) {
      if (this.#sources.get(name) !== source) return;
      this.options.log.warn(`could not read ingest stream: ${(error as Error).message}`);
      source.end((error as Error).message);
    }
  }

  /** nginx says the publish of `name` ended. */
  streamEnded(name: string): void {
    this.#sources.get(name)?.end("the encoder stopped publishing");
  }

  /** Every stream ended (nginx stopped). */
  endAll(): void {
    for (const source of this.#sources.values()) source.end("nginx stopped");
  }

  /** True while `name` is being read (from its publish to its end). */
  reads(name: string): boolean {
    const source = this.#sources.get(name);
    return source !== undefined && source.state !== "ended";
  }

  /** The streams being read. */
  streams(): string[] {
    return [...this.#sources.keys()].filter((name) => this.reads(name));
  }

  /** Milliseconds since `name`'s last media (Infinity when it has none or is not read). */
  idleMs(name: string): number {
    return this.#sources.get(name)?.idleMs() ?? Infinity;
  }

  /** True while `name`'s media flows into the cache. */
  isFlowing(name: string): boolean {
    return this.#sources.get(name)?.state === "flowing";
  }

  media(name: string): StreamMedia | undefined {
    const source = this.#sources.get(name);
    if (!source) return undefined;
    return { state: source.state, format: source.format, keyframeIntervalMs: source.cache.keyframeIntervalMs, cachedBytes: source.cache.bytes, problems: [...source.problems] };
  }

  /** A relay for `id` started reading `sink`: feed it `stream` from the cache on. */
  attach(id: string, stream: string, sink: FeedSink): void {
    this.detach(id);
    const feeder = new Feeder(sink, this.options.feederLimits ?? DEFAULT_FEEDER_LIMITS, () => this.emit("skip", id));
    this.#routes.set(id, { stream, feeder });
    const source = this.#sources.get(stream);
    if (source && source.state !== "ended") feeder.follow(source);
  }

  /** The relay of `id` should now follow `stream` (kept on the stand-in until that stream flows). */
  retarget(id: string, stream: string): void {
    const route = this.#routes.get(id);
    if (!route || route.stream === stream) return;
    route.stream = stream;
    const source = this.#sources.get(stream);
    if (source?.state === "flowing") route.feeder.follow(source);
    this.#stopIdleStandIns();
  }

  /** The relay of `id` is stopping: feed it no more. */
  detach(id: string): void {
    const route = this.#routes.get(id);
    if (!route) return;
    route.feeder.detach();
    this.#routes.delete(id);
    this.#stopIdleStandIns();
  }

  /** The relay of `id` now reaches the platform with the stand-in rather than the stream. */
  isHolding(id: string): boolean {
    const route = this.#routes.get(id);
    return route !== undefined && route.feeder.source instanceof StandInSource;
  }

  /** How often `id`'s relay fell behind and skipped to a keyframe. */
  skips(id: string): number {
    return this.#routes.get(id)?.feeder.skips ?? 0;
  }

  /** Relay `id` has sent media up to `outMs` of its timeline (bounds its delay: feeder.ts). */
  reportSent(id: string, outMs: number): void {
    this.#routes.get(id)?.feeder.reportSent(outMs);
  }

  /** How far relay `id` is behind the media fed to it, ms (null: not known). */
  behindMs(id: string): number | null {
    return this.#routes.get(id)?.feeder.behindMs ?? null;
  }

  /** Ends every reader and stand-in (bridge shutdown; relays are stopped by their runners). */
  close(): void {
    for (const source of this.#sources.values()) source.end("the bridge is stopping");
    for (const standIn of this.#standIns.values()) standIn.stop();
    this.#standIns.clear();
  }

  #onSourceState(name: string, source: IngestSource, state: IngestSourceState, reason?: string): void {
    if (this.#sources.get(name) !== source) return;
    switch (state) {
      case "flowing":
        this.options.log.debug(`ingest media flowing`);
        this.#downWhileEncoding.delete(name);
        for (const route of this.#routes.values()) if (route.stream === name) route.feeder.follow(source);
        this.#stopIdleStandIns();
        this.#prepareStandIn(source.format);
        this.#up.add(name);
        this.emit("up", name);
        return;
      case "stalled":
      case "ended": {
        if (state === "ended") this.#sources.delete(name);
        if (!this.#up.has(name)) return;
        // OBS dropped seconds after its first publish in this format: the stand-in is still being
        // encoded. The platforms wait for it (a few seconds without media, as in any hiccup) rather than
        // being ended; the hold is decided once it is ready, unless OBS is back by then.
        const encoding = this.options.holdMs() > 0 ? this.#standInEncoding(source.format) : undefined;
        if (encoding) {
          if (this.#downWhileEncoding.has(name)) return;
          this.#downWhileEncoding.set(name, source);
          this.options.log.info(`ingest media ${state === "ended" ? "ended" : "stalled"} (${reason ?? "no reason"}): the stand-in picture is still being prepared, platforms wait for it`);
          void encoding.then(() => {
            if (this.#downWhileEncoding.get(name) !== source) return;
            this.#downWhileEncoding.delete(name);
            this.#goDown(name, source, source.state === "ended" ? "ended" : state, reason);
          });
          return;
        }
        this.#goDown(name, source, state, reason);
        return;
      }
      default:
        return;
    }
  }

  /** `name`'s media is gone: its relays go to the stand-in when there is one, and the engine is told. */
  #goDown(name: string, source: IngestSource, state: "stalled" | "ended", reason: string | undefined): void {
    if (!this.#up.has(name)) return;
    const holdMs = this.options.holdMs();
    const held = holdMs > 0 && this.#holdOnStandIn(name, source.format);
    // Without a stand-in a stall is left to the relays' own watchdog; an end ends them.
    if (state === "stalled" && !held) return;
    this.#up.delete(name);
    this.options.log.info(`ingest media ${state === "ended" ? "ended" : "stalled"} (${reason ?? "no reason"})${held ? `: platforms kept on the stand-in for ${Math.round(holdMs / 1000)} s` : ""}`);
    this.emit("down", name, held ? holdMs : 0);
  }

  /** The stand-in of `format` while it is still being encoded (undefined when ready, failed or never asked). */
  #standInEncoding(format: StreamFormat): Promise<StandInClip | null> | undefined {
    const key = formatKey(format);
    return this.#readyClips.has(key) ? undefined : this.#clips.get(key);
  }

  /** Moves the relays following `name` to the stand-in; false when there is none to give. */
  #holdOnStandIn(name: string, format: StreamFormat): boolean {
    const clip = this.#readyClips.get(formatKey(format))?.clip;
    if (!clip) {
      this.options.log.warn(`no stand-in picture ready for this stream's format (${formatKey(format)}): platforms end with the stream`);
      return false;
    }
    const routes = [...this.#routes.values()].filter((route) => route.stream === name && route.feeder.flowing);
    if (routes.length === 0) return true;
    let standIn = this.#standIns.get(name);
    if (!standIn) {
      standIn = new StandInSource(clip);
      this.#standIns.set(name, standIn);
      standIn.start();
    }
    for (const route of routes) route.feeder.follow(standIn);
    return true;
  }

  #stopIdleStandIns(): void {
    for (const [name, standIn] of this.#standIns) {
      if (standIn.followers > 0) continue;
      standIn.stop();
      this.#standIns.delete(name);
    }
  }

  /**
   * `ingest.slate` changed: the stand-ins made from the old one are made again for the streams read
   * now (the old ones stay in use until then), and any other format gets the new one when next seen.
   */
  refreshStandIns(): void {
    for (const source of this.#sources.values()) if (source.state === "flowing" || source.state === "stalled") this.#prepareStandIn(source.format);
  }

  /**
   * Encodes the stand-in for `format` in the background, once per format and slate, one encode at a
   * time: a format asked while another is encoded waits, and a later one takes its place.
   */
  #prepareStandIn(format: StreamFormat): void {
    if (this.options.holdMs() <= 0 || (!format.video && !format.audio)) return;
    const key = formatKey(format);
    const slate = this.options.slateImage();
    if (this.#readyClips.get(key)?.slate === slate || this.#clips.has(key)) return;
    const job: Promise<StandInClip | null> = this.#encodes.ask(key, () => this.#encodeAndKeep(key, format, slate)).then(
      (made) => {
        if (this.#clips.get(key) === job) this.#clips.delete(key);
        // null: a later format took its place before its turn (it is asked again below if still read).
        if (!made) return this.#readyClips.get(key)?.clip ?? null;
        this.options.log.debug(`stand-in ready for ${key}`);
        this.#prepareMissing();
        return made.clip;
      },
      (error: Error) => {
        if (this.#clips.get(key) === job) this.#clips.delete(key);
        // (Forgotten past a few dozen: a publisher sending absurd formats never grows it.)
        if (this.#failedClips.size >= 64) this.#failedClips.clear();
        this.#failedClips.add(`${key}|${slate}`);
        this.options.log.warn(`${error.message}: platforms will end with the stream instead of holding`);
        this.#prepareMissing();
        return this.#readyClips.get(key)?.clip ?? null;
      },
    );
    this.#clips.set(key, job);
  }

  /**
   * After an encode, while no other format waits: asks for the stand-in of the streams read now that
   * have none for the current slate (one whose turn was taken by a later format), except those that failed.
   */
  #prepareMissing(): void {
    if (this.#encodes.waiting !== undefined) return;
    const slate = this.options.slateImage();
    for (const source of this.#sources.values()) {
      const key = formatKey(source.format);
      const done = this.#clips.has(key) || this.#readyClips.get(key)?.slate === slate || this.#failedClips.has(`${key}|${slate}`);
      if (source.state !== "ended" && !done) this.#prepareStandIn(source.format);
    }
  }

  /** Encodes `format`'s stand-in, keeps it, and prunes the clips and the runtime folder (still alone: no other encode runs). */
  async #encodeAndKeep(key: string, format: StreamFormat, slate: string): Promise<ReadyClip> {
    const made = await this.#encode(format, slate);
    this.#readyClips.delete(key);
    this.#readyClips.set(key, made);
    const inUse = new Set([...this.#sources.values()].map((source) => formatKey(source.format)));
    const keep = clipsToKeep([...this.#readyClips.keys()], inUse);
    for (const old of [...this.#readyClips.keys()]) if (!keep.has(old)) this.#readyClips.delete(old);
    await this.#pruneFolder().catch((error: Error) => this.options.log.debug(`could not prune the stand-in folder: ${error.message}`));
    return made;
  }

  /** Removes from the runtime folder every stand-in file no kept clip was made from or read from. */
  async #pruneFolder(): Promise<void> {
    const dir = join(this.options.runtimeDir, "stand-in");
    const kept = new Set([...this.#readyClips.values()].flatMap((ready) => ready.files));
    const names = await readdir(dir);
    await Promise.all(names.filter((name) => !kept.has(join(dir, name))).map((name) => rm(join(dir, name), { force: true })));
  }

  /** The stand-in clip for `format`: from the runtime folder when made before, else encoded and kept there. */
  async #encode(format: StreamFormat, slate: string): Promise<ReadyClip> {
    const width = format.video?.width || 1280;
    const height = format.video?.height || 720;
    const tooLarge = format.video ? standInSizeProblem(width, height) : null;
    if (tooLarge) throw new Error(`could not make the stand-in picture: ${tooLarge}`);
    const dir = join(this.options.runtimeDir, "stand-in");
    await mkdir(dir, { recursive: true });
    let image = slate;
    let imageId = "card";
    const files: string[] = [];
    if (image === "") {
      image = join(dir, `card-${width}x${height}.png`);
      await writeFile(image, await this.options.renderPng(standInCardSvg(width, height), width, height));
      files.push(image);
    } else {
      const info = await stat(image);
      imageId = `${image}|${info.size}|${info.mtimeMs}`;
    }
    const id = createHash("sha256").update(`${STAND_IN_VERSION}|${formatKey(format)}|${imageId}`).digest("hex").slice(0, 16);
    const file = join(dir, `${id}.flv`);
    files.push(file);
    const kept = await readFile(file).catch(() => null);
    if (kept) {
      try {
        return { clip: clipFromFlv(kept, format), slate, files };
      } catch {
        // A damaged file is made again below.
      }
    }
    const bytes = await encodeStandIn(await this.options.ffmpeg(), image, format);
    const clip = clipFromFlv(bytes, format);
    await writeFile(`${file}.tmp`, bytes);
    await rename(`${file}.tmp`, file);
    return { clip, slate, files };
  }
}
