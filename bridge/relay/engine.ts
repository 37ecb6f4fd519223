// The relay engine: the BridgeApi the HTTP layer calls. Every change — an API call, a hand edit of
// the config file, an ingest event from nginx or the data plane — updates the config or the ingest
// state, then one reconcile step (reconcile.ts) decides what each destination's runner is told.
// The engine carries the steps out and tells subscribers; the decisions live in the modules it calls.

import { EventEmitter } from "node:events";
import { obsAddress } from "../ingest/obs-address.js";
import type { Logger } from "../log/logger.js";
import type { ConfigChange, ConfigStore } from "../config/store.js";
import { servicesToRestart, settingsEdit, type FindProgram, type SettingsChange } from "../config/settings-edits.js";
import type { Config, Destination } from "../config/schema.js";
import { parseDestinationInput, parseDestinationPatch } from "../config/destination-input.js";
import { addDestination, patchDestination, removeDestination, setWish } from "../config/destination-edits.js";
import { findBinary } from "../binaries/find-binary.js";
import type { FfmpegProgram } from "../ffmpeg/ffmpeg-program.js";
import { planRelay } from "../ffmpeg/relay-plan.js";
import type { PidRegistry } from "../process/pid-registry.js";
import type { StunnelPool } from "../stunnel/stunnel-pool.js";
import { parseStat } from "../nginx/stat-parser.js";
import type { ServiceSupervisor } from "../process/service-supervisor.js";
import { IngestState } from "../ingest/ingest-state.js";
import { ingestView } from "../ingest/ingest-view.js";
import { cachedInterfaces } from "../ingest/local-interfaces.js";
import type { SecretRegistry } from "../secrets/redact.js";
import { configSecrets } from "../secrets/config-secrets.js";
import { isPublishNameAccepted, streamNameLabel } from "../ingest/stream-names.js";
import { conflict, notFound } from "../domain/errors.js";
import type { BridgeApi, ServiceName } from "../http/bridge-api.js";
import type { DestinationView, IngestView, ObsView, StatusView } from "../shared/api.js";
import { RelayRunner, type RelayPlan, type RelayRunnerOptions } from "./relay-runner.js";
import { reconcile, type AppliedRelay, type ReconcileStep } from "./reconcile.js";
import { destinationView } from "./destination-view.js";
import { ChangeBatcher } from "./change-batcher.js";
import type { DataPlane } from "../media/data-plane.js";
import { CpuSampler } from "../process/cpu-sampler.js";
import { destinationQuality, encodePlanFor, type SourceFacts } from "./destination-quality.js";
import { reencodeOf } from "../config/schema.js";

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
  /** How often each relay's CPU share is read (tests shorten it). */
  cpuPeriodMs?: number;
  /** Finds a program named in a settings change (default: the bridge's own search). */
  findProgram?: FindProgram;
}

/** Numbers-only updates (bitrate, fps) reach subscribers at most this often. */
const NUMBERS_PERIOD_MS = 1_000;

/** A publisher that sent nothing for this long is stale: an encoder reconnecting under its name replaces it. */
const STALE_PUBLISHER_MS = 1_500;

/** A LAN address that changes (Wi-Fi joined) shows on the page within this long. */
const INTERFACES_REREAD_MS = 5_000;

/**
 * The status is built once per change and shared by every reader until the next one (the API, the
 * event stream, the key images, Companion's variables). A change of state drops it at once; a change
 * of numbers only (bitrates, frame rates, CPU shares: several a second with many relays) lets it stand
 * this long, as subscribers hear of numbers at most once a period. A few figures move without any
 * signal (the LAN addresses, a hint that times out), so no status is kept longer than this either.
 */
const STATUS_KEPT_MS = NUMBERS_PERIOD_MS;

export class RelayEngine implements BridgeApi {
  readonly #runners = new Map<string, RelayRunner>();
  /** What each runner was last told: its destination as it was and the stream it reads. */
  readonly #applied = new Map<string, Omit<AppliedRelay, "enabled">>();
  readonly #ingest: IngestState;
  readonly #events = new EventEmitter<{ change: [StatusView] }>();
  readonly #batch: Pick<ChangeBatcher, "urgent" | "numbers" | "stop">;
  #status: { view: StatusView; builtAt: number } | undefined;
  /** Numbers changed since the status was built (subscribers get them fresh; readers within the period). */
  #numbersMoved = false;
  readonly #interfaces = cachedInterfaces(INTERFACES_REREAD_MS);
  readonly #log: Logger;
  readonly #cpu: CpuSampler;
  #statTimer: NodeJS.Timeout | undefined;
  /** The last config change being carried out (an API call waits for its own before it answers). */
  #applying: Promise<void> = Promise.resolve();
  /** Config changes being carried out: the secrets narrow to the config's once none is left. */
  #pendingChanges = 0;

