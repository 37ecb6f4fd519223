// The one connection to OBS's WebSocket server (obs-websocket v5): connects when `obs.url` is set,
// reconnects with backoff when OBS goes away (one log line when it goes, one when it is back),
// follows OBS's stream events, polls GetStreamStatus for the numbers, and carries out commands.

import { EventEmitter } from "node:events";
import { connect as netConnect } from "node:net";
import OBSWebSocket, { EventSubscription, type OBSResponseTypes } from "obs-websocket-js";
import type { Logger } from "../log/logger.js";
import type { ObsView } from "../../contract/api.js";
import {
  applyStreamStateChanged,
  applyStreamStatus,
  initialObsState,
  obsConnected,
  obsDisconnected,
  obsStateChanged,
  withSettings,
  type ObsState,
} from "./obs-state.js";
import { OBS_AUTH_RETRY_MS, ReconnectSchedule } from "./reconnect.js";
import type { ObsService } from "./setup-plan.js";

export interface ObsLinkOptions {
  /** obs.url and obs.password as they are now ("" url = OBS not used). */
  settings: () => { url: string; password: string };
  log: Logger;
  /** OBS's stream service points at Relay's ingest. */
  isRelayService: (service: ObsService) => boolean;
  /** Previous OBS settings are kept for restore. */
  canRestore: () => boolean;
  /** How often GetStreamStatus is read while OBS streams (and 5× that while it does not). */
  pollMs?: number;
}

/** Why a command to OBS could not run. */
export class ObsUnavailableError extends Error {
  constructor(readonly reason: "not-configured" | "not-connected", message: string) {
    super(message);
    this.name = "ObsUnavailableError";
  }
}

/** Close codes obs-websocket uses when the password is missing or wrong. */
const AUTH_CLOSE_CODES = new Set([4008, 4009]);

/** The link emits `change` when OBS's view changed, `urgent` when more than its numbers did. */
export class ObsLink extends EventEmitter<{ change: [urgent: boolean] }> {
  #obs: OBSWebSocket | undefined;
  #state: ObsState;
  #schedule = new ReconnectSchedule();
  #retryTimer: NodeJS.Timeout | undefined;
  #pollTimer: NodeJS.Timeout | undefined;
  /** Bumped on every (re)connect and stop: callbacks of an older connection do nothing. */
  #generation = 0;
  #running = false;
  /** What the log said last: OBS reachable or not (so a flapping or absent OBS logs once per change). */
  #logged: "up" | "down" | undefined;
  #connectedUrl = "";

  constructor(private readonly options: ObsLinkOptions) {
    super();
    this.#state = withSettings(initialObsState(options.settings().url !== ""), { canRestore: options.canRestore() });
  }

  /** OBS as the status shows it now. */
  get view(): ObsView {
    return this.#state.view;
  }

  /** Starts connecting (when obs.url is set). */
  start(): void {
    this.#running = true;
    void this.#connect();
  }

  /** Closes the connection and stops trying. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#generation += 1;
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#pollTimer);
    const obs = this.#obs;
    this.#obs = undefined;
    await obs?.disconnect().catch(() => undefined);
  }

  /** obs.url or obs.password changed: drop the connection and connect again with the new ones. */
  async reconfigure(): Promise<void> {
    await this.stop();
    this.#logged = undefined;
    this.#schedule.reset();
    this.#set(obsDisconnected(withSettings(this.#state, { configured: this.options.settings().url !== "" }), undefined));
    this.start();
  }

  /** Re-reads what depends on config (restore kept, service points at Relay). */
  async refreshSettings(): Promise<void> {
    const obs = this.#obs;
    if (!obs || !this.#state.view.connected) {
      this.#set(withSettings(this.#state, { canRestore: this.options.canRestore() }));
      return;
    }
    const service = await this.getService();
    this.#set(withSettings(this.#state, { canRestore: this.options.canRestore(), pointsAtRelay: this.options.isRelayService(service) }));
  }

  /** OBS's stream service now (holds the platform's key: never answered as is). */
  async getService(): Promise<ObsService> {
    return this.#serviceOf(this.#connected());
  }

