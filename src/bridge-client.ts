// The one module that talks to the bridge: its HTTP calls, and one Server-Sent Events subscription that
// keeps the latest StatusView and says whether the bridge can be reached, reconnecting with backoff.

import { apiPaths, type DestinationView, type ObsView, type SettingsPatch, type SettingsView, type StatusView } from "../contract/api.js";
import { streamLossMessage } from "../client/bridge-messages.js";
import { BridgeRequestError, requestBridgeJson, type BridgeCall } from "../client/bridge-request.js";
import type { BackoffOptions } from "../client/reconnect-backoff.js";
import { StatusStream } from "../client/status-stream.js";
import type { BridgeConnection } from "./settings.js";

export { BridgeRequestError };

/** What the plugin knows about the bridge right now. */
export interface BridgeSnapshot {
  /** True while the event stream is open and has delivered a status. */
  reachable: boolean;
  /** The latest status (kept while unreachable, so keys can still name their platform). */
  status: StatusView | undefined;
  /** Why the bridge cannot be reached, in words for the streamer; undefined while reachable. */
  problem: string | undefined;
  /** True from a new address until the first answer or failure: not yet a problem to report. */
  connecting?: boolean;
}

/** A change the plugin asks of one destination. */
export type DestinationVerb = "start" | "stop" | "toggle" | "retry";

/** What actions and the property inspector need from the client (tests hand in their own). */
export interface BridgeCommands {
  snapshot(): BridgeSnapshot;
  command(id: string, verb: DestinationVerb): Promise<DestinationView>;
  listDestinations(): Promise<DestinationView[]>;
  /** Starts or stops OBS's own stream (through the bridge's link to OBS). */
  obsStream(verb: "start" | "stop"): Promise<ObsView>;
}

export interface BridgeClientOptions {
  fetch?: typeof fetch;
  backoff?: BackoffOptions;
  /** An event stream silent this long is taken as dead (the bridge sends a comment every 15 s). */
  idleTimeoutMs?: number;
  /** Longest wait for one HTTP command. */
  requestTimeoutMs?: number;
}

const CONNECTING: BridgeSnapshot = { reachable: false, status: undefined, problem: "Connecting to the bridge…", connecting: true };

/** Client for one bridge at a time; `configure` moves it to another address or token. */
export class BridgeClient implements BridgeCommands {
  readonly #fetch: typeof fetch;
  readonly #requestTimeoutMs: number;
  readonly #stream: StatusStream;
  readonly #listeners = new Set<(snapshot: BridgeSnapshot) => void>();
  #connection: BridgeConnection | undefined;
  #snapshot: BridgeSnapshot = CONNECTING;

  constructor(options: BridgeClientOptions = {}) {
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 5_000;
    this.#stream = new StatusStream({
      fetch: this.#fetch,
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
      onStatus: (status) => this.#publish({ reachable: true, status, problem: undefined }),
      // The last status is kept, so keys can still name their platform.
      onLoss: (loss) => this.#publish({ reachable: false, status: this.#snapshot.status, problem: streamLossMessage(this.#baseUrl(), loss) }),
    });
  }

  /** Points the client at a bridge; the event stream restarts only when address or token changed. */
  configure(connection: BridgeConnection): void {
    if (this.#connection && JSON.stringify(this.#connection) === JSON.stringify(connection)) return;
    this.#connection = connection;
    this.#stream.stop();
    if (!connection.ok) {
      this.#publish({ reachable: false, status: undefined, problem: connection.problem });
      return;
    }
    this.#publish(CONNECTING);
    this.#stream.follow(connection.baseUrl, connection.token);
  }

  snapshot(): BridgeSnapshot {
    return this.#snapshot;
  }

  /** Calls `listener` after every change of the snapshot; returns the unsubscribe function. */
  onChange(listener: (snapshot: BridgeSnapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Reconnects now instead of waiting out the backoff (e.g. when the user presses a key). */
  reconnectSoon(): void {
    this.#stream.wake();
  }

  async command(id: string, verb: DestinationVerb): Promise<DestinationView> {
    const path = verb === "retry" ? `${apiPaths.destination(id)}/retry` : apiPaths.action(id, verb);
    return this.#request<DestinationView>({ method: "POST", path });
  }

  async listDestinations(): Promise<DestinationView[]> {
    return this.#request<DestinationView[]>({ method: "GET", path: apiPaths.destinations });
  }

  /** The first-run view: each program found or how to install it, and what to paste into OBS. */
  async settings(): Promise<SettingsView> {
    return this.#request<SettingsView>({ method: "GET", path: apiPaths.settings });
  }

  /** Sets program paths in the bridge's config; the bridge checks them and answers the new view. */
  async updateSettings(patch: SettingsPatch): Promise<SettingsView> {
    return this.#request<SettingsView>({ method: "PATCH", path: apiPaths.settings, json: patch });
  }

  async obsStream(verb: "start" | "stop"): Promise<ObsView> {
    return this.#request<ObsView>({ method: "POST", path: apiPaths.obsAction(verb) });
  }

  /** Stops the event stream for good. */
  close(): void {
    this.#connection = undefined;
    this.#stream.stop();
    this.#listeners.clear();
  }

  async #request<T>(call: BridgeCall): Promise<T> {
    const connection = this.#connection;
    if (!connection) throw new BridgeRequestError("The bridge address is not set yet");
    if (!connection.ok) throw new BridgeRequestError(connection.problem);
    try {
      return await requestBridgeJson<T>(connection, call, { fetch: this.#fetch, timeoutMs: this.#requestTimeoutMs });
    } catch (error) {
      // No answer: the event stream is likely down too, so try it again now rather than after its backoff.
      if (error instanceof BridgeRequestError && error.unanswered) this.reconnectSoon();
      throw error;
    }
  }

  #baseUrl(): string {
    return this.#connection?.ok ? this.#connection.baseUrl : "";
  }

  #publish(snapshot: BridgeSnapshot): void {
    const previous = this.#snapshot;
    const same =
      previous.reachable === snapshot.reachable &&
      previous.status === snapshot.status &&
      previous.problem === snapshot.problem &&
      previous.connecting === snapshot.connecting;
    if (same) return;
    this.#snapshot = snapshot;
    for (const listener of [...this.#listeners]) listener(snapshot);
  }
}
