// The one module that talks to the bridge: its HTTP calls, and one Server-Sent Events subscription that
// keeps the latest StatusView and says whether the bridge can be reached, reconnecting with backoff.

import { apiPaths, type DestinationView, type ErrorBody, type ObsView, type SettingsPatch, type SettingsView, type StatusView } from "../bridge/shared/api.js";
import type { BackoffOptions } from "../bridge/shared/reconnect-backoff.js";
import type { BridgeConnection } from "./settings.js";
import { bridgeHeaders, StatusStream, type StreamLoss } from "../bridge/shared/status-stream.js";

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

/** A request the bridge refused or that could not reach it. The message never holds the token. */
export class BridgeRequestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = "BridgeRequestError";
  }
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
      onLoss: (loss) => this.#publish({ reachable: false, status: this.#snapshot.status, problem: this.#lossProblem(loss) }),
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
    return (await this.#request(path, { method: "POST" })) as DestinationView;
  }

  async listDestinations(): Promise<DestinationView[]> {
    return (await this.#request(apiPaths.destinations, { method: "GET" })) as DestinationView[];
  }

  /** The first-run view: each program found or how to install it, and what to paste into OBS. */
  async settings(): Promise<SettingsView> {
    return (await this.#request(apiPaths.settings, { method: "GET" })) as SettingsView;
  }

  /** Sets program paths in the bridge's config; the bridge checks them and answers the new view. */
  async updateSettings(patch: SettingsPatch): Promise<SettingsView> {
    return (await this.#request(apiPaths.settings, { method: "PATCH", body: JSON.stringify(patch) })) as SettingsView;
  }

  async obsStream(verb: "start" | "stop"): Promise<ObsView> {
    return (await this.#request(apiPaths.obsAction(verb), { method: "POST" })) as ObsView;
  }

  /** Stops the event stream for good. */
  close(): void {
    this.#connection = undefined;
    this.#stream.stop();
    this.#listeners.clear();
  }

  async #request(path: string, init: { method: string; body?: string }): Promise<unknown> {
    const connection = this.#connection;
    if (!connection) throw new BridgeRequestError("The bridge address is not set yet");
    if (!connection.ok) throw new BridgeRequestError(connection.problem);
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(connection.baseUrl + path, {
        method: init.method,
        headers: init.body === undefined ? bridgeHeaders(connection.token, "application/json") : { ...bridgeHeaders(connection.token, "application/json"), "content-type": "application/json" },
        body: init.body,
        signal: AbortSignal.timeout(this.#requestTimeoutMs),
      });
      text = await response.text();
    } catch (error) {
      this.reconnectSoon();
      throw new BridgeRequestError(unreachableMessage(connection.baseUrl, error));
    }
    if (!response.ok) throw refusal(response.status, text);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new BridgeRequestError(`The bridge answered ${init.method} ${path} with something that is not JSON`, response.status);
    }
  }

  /** Why the event stream was lost, in words for the streamer. */
  #lossProblem(loss: StreamLoss): string {
    const baseUrl = this.#connection?.ok ? this.#connection.baseUrl : "";
    switch (loss.kind) {
      case "refused":
        return refusal(loss.status, loss.body).message;
      case "not-bridge":
        return `${baseUrl} answers, but it is not a Relay bridge: check the address and port`;
      case "closed":
        return "The bridge closed the connection (stopped or restarting)";
      case "failed":
        return unreachableMessage(baseUrl, loss.error);
    }
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


function refusal(status: number, body: string): BridgeRequestError {
  let parsed: Partial<ErrorBody> | undefined;
  try {
    parsed = JSON.parse(body) as Partial<ErrorBody>;
  } catch {
    parsed = undefined;
  }
  const code = parsed?.error?.code;
  if (status === 401) return new BridgeRequestError("The bridge refused the token: copy bridge.token from its config into the Token field", status, code);
  const message = parsed?.error?.message ?? `The bridge answered HTTP ${status}`;
  return new BridgeRequestError(message, status, code);
}

function unreachableMessage(baseUrl: string, error: unknown): string {
  const cause = (error as { cause?: { code?: string } })?.cause?.code ?? (error as { code?: string })?.code;
  const name = (error as Error)?.name;
  if (name === "TimeoutError") return `The bridge at ${baseUrl} did not answer in time`;
  if (cause === "ECONNREFUSED") return `Nothing answers at ${baseUrl}: is the Relay bridge running?`;
  if (cause === "ENOTFOUND" || cause === "EAI_AGAIN") return `The bridge host in ${baseUrl} cannot be found`;
  const detail = (error as Error)?.message;
  return `The bridge at ${baseUrl} cannot be reached${detail ? ` (${detail})` : ""}`;
}