  /** Sets OBS's stream service (OBS refuses while it streams). */
  async setService(service: ObsService): Promise<void> {
    await this.#connected().call("SetStreamServiceSettings", {
      streamServiceType: service.type,
      streamServiceSettings: service.settings as never,
    });
  }

  async startStream(): Promise<void> {
    await this.#connected().call("StartStream");
  }

  async stopStream(): Promise<void> {
    await this.#connected().call("StopStream");
  }

  /** This machine's address as OBS sees it (the local end of a TCP connection to OBS's server). */
  async localAddressSeenByObs(): Promise<string | undefined> {
    const url = new URL(this.options.settings().url);
    const port = Number(url.port || (url.protocol === "wss:" ? 443 : 80));
    return new Promise((resolveAddress) => {
      const socket = netConnect({ host: url.hostname.replace(/^\[|\]$/g, ""), port, timeout: 3_000 });
      socket.once("connect", () => {
        resolveAddress(socket.localAddress);
        socket.destroy();
      });
      socket.once("error", () => resolveAddress(undefined));
      socket.once("timeout", () => {
        socket.destroy();
        resolveAddress(undefined);
      });
    });
  }

  #connected(): OBSWebSocket {
    if (this.options.settings().url === "") {
      throw new ObsUnavailableError("not-configured", "OBS is not set up in Relay: set its WebSocket address and password (obs.url, obs.password) first");
    }
    if (!this.#obs || !this.#state.view.connected) {
      throw new ObsUnavailableError(
        "not-connected",
        `OBS is not connected${this.#state.view.error ? ` (${this.#state.view.error})` : ""}: start OBS and enable Tools → WebSocket Server Settings → Enable WebSocket server`,
      );
    }
    return this.#obs;
  }

  async #connect(): Promise<void> {
    if (!this.#running) return;
    const { url, password } = this.options.settings();
    if (url === "") {
      this.#set(obsDisconnected(withSettings(this.#state, { configured: false, canRestore: this.options.canRestore() }), undefined));
      return;
    }
    const generation = ++this.#generation;
    const obs = new OBSWebSocket();
    this.#obs = obs;
    let closed = false;
    const onClosed = (code: number | undefined, reason: string) => {
      if (closed || generation !== this.#generation) return;
      closed = true;
      clearTimeout(this.#pollTimer);
      if (this.#obs === obs) this.#obs = undefined;
      this.#lost(url, code, reason);
    };
    obs.on("ConnectionClosed", (error) => onClosed(error.code, error.message));
    obs.on("StreamStateChanged", (event) => {
      if (generation !== this.#generation) return;
      this.#set(applyStreamStateChanged(this.#state, event, Date.now()));
      this.#schedulePoll(generation, 0);
    });
    try {
      await obs.connect(url, password === "" ? undefined : password, { eventSubscriptions: EventSubscription.Outputs });
      if (generation !== this.#generation) return;
      const version = await obs.call("GetVersion");
      const mode = await obs.call("GetProfileParameter", { parameterCategory: "Output", parameterName: "Mode" }).catch(() => undefined);
      const service = await this.#serviceOf(obs);
      if (generation !== this.#generation) return;
      this.#schedule.reset();
      this.#connectedUrl = url;
      if (this.#logged !== "up") this.options.log.info(`connected to OBS ${version.obsVersion} at ${url}`);
      this.#logged = "up";
      const outputMode = outputModeOf(mode);
      this.#set(
        withSettings(obsConnected(this.#state, version.obsVersion), {
          pointsAtRelay: this.options.isRelayService(service),
          canRestore: this.options.canRestore(),
          ...(outputMode ? { outputMode } : {}),
        }),
      );
      await this.#poll(generation);
    } catch (error) {
      const code = (error as { code?: number }).code;
      onClosed(typeof code === "number" ? code : undefined, (error as Error).message ?? String(error));
    }
  }

  async #serviceOf(obs: OBSWebSocket): Promise<ObsService> {
    const reply: OBSResponseTypes["GetStreamServiceSettings"] = await obs.call("GetStreamServiceSettings");
    return { type: reply.streamServiceType, settings: { ...(reply.streamServiceSettings as Record<string, unknown>) } };
  }

  #lost(url: string, code: number | undefined, reason: string): void {
    const wasConnected = this.#state.view.connected;
    const auth = code !== undefined && AUTH_CLOSE_CODES.has(code);
    const error = auth
      ? "OBS refused the password: set obs.password to the one in OBS → Tools → WebSocket Server Settings"
      : wasConnected
        ? "OBS closed the connection (OBS quit, or its WebSocket server was turned off)"
        : `OBS is not reachable at ${url}: is OBS running, with Tools → WebSocket Server Settings → Enable WebSocket server on?`;
    if (this.#logged !== "down") {
      this.options.log.warn(`${wasConnected ? `lost OBS at ${this.#connectedUrl}` : "cannot connect to OBS"}: ${error}${reason && !auth ? ` (${reason})` : ""}; retrying in the background`);
    }
    this.#logged = "down";
    this.#set(obsDisconnected(this.#state, error));
    if (!this.#running) return;
    const delay = auth ? OBS_AUTH_RETRY_MS : this.#schedule.failed();
    if (auth) this.#schedule.failed();
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => void this.#connect(), delay);
    this.#retryTimer.unref?.();
  }

  #schedulePoll(generation: number, delayMs: number): void {
    clearTimeout(this.#pollTimer);
    this.#pollTimer = setTimeout(() => void this.#poll(generation), delayMs);
    this.#pollTimer.unref?.();
  }

  async #poll(generation: number): Promise<void> {
    const obs = this.#obs;
    if (!obs || generation !== this.#generation) return;
    try {
      const status = await obs.call("GetStreamStatus");
      if (generation !== this.#generation) return;
      this.#set(applyStreamStatus(this.#state, status, Date.now()));
    } catch {
      // A closed connection is handled by ConnectionClosed; a failed read is retried next poll.
    }
    const pollMs = this.options.pollMs ?? 1_000;
    this.#schedulePoll(generation, this.#state.view.streaming ? pollMs : pollMs * 5);
  }

  #set(next: ObsState): void {
    const before = this.#state.view;
    this.#state = next;
    const urgent = obsStateChanged(before, next.view);
    if (urgent || before.bitrateKbps !== next.view.bitrateKbps || before.skippedFrames !== next.view.skippedFrames || before.congestion !== next.view.congestion) {
      this.emit("change", urgent);
    }
  }
}

function outputModeOf(reply: { parameterValue: string | null; defaultParameterValue: string | null } | undefined): "Simple" | "Advanced" | undefined {
  const value = reply?.parameterValue ?? reply?.defaultParameterValue;
  return value === "Simple" || value === "Advanced" ? value : undefined;
}
