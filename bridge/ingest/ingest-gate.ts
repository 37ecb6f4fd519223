// The ingest gate: what OBS publishes to the bridge's nginx, and the only code that talks HTTP to
// nginx. It admits or refuses each publish (the stream key, a second encoder, a stale one replaced),
// reads nginx's stat page for the numbers and for any notification that was missed, and learns from the
// data plane when a stream's media comes and goes. It tells its listeners what moved; the engine
// reconciles the relays when the published streams did.

import { EventEmitter } from "node:events";
import type { Config, Destination } from "../config/schema.js";
import type { Logger } from "../log/logger.js";
import type { DataPlane } from "../media/data-plane.js";
import { parseStat } from "../nginx/stat-parser.js";
import type { SecretRegistry } from "../secrets/redact.js";
import type { IngestView } from "../../contract/api.js";
import type { SourceFacts } from "./source-facts.js";
import { IngestState } from "./ingest-state.js";
import type { IngestChange } from "./ingest-tracker.js";
import { ingestView } from "./ingest-view.js";
import { cachedInterfaces } from "./local-interfaces.js";
import { obsAddress } from "./obs-address.js";
import { exposureWarning, ingestListenHost } from "./ingest-exposure.js";
import { isPublishNameAccepted, logName, streamNameLabel } from "./stream-names.js";
import { MAX_INGEST_STREAMS } from "../media/ingest-limits.js";

export interface IngestGateOptions {
  config: () => Config;
  dataPlane: DataPlane;
  /** nginx's stat page (the numbers, and publishes whose notification was missed). */
  statUrl: string;
  /** nginx's control endpoint (drops a stale publisher so a reconnecting encoder gets in). */
  controlUrl: string;
  secrets: SecretRegistry;
  log: Logger;
}

/**
 * What the gate tells: `streams` when the published streams or their media moved (the relays follow),
 * `view` when what the page shows of the ingest changed, `numbers` when only its bitrate did.
 */
export interface IngestGateEvents {
  streams: [];
  view: [];
  numbers: [];
}

/** A publisher that sent nothing for this long is stale: an encoder reconnecting under its name replaces it. */
const STALE_PUBLISHER_MS = 1_500;

/**
 * A stream whose reader found no video configuration has its encoder dropped at most once in this long
 * (OBS reconnects with its headers; one that never sends them is not dropped again and again).
 */
const CONFIG_DROP_EVERY_MS = 60_000;

/** A LAN address that changes (Wi-Fi joined) shows on the page within this long. */
const INTERFACES_REREAD_MS = 5_000;

export class IngestGate extends EventEmitter<IngestGateEvents> {
  readonly #state: IngestState;
  readonly #interfaces = cachedInterfaces(INTERFACES_REREAD_MS);
  #statTimer: NodeJS.Timeout | undefined;
  /**
   * Moves of a publish told by nginx's notifications (a publish being accepted, accepted, ended). A
   * stat answer is a picture from when nginx wrote it: one that was on its way while such a move
   * happened is older than the move and is not applied (the next poll reads again).
   */
  #publishMoves = 0;
  /** Streams whose publish is being accepted: the reader subscribes, nginx is not answered yet. */
  readonly #accepting = new Set<string>();
  /** When each stream's encoder was last dropped for want of a video configuration. */
  readonly #configDrops = new Map<string, number>();

  constructor(private readonly options: IngestGateOptions) {
    super();
    this.#state = new IngestState((change: IngestChange) => this.emit(change === "streams" ? "streams" : change === "format" ? "view" : "numbers"));
    options.dataPlane.on("up", (name) => {
      this.#state.mediaUp(name);
      this.emit("streams");
    });
    options.dataPlane.on("down", (name, heldMs) => {
      this.#state.mediaDown(name, heldMs);
      this.emit("streams");
    });
    options.dataPlane.on("problem", (name, problem) => {
      if (problem === "no_video_config") void this.#recoverVideoConfig(name);
      this.emit("view");
    });
  }

