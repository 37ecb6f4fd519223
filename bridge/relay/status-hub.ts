// The status hub: the one place that builds the bridge's status and tells its subscribers (the event
// stream, the plugin, Companion). Every part reports what moved to it (the ingest gate, the relay fleet,
// nginx, stunnel, ffmpeg, OBS, the data plane); a change of state reaches subscribers on the next turn
// of the event loop, numbers at most once a period (change-batcher.ts). The status is built once per
// change and shared by every reader until the next one.

import { EventEmitter } from "node:events";
import type { Config } from "../config/schema.js";
import type { FfmpegProgram } from "../ffmpeg/ffmpeg-program.js";
import type { IngestGate } from "../ingest/ingest-gate.js";
import type { DataPlane } from "../media/data-plane.js";
import type { ServiceSupervisor } from "../process/service-supervisor.js";
import type { ObsView, StatusView } from "../../contract/api.js";
import type { StunnelPool } from "../stunnel/stunnel-pool.js";
import { ChangeBatcher } from "./change-batcher.js";
import type { RelayFleet } from "./relay-fleet.js";

export interface StatusHubOptions {
  version: string;
  config: () => Config;
  gate: IngestGate;
  fleet: RelayFleet;
  nginx: ServiceSupervisor;
  stunnel: StunnelPool;
  dataPlane: DataPlane;
  ffmpeg?: FfmpegProgram;
  /** OBS as its link sees it (absent: the status has no `obs`), and its changes (`urgent`: more than numbers). */
  obs?: { view: ObsView; on(event: "change", listener: (urgent: boolean) => void): unknown };
  /** What is wrong with the config file while it holds an invalid hand edit (null: nothing). */
  configProblems?: () => readonly string[] | null;
}

/** Numbers-only updates (bitrate, fps) reach subscribers at most this often. */
const NUMBERS_PERIOD_MS = 1_000;

/**
 * A change of state drops the shared status at once; a change of numbers only (bitrates, frame rates,
 * CPU shares: several a second with many relays) lets it stand this long, as subscribers hear of
 * numbers at most once a period. A few figures move without any signal (the LAN addresses, a hint that
 * times out), so no status is kept longer than this either.
 */
const STATUS_KEPT_MS = NUMBERS_PERIOD_MS;

/** What moved: the state of something (subscribers hear at once), or only numbers. */
export type Change = "state" | "numbers";

export class StatusHub {
  readonly #events = new EventEmitter<{ change: [StatusView] }>();
  readonly #batcher: ChangeBatcher;
  #status: { view: StatusView; builtAt: number } | undefined;
  /** Numbers changed since the status was built (subscribers get them fresh; readers within the period). */
  #numbersMoved = false;

  constructor(private readonly options: StatusHubOptions) {
    this.#events.setMaxListeners(0);
    this.#batcher = new ChangeBatcher(() => this.#emit(), NUMBERS_PERIOD_MS);
    const state = () => this.notify("state");
    const numbers = () => this.notify("numbers");
    options.gate.on("view", state);
    options.gate.on("numbers", numbers);
    options.fleet.on("change", (stateChanged) => this.notify(stateChanged ? "state" : "numbers"));
    options.nginx.on("state", state);
    options.stunnel.on("change", state);
    options.ffmpeg?.on("change", state);
    options.dataPlane.on("skip", numbers);
    options.obs?.on("change", (urgent) => this.notify(urgent ? "state" : "numbers"));
  }

  /** Something moved: a change of state drops the shared status and reaches subscribers on the next turn. */
  notify(change: Change): void {
    if (change === "state") {
      this.#status = undefined;
      this.#batcher.urgent();
    } else {
      this.#numbersMoved = true;
      this.#batcher.numbers();
    }
  }

  /** The status as of the last change (built at most once per change; see STATUS_KEPT_MS). Read-only. */
  status(): StatusView {
    const now = Date.now();
    if (this.#status && now - this.#status.builtAt < STATUS_KEPT_MS && now >= this.#status.builtAt) return this.#status.view;
    this.#numbersMoved = false;
    const view = this.#build();
    this.#status = { view, builtAt: now };
    return view;
  }

  /** Calls `listener` after every change; answers the unsubscribe function. */
  onChange(listener: (status: StatusView) => void): () => void {
    this.#events.on("change", listener);
    return () => this.#events.off("change", listener);
  }

  stop(): void {
    this.#batcher.stop();
  }

  #emit(): void {
    if (this.#events.listenerCount("change") === 0) return;
    if (this.#numbersMoved) this.#status = undefined;
    this.#events.emit("change", this.status());
  }

  #build(): StatusView {
    const { options } = this;
    return {
      version: options.version,
      ingest: options.gate.view(),
      services: {
        nginx: options.nginx.view,
        stunnel: options.stunnel.view,
        ...(options.ffmpeg ? { ffmpeg: options.ffmpeg.view } : {}),
      },
      destinations: options.config().destinations.map((destination) => options.fleet.view(destination)),
      ...(options.obs ? { obs: options.obs.view } : {}),
      uplink: options.fleet.uplinkView(),
      ...configEntry(options.configProblems?.() ?? null),
    };
  }
}

/** The status's `config` entry: present only while the file holds an invalid hand edit. */
function configEntry(problems: readonly string[] | null): Pick<StatusView, "config"> {
  return problems && problems.length > 0 ? { config: { problems: [...problems] } } : {};
}
