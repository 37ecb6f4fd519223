// The relay engine: one runner per destination, fed by the ingest (nginx's notifications and stat
// page) and by the user's wishes (API). It implements the BridgeApi the HTTP layer calls.

import { EventEmitter } from "node:events";
import { networkInterfaces } from "node:os";
import { obsAddress } from "../ingest/obs-address.js";
import type { Logger } from "../log/logger.js";
import type { ConfigStore } from "../config/store.js";
import type { Config, Destination } from "../config/schema.js";
import { streamKeyWarning } from "../config/stream-key-warning.js";
import { MAX_DESTINATIONS } from "../config/schema.js";
import { deriveId, parseDestinationInput, parseDestinationPatch } from "../config/destination-input.js";
import { findBinary } from "../binaries/find-binary.js";
import { buildRelayArgs, joinStreamUrl, sentStreamKey } from "../ffmpeg/relay-args.js";
import { supportsRtmps } from "../ffmpeg/capabilities.js";
import type { FfmpegProgram } from "../ffmpeg/ffmpeg-program.js";
import type { PidRegistry } from "../process/pid-registry.js";
import type { StunnelPool } from "../stunnel/stunnel-pool.js";
import { tlsTarget } from "../stunnel/render-config.js";
import { parseStat } from "../nginx/stat-parser.js";
import type { ServiceSupervisor } from "../process/service-supervisor.js";
import { IngestTracker } from "../ingest/ingest-tracker.js";
import type { SecretRegistry } from "../secrets/redact.js";
import { isPublishNameAccepted, sourceStreamName, streamNameLabel } from "../ingest/stream-names.js";
import { ApiError, notFound } from "../http/errors.js";
import type { BridgeApi, ServiceName } from "../http/bridge-api.js";
import type { DestinationView, IngestStreamView, IngestView, ObsView, StatusView } from "../shared/api.js";
import { RelayRunner, type RelayPlan } from "./relay-runner.js";
import type { DataPlane } from "../media/data-plane.js";

export interface EngineOptions {
  store: ConfigStore;
  secrets: SecretRegistry;
  log: Logger;
  version: string;
  nginx: ServiceSupervisor;
  statUrl: string;
  /** nginx's control endpoint (drops a stale publisher so a reconnecting encoder gets in). */
  controlUrl: string;
  stunnel: StunnelPool;
  dataPlane: DataPlane;
  /** Secrets that do not live in the config file (a token from RELAY_TOKEN or the command line). */
  extraSecrets?: () => string[];
  pids: PidRegistry;
  /** ffmpeg found and its version checked (status: services.ffmpeg). */
  ffmpeg?: FfmpegProgram;
  /** How often the stat page is read while nginx runs. */
  statIntervalMs?: number;
  /** OBS as its own link sees it (absent: the status has no `obs`). */
  obs?: () => ObsView;
}

/** Numbers-only updates (bitrate, fps) reach subscribers at most this often. */
const NUMBERS_PERIOD_MS = 1_000;

/** A publisher that sent nothing for this long is stale: an encoder reconnecting under its name replaces it. */
const STALE_PUBLISHER_MS = 1_500;

/** A LAN address that changes (Wi-Fi joined) shows on the page within this long. */
const INTERFACES_REREAD_MS = 5_000;

/** How long the page shows that OBS published to a wrong application. */
const WRONG_APPLICATION_SHOWN_MS = 10 * 60_000;