  get #config(): Config {
    return this.options.config();
  }

  /** Reads nginx's stat page every `intervalMs` while `running()` says nginx runs. */
  start(running: () => boolean, intervalMs = 1_000): void {
    clearInterval(this.#statTimer);
    this.#statTimer = setInterval(() => {
      if (running()) void this.#pollStat();
    }, intervalMs);
  }

  stop(): void {
    clearInterval(this.#statTimer);
  }

  /** nginx is gone: every stream with it. */
  nginxDown(): void {
    this.#state.clear();
    this.options.dataPlane.endAll();
  }

  // ---- what the relays read ---------------------------------------------------------------------

  /** The stream each destination reads now (null: nothing to read), by destination id. */
  reads(config: Config): Map<string, string | null> {
    const main = this.#state.mainStream(config);
    return new Map(config.destinations.map((destination: Destination) => [destination.id, this.#state.readsFor(config, destination, main)]));
  }

  /** How long relays that read `stream` are kept on the stand-in now that it went down. */
  heldMs(stream: string): number {
    return this.#state.heldMs(stream);
  }

  /** What is known of the ingest stream `input`: its picture from its codec headers, its bitrate from nginx. */
  sourceFacts(input: string | null): SourceFacts | undefined {
    if (input === null) return undefined;
    const stat = this.#state.stream(input);
    const headers = this.options.dataPlane.media(input)?.format.video;
    const statVideo = stat?.video && stat.video.width > 0 ? stat.video : undefined;
    const width = headers?.width || statVideo?.width || 0;
    const height = headers?.height || statVideo?.height || 0;
    const fps = headers?.fps || statVideo?.fps || 0;
    const codec = headers?.codec;
    return { ...(width > 0 && height > 0 ? { video: { width, height, fps } } : {}), ...(codec ? { codec } : {}), bitrateKbps: stat?.bitrateKbps ?? 0 };
  }

  /** A stream's name as the page shows it (the ingest key never: `KEY-youtube` reads `source youtube`). */
  label(name: string): string {
    return streamNameLabel(this.#config.ingest.key, name);
  }

  /** The ingest as the status shows it, with what to paste into OBS. */
  view(): IngestView {
    const config = this.#config;
    const main = this.#state.mainStream(config);
    const mainStream = main !== null ? this.#state.stream(main) : undefined;
    const streams = mainStream ? [mainStream, ...this.#state.names.filter((name) => name !== main).map((name) => this.#state.stream(name)!)] : [];
    return {
      ...ingestView({
        streams,
        label: (name) => this.label(name),
        keyframeMs: (name) => this.options.dataPlane.media(name)?.keyframeIntervalMs ?? undefined,
        format: (name) => this.options.dataPlane.media(name)?.format,
        hint: this.#state.wrongApplicationHint(Date.now()) ?? exposureWarning(config.ingest) ?? undefined,
      }),
      obs: obsAddress({ ...config.ingest, host: ingestListenHost(config.ingest) }, this.#interfaces()),
    };
  }

  // ---- nginx's notifications --------------------------------------------------------------------

  /**
   * nginx asks whether to accept a publish (connection `clientId`): with `ingest.key` set, only as KEY
   * or KEY-SOURCE. A second encoder on a live name is refused and touches nothing, unless the first one
   * went silent (a frozen encoder or network): then the stale publisher is dropped and the new one,
   * usually the same OBS reconnecting, takes its place.
   */
  async acceptPublish(app: string, name: string, clientId: string): Promise<boolean> {
    const ingest = this.#config.ingest;
    if (app !== ingest.app) return false;
    if (!isPublishNameAccepted(ingest.key, name)) {
      this.options.log.warn(
        `refused a publish under a stream name that is not ingest.key (from OBS: set the stream key to ingest.key, or ingest.key-SOURCE for a destination's source)`,
      );
      return false;
    }
    const label = logName(this.label(name));
    const current = this.#state.publisher(name);
    // (A publisher learnt from the stat page has no connection id: a notification was missed.)
    const replacing = current !== undefined && current !== "" && current !== clientId;
    const idleMs = replacing ? this.options.dataPlane.idleMs(name) : Infinity;
    if (replacing && idleMs < STALE_PUBLISHER_MS) {
      this.options.log.warn(`refused a second encoder publishing ${label} while it is live (the first one keeps the stream)`);
      return false;
    }
    const main = this.#state.mainStream(this.#config);
    const others = this.#state.names.filter((published) => published !== name && published !== main).length + this.#accepting.size;
    if (current === undefined && name !== main && others + 1 >= MAX_INGEST_STREAMS) {
      const why = `refused a publish of ${label}: the ingest already reads ${others + 1} streams, the most it takes at once (${MAX_INGEST_STREAMS}, the main one included): end a stream, then publish again`;
      this.options.log.warn(why);
      this.#state.noteWrongApplication(why, Date.now());
      this.emit("view");
      return false;
    }
    this.#publishMoves += 1;
    this.#accepting.add(name);
    try {
      if (replacing) {
        this.options.log.info(`ingest ${label}: the encoder reconnected (the old connection sent nothing for ${Math.round(Math.min(idleMs, 99_000) / 100) / 10} s): replacing it`);
        await this.#dropPublisher(name, current!);
      }
      // The reader subscribes before nginx is answered, so it gets the encoder's first keyframe.
      await this.options.dataPlane.streamStarted(name);
      this.options.log.info(`ingest ${label} started`);
      this.#state.published(name, clientId, Date.now());
      const mainNow = this.#state.mainStream(this.#config);
      if (this.#config.ingest.key === "" && mainNow !== name && !this.#claimed(name)) {
        this.options.log.warn(
          `ingest ${label} is not the main stream (${logName(this.label(mainNow ?? ""))} is, for as long as the bridge runs): no platform gets it ` +
            `unless a destination names it as its source. To stream under another name, restart the bridge; to keep strangers out, set ingest.key`,
        );
      }
      return true;
    } finally {
      this.#accepting.delete(name);
      this.#publishMoves += 1;
    }
  }

  /** nginx says connection `clientId` stopped publishing `name`; another connection's end changes nothing. */
  publishDone(app: string, name: string, clientId: string): void {
    if (app !== this.#config.ingest.app) return;
    if (!this.#state.publishDone(name, clientId)) return;
    this.#publishMoves += 1;
    this.options.log.info(`ingest ${logName(this.label(name))} ended`);
    this.options.dataPlane.streamEnded(name);
  }

  /** OBS asked for an application the ingest does not have: say which to use, in the log and on the page. */
  noteWrongApplication(app: string): void {
    const ingest = this.#config.ingest;
    const base = `rtmp://THIS-COMPUTER:${ingest.port}`;
    // The application is the publisher's text: escaped like a stream name, so it forges no log line.
    const hint = this.options.secrets.redact(`OBS tried ${base}/${logName(app).slice(1, -1)}: use ${base}/${ingest.app} as OBS's server`);
    this.options.log.warn(hint);
    this.#state.noteWrongApplication(hint, Date.now());
    this.emit("view");
  }

  /** True when a destination reads `name` as its source. */
  #claimed(name: string): boolean {
    return this.#config.destinations.some((destination) => destination.source === name);
  }

  /**
   * The reader of `name` joined after the publish and nginx kept no configuration of its video (HEVC,
   * AV1, VP9): nginx drops the encoder once, OBS reconnects, and its new publish, which the reader
   * subscribes to before nginx accepts it, starts with every codec header.
   */
  async #recoverVideoConfig(name: string): Promise<void> {
    const now = Date.now();
    const last = this.#configDrops.get(name);
    if (last !== undefined && now - last < CONFIG_DROP_EVERY_MS) {
      this.options.log.warn(`ingest "${this.label(name)}": still no video configuration after the encoder reconnected: stop and start the stream in OBS`);
      return;
    }
    this.#configDrops.set(name, now);
    this.options.log.info(`ingest "${this.label(name)}": dropping the encoder once so it reconnects with its codec configuration`);
    this.#publishMoves += 1;
    await this.#dropPublisher(name, this.#state.publisher(name) ?? "");
  }

  /** Asks nginx to drop the publisher `clientId` of `name` ("" = whoever publishes it); the ingest forgets it either way. */
  async #dropPublisher(name: string, clientId: string): Promise<void> {
    this.#state.publishDone(name, clientId);
    this.options.dataPlane.streamEnded(name);
    const query = new URLSearchParams({ app: this.#config.ingest.app, name, ...(clientId !== "" ? { clientid: clientId } : {}) });
    try {
      await fetch(`${this.options.controlUrl}/drop/publisher?${query}`, { signal: AbortSignal.timeout(2_000) });
    } catch (error) {
      this.options.log.warn(`could not drop the stale publisher: ${(error as Error).message}`);
    }
  }

  async #pollStat(): Promise<void> {
    const moves = this.#publishMoves;
    try {
      const response = await fetch(this.options.statUrl, { signal: AbortSignal.timeout(2_000) });
      const text = await response.text();
      // Applied, a stale answer would end the reader of a publish being accepted (before its name
      // shows on the stat page), and so cost the platforms the encoder's first GOP; or bring back a
      // publish that just ended.
      if (moves !== this.#publishMoves || this.#accepting.size > 0) return;
      const streams = parseStat(text).filter((stream) => stream.app === this.#config.ingest.app);
      this.#state.applyStat(streams, Date.now());
      // A publish whose notification was missed is read all the same; one that vanished is let go.
      const published = new Set(this.#state.names);
      for (const name of published) if (!this.options.dataPlane.reads(name)) void this.options.dataPlane.streamStarted(name);
      for (const name of this.options.dataPlane.streams()) if (!published.has(name)) this.options.dataPlane.streamEnded(name);
    } catch (error) {
      this.options.log.debug(`stat poll failed: ${(error as Error).message}`);
    }
  }
}