  constructor(private readonly options: EngineOptions) {
    this.#log = options.log;
    this.#events.setMaxListeners(0);
    const batcher = new ChangeBatcher(() => this.#emit(), NUMBERS_PERIOD_MS);
    // Every change goes through here: a change of state drops the status built before it.
    this.#batch = {
      urgent: () => {
        this.#status = undefined;
        batcher.urgent();
      },
      numbers: () => {
        this.#numbersMoved = true;
        batcher.numbers();
      },
      stop: () => batcher.stop(),
    };
    this.#ingest = new IngestState(() => void this.#reconcile());
    this.#cpu = new CpuSampler({
      pids: () => new Map([...this.#runners].flatMap(([id, runner]) => (runner.pid !== undefined ? [[id, runner.pid] as const] : []))),
      onSample: () => this.#batch.numbers(),
      ...(options.cpuPeriodMs !== undefined ? { periodMs: options.cpuPeriodMs } : {}),
    });
    options.nginx.on("state", () => this.#batch.urgent());
    // Every change of the config, whoever made it (the API, the settings, OBS's set-up, a hand edit).
    options.store.onChange((change) => {
      this.#applying = this.#applyConfig(change);
    });
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
    await this.#reconcile();
    await this.options.nginx.start();
    this.#statTimer = setInterval(() => void this.#pollStat(), this.options.statIntervalMs ?? 1_000);
    this.#cpu.start();
  }

  /** Stops every relay, then nginx. */
  async stop(): Promise<void> {
    clearInterval(this.#statTimer);
    this.#cpu.stop();
    this.#batch.stop();
    await Promise.all([...this.#runners.values()].map((runner) => runner.shutdown()));
    this.options.dataPlane.close();
    await Promise.all([this.options.nginx.stop(), this.options.stunnel.stopAll()]);
  }

  // ---- config changes -------------------------------------------------------------------------

  /**
   * Carries out a change of the config: the secrets it holds are redacted from then on (a removed key
   * until its relay has exited), every runner follows it, and nginx or stunnel restart when what they
   * run on moved.
   */
  async #applyConfig({ before, after, by }: ConfigChange): Promise<void> {
    if (by === "edit") this.#log.info("the config file was edited: the bridge follows it");
    const extra = this.options.extraSecrets?.() ?? [];
    this.#pendingChanges += 1;
    this.options.secrets.set([...configSecrets(before, extra), ...configSecrets(after, extra)]);
    try {
      await this.#reconcile();
      for (const service of servicesToRestart(before, after)) {
        this.#log.info(`${service} restarts on the changed config`);
        await this.restartService(service);
      }
    } finally {
      this.#pendingChanges -= 1;
      if (this.#pendingChanges === 0) this.#refreshSecrets();
    }
  }

  /** Waits for the config change just written to be carried out (a failure there is logged, not thrown). */
  async #changeCarriedOut(): Promise<void> {
    await this.#applying.catch((error: Error) => this.#log.error(`applying the config: ${error.message}`));
  }

  // ---- reconcile ------------------------------------------------------------------------------

  /**
   * Brings every runner to the config and the ingest (see reconcile.ts), then tells subscribers.
   * Resolves when removed relays have exited.
   */
  async #reconcile(): Promise<void> {
    const config = this.#config;
    const main = this.#ingest.mainStream(config);
    const inputs = new Map(config.destinations.map((destination) => [destination.id, this.#ingest.inputFor(config, destination, main)]));
    const applied = new Map<string, AppliedRelay>();
    for (const [id, relay] of this.#applied) applied.set(id, { ...relay, enabled: this.#runners.get(id)?.context.enabled ?? false });
    const steps = reconcile({
      destinations: config.destinations,
      applied,
      inputOf: (destination) => inputs.get(destination.id) ?? null,
      heldMs: (stream) => this.#ingest.heldMs(stream),
    });
    // What the runners read is recorded first: a start reads its input and plan from here.
    for (const destination of config.destinations) this.#applied.set(destination.id, { destination, input: inputs.get(destination.id) ?? null });
    const removals = steps.map((step) => this.#carryOut(step));
    this.#batch.urgent();
    await Promise.all(removals);
  }

  async #carryOut(step: ReconcileStep): Promise<void> {
    switch (step.type) {
      case "add":
        this.#runners.set(step.destination.id, this.#newRunner(step.destination, step.input));
        return;
      case "remove": {
        const runner = this.#runners.get(step.id);
        this.#runners.delete(step.id);
        this.#applied.delete(step.id);
        await runner?.shutdown();
        await this.options.stunnel.remove(step.id);
        return;
      }
      case "retarget":
        this.options.dataPlane.retarget(step.id, step.input);
        return;
      case "dispatch":
        this.#runners.get(step.id)?.dispatch(step.event);
        return;
    }
  }

  #newRunner(destination: Destination, input: string | null): RelayRunner {
    const id = destination.id;
    const options: RelayRunnerOptions = {
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
        const reads = this.#applied.get(id)?.input;
        if (reads) this.options.dataPlane.attach(id, reads, stdin);
        else stdin.end();
      },
      detachInput: () => this.options.dataPlane.detach(id),
      pids: this.options.pids,
      // A state change reaches subscribers at once; new numbers within the second.
      onChange: (_runner, stateChanged) => (stateChanged ? this.#batch.urgent() : this.#batch.numbers()),
    };
    return new RelayRunner(options);
  }

  /** The command of `id`'s next start, from the destination and stream it has now. */
  async #plan(id: string): Promise<RelayPlan> {
    const destination = this.#destination(id);
    if (!destination || !this.#applied.get(id)?.input) throw new Error("no ingest to relay");
    const config = this.#config;
    const command = this.options.ffmpeg ? await this.options.ffmpeg.resolve() : await findBinary("ffmpeg", config.binaries.ffmpeg);
    // A hardware encoder (or auto) waits for this ffmpeg's encoders to be tried, the first seconds after a start.
    const wantsHardware = (reencodeOf(destination)?.video.encoder ?? "x264") !== "x264";
    const encoders = wantsHardware && this.options.ffmpeg ? await this.options.ffmpeg.encodersOf(command) : this.options.ffmpeg?.encoders;
    const encode = encodePlanFor(destination, this.#sourceFacts(this.#applied.get(id)?.input ?? null), encoders);
    return planRelay(destination, config.tls, command, this.options.stunnel, encode);
  }

  /** What is known of the ingest stream `input`: its picture from its codec headers, its bitrate from nginx. */
  #sourceFacts(input: string | null): SourceFacts | undefined {
    if (input === null) return undefined;
    const stat = this.#ingest.stream(input);
    const headers = this.options.dataPlane.media(input)?.format.video;
    const statVideo = stat?.video && stat.video.width > 0 ? stat.video : undefined;
    const width = headers?.width || statVideo?.width || 0;
    const height = headers?.height || statVideo?.height || 0;
    const fps = headers?.fps || statVideo?.fps || 0;
    return { ...(width > 0 && height > 0 ? { video: { width, height, fps } } : {}), bitrateKbps: stat?.bitrateKbps ?? 0 };
  }

  #destination(id: string): Destination | undefined {
    return this.#config.destinations.find((destination) => destination.id === id);
  }

  #existing(id: string): Destination {
    const destination = this.#destination(id);
    if (!destination || !this.#runners.has(id)) throw notFound(`Destination "${id}"`);
    return destination;
  }

  #refreshSecrets(): void {
    this.options.secrets.set(configSecrets(this.#config, this.options.extraSecrets?.() ?? []));
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
    this.#ingest.published(name, clientId, Date.now());
    return true;
  }

  /** OBS asked for an application the ingest does not have: say which to use, in the log and on the page. */
  noteWrongApplication(app: string): void {
    const ingest = this.#config.ingest;
    const base = `rtmp://THIS-COMPUTER:${ingest.port}`;
    const hint = this.options.secrets.redact(`OBS tried ${base}/${app}: use ${base}/${ingest.app} as OBS's server`);
    this.#log.warn(hint);
    this.#ingest.noteWrongApplication(hint, Date.now());
    this.#batch.urgent();
  }

  /** nginx says connection `clientId` stopped publishing `name`; another connection's end changes nothing. */
  publishDone(app: string, name: string, clientId: string): void {
    if (app !== this.#config.ingest.app) return;
    if (!this.#ingest.publishDone(name, clientId)) return;
    this.#log.info(`ingest "${this.#streamLabel(name)}" ended`);
    this.options.dataPlane.streamEnded(name);
  }

  /** Asks nginx to drop the publisher `clientId` of `name`; the ingest forgets it either way. */
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
    this.#ingest.mediaUp(name);
    void this.#reconcile();
  }

  /** The data plane: `name`'s media is gone; relays on it are kept on the stand-in for `heldMs`. */
  streamMediaDown(name: string, heldMs: number): void {
    this.#ingest.mediaDown(name, heldMs);
    void this.#reconcile();
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

  #streamLabel(name: string): string {
    return streamNameLabel(this.#config.ingest.key, name);
  }

  // ---- other parts' news ----------------------------------------------------------------------

  /** A relay skipped to a keyframe (its counter is in its view). */
  mediaSkipped(): void {
    this.#batch.numbers();
  }

  /** ffmpeg was found, or found missing or too old. */
  ffmpegChanged(): void {
    this.#batch.urgent();
  }

  /** stunnel clients changed state. */
  stunnelChanged(): void {
    this.#batch.urgent();
  }

  /** OBS's view changed (`urgent`: more than its numbers). */
  obsChanged(urgent: boolean): void {
    if (urgent) this.#batch.urgent();
    else this.#batch.numbers();
  }

  #emit(): void {
    if (this.#events.listenerCount("change") === 0) return;
    if (this.#numbersMoved) this.#status = undefined;
    this.#events.emit("change", this.status());
  }

  // ---- BridgeApi ------------------------------------------------------------------------------

  /** The status as of the last change (built at most once per change; see STATUS_KEPT_MS). Read-only. */
  status(): StatusView {
    const now = Date.now();
    if (this.#status && now - this.#status.builtAt < STATUS_KEPT_MS && now >= this.#status.builtAt) return this.#status.view;
    this.#numbersMoved = false;
    const view = this.#buildStatus();
    this.#status = { view, builtAt: now };
    return view;
  }

  #buildStatus(): StatusView {
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
    let id = "";
    await this.options.store.update((draft) => {
      id = addDestination(draft, input).id;
    });
    await this.#changeCarriedOut();
    this.#log.info(`destination "${id}" added`);
    return this.#view(this.#destination(id)!);
  }

  async updateDestination(id: string, body: unknown): Promise<DestinationView> {
    this.#existing(id);
    const patch = parseDestinationPatch(body);
    await this.options.store.update((draft) => patchDestination(draft, id, patch));
    await this.#changeCarriedOut();
    return this.#view(this.#existing(id));
  }

  async deleteDestination(id: string): Promise<void> {
    this.#existing(id);
    await this.options.store.update((draft) => removeDestination(draft, id));
    // Resolves once its relay has exited and its tunnel is gone.
    await this.#changeCarriedOut();
    this.#log.info(`destination "${id}" removed`);
  }

  async setEnabled(id: string, wish: boolean | "toggle"): Promise<DestinationView> {
    this.#existing(id);
    // The wish is written first (a refused write changes nothing), decided inside the write so two
    // toggles at once flip twice; then the relay follows it.
    await this.options.store.update((draft) => void setWish(draft, id, wish));
    await this.#changeCarriedOut();
    return this.#view(this.#existing(id));
  }

  async retryNow(id: string): Promise<DestinationView> {
    const destination = this.#existing(id);
    const runner = this.#runners.get(id)!;
    const state = runner.context.state;
    if (state !== "retrying" && state !== "failed") {
      throw conflict("not_retrying", `Destination "${id}" is ${state}: only a retrying or failed destination can be retried`);
    }
    runner.dispatch({ type: "retryNow" });
    return this.#view(destination);
  }

  destinationLog(id: string): string[] {
    return this.#runners.get(id)?.logLines ?? [];
  }

  /**
   * A settings change (program paths, ports): checked, written, then carried out like every change
   * (nginx restarts on a new ingest port or program). Answers once it is.
   */
  async updateSettings(change: SettingsChange): Promise<void> {
    const edit = await settingsEdit(change, this.options.findProgram ?? findBinary);
    await this.options.store.update(edit);
    await this.#changeCarriedOut();
  }

  async restartService(name: ServiceName): Promise<void> {
    if (name === "nginx") await this.options.nginx.restart();
    else await this.options.stunnel.restartAll();
  }

  // ---- views ----------------------------------------------------------------------------------

  #view(destination: Destination): DestinationView {
    const input = this.#applied.get(destination.id)?.input ?? null;
    const runner = this.#runners.get(destination.id);
    const cpuPercent = this.#cpu.percent(destination.id);
    return destinationView(destination, {
      relay: runner,
      quality: destinationQuality(destination, { source: this.#sourceFacts(input), encoders: this.options.ffmpeg?.encoders, behind: runner?.behind ?? false }),
      ...(cpuPercent !== undefined ? { cpuPercent } : {}),
      input: input === null ? null : this.#streamLabel(input),
      source: destination.source !== undefined ? this.#streamLabel(destination.source) : undefined,
      skips: this.options.dataPlane.skips(destination.id),
      redact: (text) => this.options.secrets.redact(text),
    });
  }

  #ingestView(): IngestView {
    const main = this.#ingest.mainStream(this.#config);
    const mainStream = main !== null ? this.#ingest.stream(main) : undefined;
    const streams = mainStream
      ? [mainStream, ...this.#ingest.names.filter((name) => name !== main).map((name) => this.#ingest.stream(name)!)]
      : [];
    return ingestView({
      streams,
      label: (name) => this.#streamLabel(name),
      keyframeMs: (name) => this.options.dataPlane.media(name)?.keyframeIntervalMs ?? undefined,
      hint: this.#ingest.wrongApplicationHint(Date.now()),
    });
  }
}