export class RelayEngine implements BridgeApi {
  readonly #runners = new Map<string, RelayRunner>();
  /** The ingest stream each runner reads now (null: none is live). */
  readonly #inputs = new Map<string, string | null>();
  /** Ingest streams whose media flows through the data plane now. */
  readonly #mediaUp = new Set<string>();
  /** While a stream goes down: how long its relays are kept on the stand-in. */
  readonly #holdMs = new Map<string, number>();
  readonly #ingest: IngestTracker;
  readonly #events = new EventEmitter<{ change: [StatusView] }>();
  readonly #log: Logger;
  #statTimer: NodeJS.Timeout | undefined;
  #emitQueued = false;
  /** The last publish to a wrong application, shown on the ingest view for a while. */
  #wrongApplication: { hint: string; at: number } | null = null;
  #numbersTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: EngineOptions) {
    this.#log = options.log;
    this.#events.setMaxListeners(0);
    this.#ingest = new IngestTracker(() => {
      this.#routeIngest();
      this.#changed(true);
    });
    options.nginx.on("state", () => this.#changed(true));
    options.store.onReload = () => this.#reconcile();
    options.nginx.on("down", () => {
      this.#ingest.clear();
      options.dataPlane.endAll();
    });
  }

  get #config(): Config {
    return this.options.store.current;
  }

  /** Creates the runners of the configured destinations and starts nginx. */
  async start(): Promise<void> {
    this.#refreshSecrets();
    for (const destination of this.#config.destinations) this.#addRunner(destination);
    await this.options.nginx.start();
    this.#statTimer = setInterval(() => void this.#pollStat(), this.options.statIntervalMs ?? 1_000);
  }

  /** Stops every relay, then nginx. */
  async stop(): Promise<void> {
    clearInterval(this.#statTimer);
    clearTimeout(this.#numbersTimer);
    await Promise.all([...this.#runners.values()].map((runner) => runner.shutdown()));
    this.options.dataPlane.close();
    await Promise.all([this.options.nginx.stop(), this.options.stunnel.stopAll()]);
  }

  // ---- ingest ---------------------------------------------------------------------------------

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
      this.#log.warn(
        `refused a publish under a stream name that is not ingest.key (from OBS: set the stream key to ingest.key, or ingest.key-SOURCE for a destination's source)`,
      );
      return false;
    }
    const label = this.#streamLabel(name);
    const current = this.#ingest.publisher(name);
    // (A publisher learnt from the stat page has no connection id: a notification was missed.)
    if (current !== undefined && current !== "" && current !== clientId) {
      const idleMs = this.options.dataPlane.idleMs(name);
      if (idleMs < STALE_PUBLISHER_MS) {
        this.#log.warn(`refused a second encoder publishing "${label}" while it is live (the first one keeps the stream)`);
        return false;
      }
      this.#log.info(`ingest "${label}": the encoder reconnected (the old connection sent nothing for ${Math.round(Math.min(idleMs, 99_000) / 100) / 10} s): replacing it`);
      await this.#dropPublisher(name, current);
    }
    // The reader subscribes before nginx is answered, so it gets the encoder's first keyframe.
    await this.options.dataPlane.streamStarted(name);
    this.#log.info(`ingest "${label}" started`);
    this.#ingest.publish(name, clientId, Date.now());
    return true;
  }

  /** OBS asked for an application the ingest does not have: say which to use, in the log and on the page. */
  noteWrongApplication(app: string): void {
    const ingest = this.#config.ingest;
    const base = `rtmp://THIS-COMPUTER:${ingest.port}`;
    const hint = this.options.secrets.redact(`OBS tried ${base}/${app}: use ${base}/${ingest.app} as OBS's server`);
    this.#log.warn(hint);
    this.#wrongApplication = { hint, at: Date.now() };
    this.#changed(true);
  }

  /** nginx says connection `clientId` stopped publishing `name`; another connection's end changes nothing. */
  publishDone(app: string, name: string, clientId: string): void {
    if (app !== this.#config.ingest.app) return;
    if (!this.#ingest.publishDone(name, clientId)) return;
    this.#log.info(`ingest "${this.#streamLabel(name)}" ended`);
    this.options.dataPlane.streamEnded(name);
  }

  /** Asks nginx to drop the publisher `clientId` of `name`; the tracker forgets it either way. */
  async #dropPublisher(name: string, clientId: string): Promise<void> {
    this.#ingest.publishDone(name, clientId);
    this.options.dataPlane.streamEnded(name);
    const query = new URLSearchParams({ app: this.#config.ingest.app, name, clientid: clientId });
    try {
      await fetch(`${this.options.controlUrl}/drop/publisher?${query}`, { signal: AbortSignal.timeout(2_000) });
    } catch (error) {
      this.#log.warn(`could not drop the stale publisher: ${(error as Error).message}`);
    }
  }

  /** The data plane: `name`'s media flows (from its first keyframe on). */
  streamMediaUp(name: string): void {
    this.#mediaUp.add(name);
    this.#routeIngest();
    this.#changed(true);
  }

  /** The data plane: `name`'s media is gone; relays on it are kept on the stand-in for `heldMs`. */
  streamMediaDown(name: string, heldMs: number): void {
    this.#mediaUp.delete(name);
    this.#holdMs.set(name, heldMs);
    this.#routeIngest();
    this.#holdMs.delete(name);
    this.#changed(true);
  }

  async #pollStat(): Promise<void> {
    if (this.options.nginx.view.state !== "running") return;
    try {
      const response = await fetch(this.options.statUrl, { signal: AbortSignal.timeout(2_000) });
      const streams = parseStat(await response.text()).filter((stream) => stream.app === this.#config.ingest.app);
      this.#ingest.applyStat(streams, Date.now());
      // A publish whose notification was missed is read all the same; one that vanished is let go.
      const published = new Set(this.#ingest.names);
      for (const name of published) if (!this.options.dataPlane.reads(name)) void this.options.dataPlane.streamStarted(name);
      for (const name of this.options.dataPlane.streams()) if (!published.has(name)) this.options.dataPlane.streamEnded(name);
    } catch (error) {
      this.#log.debug(`stat poll failed: ${(error as Error).message}`);
    }
  }

  #claimedSources(): Set<string> {
    return new Set(this.#config.destinations.flatMap((destination) => (destination.source ? [destination.source] : [])));
  }

  /**
   * The main stream: the oldest published one, or while none is, the last one (its relays may be on
   * the stand-in, waiting for it to come back).
   */
  #mainStream(): string | null {
    // The stream relays already follow stays the main one while it is published.
    const last = this.#lastMain;
    const keep = last !== null && this.#ingest.isLive(last) && !this.#claimedSources().has(last) && (this.#config.ingest.key === "" || last === this.#config.ingest.key);
    const main = keep ? last : this.#ingest.mainStream(this.#config.ingest.key, this.#claimedSources());
    if (main !== null) this.#lastMain = main;
    return main ?? this.#lastMain;
  }

  #lastMain: string | null = null;

  /** The stream `destination` relays when its media flows, else null. The data plane says when media flows. */
  #inputFor(destination: Destination): string | null {
    const wanted = this.#wantedStream(destination, this.#mainStream());
    return wanted !== null && this.#mediaUp.has(wanted) ? wanted : null;
  }

  /** Which ingest stream each destination reads; tells runners when theirs comes, goes or changes. */
  #routeIngest(): void {
    for (const destination of this.#config.destinations) {
      const runner = this.#runners.get(destination.id);
      if (!runner) continue;
      const input = this.#inputFor(destination);
      const before = this.#inputs.get(destination.id) ?? null;
      if (input === before) continue;
      this.#inputs.set(destination.id, input);
      if (before !== null) runner.dispatch({ type: "ingestDown", holdMs: input === null ? (this.#holdMs.get(before) ?? 0) : 0 });
      if (input !== null) {
        // A relay kept on the stand-in follows the stream it now should (OBS back, maybe under another name).
        this.options.dataPlane.retarget(destination.id, input);
        runner.dispatch({ type: "ingestUp" });
      }
    }
  }

  #streamLabel(name: string): string {
    return streamNameLabel(this.#config.ingest.key, name);
  }

  /** The ingest stream `destination` reads: its source's stream, or the main one. */
  #wantedStream(destination: Destination, main: string | null): string | null {
    return destination.source !== undefined ? sourceStreamName(this.#config.ingest.key, destination.source) : main;
  }

  // ---- relays ---------------------------------------------------------------------------------

  #addRunner(destination: Destination): RelayRunner {
    const id = destination.id;
    const input = this.#inputFor(destination);
    this.#inputs.set(id, input);
    const runner = new RelayRunner({
      id,
      enabled: destination.enabled,
      ingestLive: input !== null,
      plan: () => this.#plan(id),
      redact: (text) => this.options.secrets.redact(text),
      log: this.#log.scope(`relay:${id}`),
      policy: () => {
        const relays = this.#config.relays;
        return {
          backoff: { initialMs: relays.retryInitialMs, maxMs: relays.retryMaxMs, factor: 2, jitter: 0.2 },
          maxFailures: relays.maxFailures,
          stallMs: relays.stallTimeoutMs,
        };
      },
      explainFailure: () => this.options.stunnel.recentFailure(id),
      attachInput: (stdin) => {
        const input = this.#inputs.get(id);
        if (input) this.options.dataPlane.attach(id, input, stdin);
        else stdin.end();
      },
      detachInput: () => this.options.dataPlane.detach(id),
      onProcess: (event, pid) => {
        if (event === "start") void this.options.pids.record(`relay-${id}`, "ffmpeg", pid);
        else void this.options.pids.release(`relay-${id}`);
      },
      onChange: (changed) => this.#changed(changed.context.state !== this.#lastStates.get(id), id, changed),
    });
    this.#runners.set(id, runner);
    return runner;
  }

  readonly #lastStates = new Map<string, string>();

  async #plan(id: string): Promise<RelayPlan> {
    const destination = this.#destination(id);
    const input = this.#inputs.get(id);
    if (!destination || !input) throw new Error("no ingest to relay");
    const config = this.#config;
    const command = this.options.ffmpeg ? await this.options.ffmpeg.resolve() : await findBinary("ffmpeg", config.binaries.ffmpeg);
    const tls = { verify: config.tls.verify, caFile: config.tls.caFile };
    if (!destination.url.startsWith("rtmps:")) {
      await this.options.stunnel.remove(id);
      return { command, args: buildRelayArgs({ outputUrl: joinStreamUrl(destination.url, destination.key) }) };
    }
    const direct = destination.transport === "direct" || (destination.transport === "auto" && (await supportsRtmps(command)));
    if (direct) {
      await this.options.stunnel.remove(id);
      return { command, args: buildRelayArgs({ outputUrl: joinStreamUrl(destination.url, destination.key), tls }) };
    }
    // Through a local stunnel: plain RTMP to loopback, TLS (checked) from there to the platform.
    const target = tlsTarget(destination.url);
    const port = await this.options.stunnel.ensure(id, { host: target.host, port: target.port, ...tls });
    const outputUrl = joinStreamUrl(`rtmp://127.0.0.1:${port}${target.path}`, destination.key);
    return { command, args: buildRelayArgs({ outputUrl }) };
  }

  #destination(id: string): Destination | undefined {
    return this.#config.destinations.find((destination) => destination.id === id);
  }

  #runner(id: string): RelayRunner {
    const runner = this.#runners.get(id);
    if (!runner || !this.#destination(id)) throw notFound(`Destination "${id}"`);
    return runner;
  }

  /** Restarts a running relay so it picks up a changed URL, key or source. */
  #reconnect(id: string): void {
    const runner = this.#runners.get(id);
    if (!runner) return;
    const input = this.#inputs.get(id) ?? null;
    if (input === null) return;
    runner.dispatch({ type: "ingestDown" });
    runner.dispatch({ type: "ingestUp" });
  }

  /** After a hand edit of the config file: runners follow the destinations and wishes in it. */
  #reconcile(): void {
    this.#refreshSecrets();
    const ids = new Set(this.#config.destinations.map((destination) => destination.id));
    for (const [id, runner] of this.#runners) {
      if (ids.has(id)) continue;
      this.#runners.delete(id);
      this.#inputs.delete(id);
      this.#lastStates.delete(id);
      void runner.shutdown().then(() => this.options.stunnel.remove(id));
    }
    for (const destination of this.#config.destinations) {
      const runner = this.#runners.get(destination.id);
      if (!runner) this.#addRunner(destination);
      else if (runner.context.enabled !== destination.enabled) runner.dispatch({ type: destination.enabled ? "enable" : "disable" });
    }
    this.#log.info("the config file was edited: destinations reloaded from it");
    this.#changed(true);
  }

  // ---- change notification ----------------------------------------------------------------------

  /** State changes reach subscribers at once (next tick, batched); numbers at most once a second. */
  #changed(urgent: boolean, id?: string, runner?: RelayRunner): void {
    if (id && runner) this.#lastStates.set(id, runner.context.state);
    if (urgent) {
      if (this.#emitQueued) return;
      this.#emitQueued = true;
      setImmediate(() => {
        this.#emitQueued = false;
        clearTimeout(this.#numbersTimer);
        this.#numbersTimer = undefined;
        this.#emit();
      });
      return;
    }
    if (this.#numbersTimer || this.#emitQueued) return;
    this.#numbersTimer = setTimeout(() => {
      this.#numbersTimer = undefined;
      this.#emit();
    }, NUMBERS_PERIOD_MS);
  }

  #emit(): void {
    if (this.#events.listenerCount("change") === 0) return;
    this.#events.emit("change", this.status());
  }

  #refreshSecrets(): void {
    const config = this.#config;
    // Each key as typed and as sent (joinStreamUrl drops its leading slashes): programs print the latter.
    const keys = config.destinations.flatMap((destination) => [destination.key, sentStreamKey(destination.key)]);
    // OBS's own platform key, kept from before "Set up OBS for Relay".
    const kept = config.obs.previousService?.settings.key;
    this.options.secrets.set([
      config.ingest.key,
      config.bridge.token,
      config.obs.password,
      ...(typeof kept === "string" ? [kept] : []),
      ...keys,
      ...(this.options.extraSecrets?.() ?? []),
    ]);
  }

  /** A relay skipped to a keyframe (its counter is in its view). */
  mediaSkipped(): void {
    this.#changed(false);
  }

  /** ffmpeg was found, or found missing or too old. */
  ffmpegChanged(): void {
    this.#changed(true);
  }

  /** stunnel clients changed state. */
  stunnelChanged(): void {
    this.#changed(true);
  }

  /** OBS's view changed (`urgent`: more than its numbers). */
  obsChanged(urgent: boolean): void {
    this.#changed(urgent);
  }

  /** The config was changed outside the engine (OBS's settings, a generated ingest.key): re-read its secrets. */
  configChanged(): void {
    this.#refreshSecrets();
    this.#changed(true);
  }

  // ---- BridgeApi ------------------------------------------------------------------------------

  /** The machine's network interfaces, read at most every few seconds (every status answer shows them). */
  #interfaces(): ReturnType<typeof networkInterfaces> {
    const now = Date.now();
    if (!this.#interfacesRead || now - this.#interfacesRead.at > INTERFACES_REREAD_MS) this.#interfacesRead = { at: now, list: networkInterfaces() };
    return this.#interfacesRead.list;
  }

  #interfacesRead: { at: number; list: ReturnType<typeof networkInterfaces> } | undefined;

  status(): StatusView {
    return {
      version: this.options.version,
      ingest: { ...this.#ingestView(), obs: obsAddress(this.#config.ingest, this.#interfaces()) },
      services: {
        nginx: this.options.nginx.view,
        stunnel: this.options.stunnel.view,
        ...(this.options.ffmpeg ? { ffmpeg: this.options.ffmpeg.view } : {}),
      },
      destinations: this.listDestinations(),
      ...(this.options.obs ? { obs: this.options.obs() } : {}),
    };
  }

  onChange(listener: (status: StatusView) => void): () => void {
    this.#events.on("change", listener);
    return () => this.#events.off("change", listener);
  }

  listDestinations(): DestinationView[] {
    return this.#config.destinations.map((destination) => this.#view(destination));
  }

  getDestination(id: string): DestinationView | undefined {
    const destination = this.#destination(id);
    return destination ? this.#view(destination) : undefined;
  }

  async createDestination(body: unknown): Promise<DestinationView> {
    const input = parseDestinationInput(body);
    let created: Destination | undefined;
    await this.options.store.update((draft) => {
      if (draft.destinations.length >= MAX_DESTINATIONS) {
        throw new ApiError(400, "too_many_destinations", `There are ${MAX_DESTINATIONS} destinations already, the most the bridge takes: delete one you no longer use`);
      }
      const taken = new Set(draft.destinations.map((destination) => destination.id));
      if (input.id !== undefined && taken.has(input.id)) {
        throw new ApiError(409, "duplicate_id", `A destination with id "${input.id}" exists already: pick another id or PATCH that one`, "id");
      }
      const id = input.id ?? deriveId(input.name, taken);
      created = {
        id,
        name: input.name,
        url: input.url,
        key: input.key ?? "",
        enabled: input.enabled ?? false,
        transport: input.transport ?? "auto",
        ...(input.platform !== undefined ? { platform: input.platform } : {}),
        ...(input.source !== undefined ? { source: input.source } : {}),
      };
      draft.destinations.push(created);
    });
    const destination = this.#destination(created!.id)!;
    this.#refreshSecrets();
    this.#addRunner(destination);
    this.#log.info(`destination "${destination.id}" added`);
    this.#changed(true);
    return this.#view(destination);
  }

  async updateDestination(id: string, body: unknown): Promise<DestinationView> {
    this.#runner(id);
    const patch = parseDestinationPatch(body);
    const before = this.#destination(id)!;
    await this.options.store.update((draft) => {
      const target = draft.destinations.find((destination) => destination.id === id);
      if (!target) throw notFound(`Destination "${id}"`);
      for (const [field, value] of Object.entries(patch)) {
        if (value !== undefined) (target as Record<string, unknown>)[field] = value;
      }
    });
    const after = this.#destination(id)!;
    this.#refreshSecrets();
    const runner = this.#runner(id);
    if (after.source !== before.source) this.#routeIngest();
    else if (after.url !== before.url || after.key !== before.key || after.transport !== before.transport) this.#reconnect(id);
    if (after.enabled !== before.enabled) runner.dispatch({ type: after.enabled ? "enable" : "disable" });
    this.#changed(true);
    return this.#view(after);
  }

  async deleteDestination(id: string): Promise<void> {
    const runner = this.#runner(id);
    await this.options.store.update((draft) => {
      draft.destinations = draft.destinations.filter((destination) => destination.id !== id);
    });
    this.#runners.delete(id);
    this.#inputs.delete(id);
    this.#lastStates.delete(id);
    await runner.shutdown();
    await this.options.stunnel.remove(id);
    this.#refreshSecrets();
    this.#log.info(`destination "${id}" removed`);
    this.#changed(true);
  }

  async setEnabled(id: string, wish: boolean | "toggle"): Promise<DestinationView> {
    const runner = this.#runner(id);
    // The wish is written first (a refused write changes nothing), decided inside the write so two
    // toggles at once flip twice; then the relay follows it.
    let enabled = false;
    await this.options.store.update((draft) => {
      const target = draft.destinations.find((destination) => destination.id === id);
      if (!target) throw notFound(`Destination "${id}"`);
      target.enabled = wish === "toggle" ? !target.enabled : wish;
      enabled = target.enabled;
    });
    runner.dispatch({ type: enabled ? "enable" : "disable" });
    this.#changed(true);
    return this.#view(this.#destination(id)!);
  }

  async retryNow(id: string): Promise<DestinationView> {
    const runner = this.#runner(id);
    const state = runner.context.state;
    if (state !== "retrying" && state !== "failed") {
      throw new ApiError(409, "not_retrying", `Destination "${id}" is ${state}: only a retrying or failed destination can be retried`);
    }
    runner.dispatch({ type: "retryNow" });
    return this.#view(this.#destination(id)!);
  }

  destinationLog(id: string): string[] {
    return this.#runners.get(id)?.logLines ?? [];
  }

  async restartService(name: ServiceName): Promise<void> {
    if (name === "nginx") await this.options.nginx.restart();
    else await this.options.stunnel.restartAll();
  }

  // ---- views ----------------------------------------------------------------------------------

  #view(destination: Destination): DestinationView {
    const runner = this.#runners.get(destination.id);
    const context = runner?.context;
    const view: DestinationView = {
      id: destination.id,
      name: destination.name,
      url: destination.url,
      hasKey: destination.key !== "",
      enabled: destination.enabled,
      state: context?.state ?? "off",
      since: context ? new Date(context.since).toISOString() : null,
      bitrateKbps: runner?.bitrateKbps ?? 0,
      fps: runner?.fps ?? 0,
      restarts: context?.restarts ?? 0,
      lastError: context?.lastError ? this.options.secrets.redact(context.lastError) : null,
      transport: destination.transport,
    };
    if (context?.state === "retrying" && context.retryAt !== null) view.retryAt = new Date(context.retryAt).toISOString();
    if (context?.state === "holding" && context.holdUntil !== null) view.holdUntil = new Date(context.holdUntil).toISOString();
    const skips = this.options.dataPlane.skips(destination.id);
    if (skips > 0) view.skippedToKeyframe = skips;
    if (destination.platform !== undefined) view.platform = destination.platform;
    if (destination.source !== undefined) view.source = this.#streamLabel(destination.source);
    const input = this.#inputs.get(destination.id) ?? null;
    view.input = input === null ? null : this.#streamLabel(input);
    const warning = streamKeyWarning(destination.url, destination.key);
    if (warning !== null) view.warning = warning;
    return view;
  }

  #ingestView(): IngestView {
    const main = this.#mainStream();
    const stream = main !== null ? this.#ingest.get(main) : undefined;
    if (!stream) {
      const offline: IngestView = { live: false, name: "", since: null, bitrateKbps: 0 };
      if (this.#wrongApplication && Date.now() - this.#wrongApplication.at < WRONG_APPLICATION_SHOWN_MS) offline.hint = this.#wrongApplication.hint;
      return offline;
    }
    const mainView = this.#streamView(stream.name, true);
    const { main: _main, ...fields } = mainView;
    const others = this.#ingest.names.filter((name) => name !== stream.name).map((name) => this.#streamView(name, false));
    return { live: true, ...fields, streams: [mainView, ...others] };
  }

  #streamView(name: string, main: boolean): IngestStreamView {
    const stream = this.#ingest.get(name)!;
    const view: IngestStreamView = {
      name: this.#streamLabel(stream.name),
      since: new Date(stream.since).toISOString(),
      bitrateKbps: stream.bitrateKbps,
      main,
    };
    if (stream.video) view.video = stream.video;
    if (stream.audio) view.audio = stream.audio;
    const keyframeMs = this.options.dataPlane.media(stream.name)?.keyframeIntervalMs;
    if (keyframeMs) view.keyframeInterval = Math.round(keyframeMs / 100) / 10;
    return view;
  }
}
