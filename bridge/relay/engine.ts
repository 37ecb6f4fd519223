// The relay engine: the BridgeApi the HTTP layer calls, over three parts that each own their state
// once: the ingest gate (what OBS publishes; ingest/ingest-gate.ts), the relay fleet (one runner per
// destination and what it reads; relay-fleet.ts) and the status hub (the status and its subscribers;
// status-hub.ts). The engine validates the API's changes and writes them through the config's one door
// (config/store.ts); every change of the config, from the API or elsewhere, and every change of the
// published streams, runs the reconcile (reconcile.ts) that the fleet carries out.

import type { Logger } from "../log/logger.js";
import type { ConfigChange, ConfigStore } from "../config/store.js";
import type { Config, Destination } from "../config/schema.js";
import { servicesToRestart, settingsEdit, type FindProgram, type SettingsChange } from "../config/settings-edits.js";
import { parseDestinationInput, parseDestinationPatch } from "../config/destination-input.js";
import { addDestination, patchDestination, removeDestination, setWish } from "../config/destination-edits.js";
import { findBinary } from "../binaries/find-binary.js";
import type { StunnelPool } from "../stunnel/stunnel-pool.js";
import type { ServiceSupervisor } from "../process/service-supervisor.js";
import type { SecretRegistry } from "../secrets/redact.js";
import { configSecrets } from "../secrets/config-secrets.js";
import { conflict, notFound } from "../domain/errors.js";
import type { BridgeApi, ServiceName } from "../domain/bridge-api.js";
import type { DestinationView, StatusView } from "../../contract/api.js";
import type { IngestGate } from "../ingest/ingest-gate.js";
import type { DataPlane } from "../media/data-plane.js";
import type { RelayFleet } from "./relay-fleet.js";
import type { StatusHub } from "./status-hub.js";

export interface EngineOptions {
  store: ConfigStore;
  secrets: SecretRegistry;
  log: Logger;
  gate: IngestGate;
  fleet: RelayFleet;
  hub: StatusHub;
  nginx: ServiceSupervisor;
  stunnel: StunnelPool;
  dataPlane: DataPlane;
  /** Secrets that do not live in the config file (a token from RELAY_TOKEN or the command line). */
  extraSecrets?: () => string[];
  /** How often nginx's stat page is read while nginx runs. */
  statIntervalMs?: number;
  /** Finds a program named in a settings change (default: the bridge's own search). */
  findProgram?: FindProgram;
}

export class RelayEngine implements BridgeApi {
  readonly #log: Logger;
  /** The last config change being carried out (an API call waits for its own before it answers). */
  #applying: Promise<void> = Promise.resolve();
  /** Config changes being carried out: the secrets narrow to the config's once none is left. */
  #pendingChanges = 0;

  constructor(private readonly options: EngineOptions) {
    this.#log = options.log;
    // Every change of the config, whoever made it (the API, the settings, OBS's set-up, a hand edit).
    options.store.onChange((change) => {
      this.#applying = this.#applyConfig(change);
    });
    options.gate.on("streams", () => void this.#reconcile());
    // An invalid hand edit found or fixed: the status says so (its `config` entry).
    options.store.onProblems(() => options.hub.notify("state"));
    options.nginx.on("down", () => options.gate.nginxDown());
  }

  get #config(): Config {
    return this.options.store.current;
  }

  /** Creates the runners of the configured destinations and starts nginx. */
  async start(): Promise<void> {
    this.#refreshSecrets();
    await this.#reconcile();
    await this.options.nginx.start();
    this.options.gate.start(() => this.options.nginx.view.state === "running", this.options.statIntervalMs);
    this.options.fleet.start();
  }

  /** Stops every relay, then nginx. */
  async stop(): Promise<void> {
    this.options.gate.stop();
    this.options.hub.stop();
    await this.options.fleet.stop();
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

  /** The fleet follows the config and the ingest; subscribers hear of it. Resolves when removed relays have exited. */
  async #reconcile(): Promise<void> {
    const done = this.options.fleet.reconcile(this.#config);
    this.options.hub.notify("state");
    await done;
  }

  #destination(id: string): Destination | undefined {
    return this.#config.destinations.find((destination) => destination.id === id);
  }

  #existing(id: string): Destination {
    const destination = this.#destination(id);
    if (!destination || !this.options.fleet.has(id)) throw notFound(`Destination "${id}"`);
    return destination;
  }

  #refreshSecrets(): void {
    this.options.secrets.set(configSecrets(this.#config, this.options.extraSecrets?.() ?? []));
  }

  // ---- BridgeApi ------------------------------------------------------------------------------

  /** The status as of the last change (the hub builds it once per change). Read-only. */
  status(): StatusView {
    return this.options.hub.status();
  }

  onChange(listener: (status: StatusView) => void): () => void {
    return this.options.hub.onChange(listener);
  }

  listDestinations(): DestinationView[] {
    return this.#config.destinations.map((destination) => this.options.fleet.view(destination));
  }

  getDestination(id: string): DestinationView | undefined {
    const destination = this.#destination(id);
    return destination ? this.options.fleet.view(destination) : undefined;
  }

  async createDestination(body: unknown): Promise<DestinationView> {
    const input = parseDestinationInput(body);
    let id = "";
    await this.options.store.update((draft) => {
      id = addDestination(draft, input).id;
    });
    await this.#changeCarriedOut();
    this.#log.info(`destination "${id}" added`);
    return this.options.fleet.view(this.#destination(id)!);
  }

  async updateDestination(id: string, body: unknown): Promise<DestinationView> {
    this.#existing(id);
    const patch = parseDestinationPatch(body);
    await this.options.store.update((draft) => patchDestination(draft, id, patch));
    await this.#changeCarriedOut();
    return this.options.fleet.view(this.#existing(id));
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
    // A start of a destination that is on but gave up: the wish did not change, the relay tries again.
    const runner = this.options.fleet.runner(id);
    if (wish === true && runner?.context.state === "failed") runner.dispatch({ type: "enable" });
    return this.options.fleet.view(this.#existing(id));
  }

  async retryNow(id: string): Promise<DestinationView> {
    const destination = this.#existing(id);
    const runner = this.options.fleet.runner(id)!;
    const state = runner.context.state;
    if (state !== "retrying" && state !== "failed") {
      throw conflict("not_retrying", `Destination "${id}" is ${state}: only a retrying or failed destination can be retried`);
    }
    runner.dispatch({ type: "retryNow" });
    return this.options.fleet.view(destination);
  }

  destinationLog(id: string): string[] {
    return this.options.fleet.runner(id)?.logLines ?? [];
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
}
