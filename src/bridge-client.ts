// The one module that talks to the bridge: its HTTP calls, and one Server-Sent Events subscription that
// keeps the latest StatusView and says whether the bridge can be reached, reconnecting with backoff.

import { apiPaths, STATUS_EVENT, type DestinationView, type ErrorBody, type ObsView, type SettingsPatch, type SettingsView, type StatusView } from "../bridge/shared/api.js";
import { backoffDelay, RECONNECT_BACKOFF, type BackoffOptions } from "../bridge/shared/reconnect-backoff.js";
import type { BridgeConnection } from "./settings.js";
import { createSseParser } from "../bridge/shared/sse-parser.js";

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
  readonly #backoff: BackoffOptions;
  readonly #idleTimeoutMs: number;
  readonly #requestTimeoutMs: number;
  readonly #listeners = new Set<(snapshot: BridgeSnapshot) => void>();
  #connection: BridgeConnection | undefined;
  #snapshot: BridgeSnapshot = CONNECTING;
  /** Bumped on every (re)configure and on close: a loop that sees another value stops. */
  #generation = 0;
  #abort: AbortController | undefined;
  #wake: (() => void) | undefined;

  constructor(options: BridgeClientOptions = {}) {
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#backoff = options.backoff ?? RECONNECT_BACKOFF;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 45_000;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 5_000;
  }

  /** Points the client at a bridge; the event stream restarts only when address or token changed. */
  configure(connection: BridgeConnection): void {
    if (this.#connection && JSON.stringify(this.#connection) === JSON.stringify(connection)) return;
    this.#connection = connection;
    this.#stopStream();
    const generation = this.#generation;
    if (!connection.ok) {
      this.#publish({ reachable: false, status: undefined, problem: connection.problem });
      return;
    }
    this.#publish(CONNECTING);
    void this.#streamLoop(connection.baseUrl, connection.token, generation);
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
    this.#wake?.();
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
    this.#stopStream();
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
        headers: init.body === undefined ? headers(connection.token, "application/json") : { ...headers(connection.token, "application/json"), "content-type": "application/json" },
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

  async #streamLoop(baseUrl: string, token: string, generation: number): Promise<void> {
    let attempt = 0;
    while (generation === this.#generation) {
      const outcome = await this.#readStream(baseUrl, token, generation);
      if (generation !== this.#generation) return;
      if (outcome.delivered) attempt = 0;
      this.#publish({ reachable: false, status: this.#snapshot.status, problem: outcome.problem });
      await this.#sleep(backoffDelay(attempt++, this.#backoff));
    }
  }

  /** Reads one event stream until it ends or fails; says why, and whether it delivered a status. */
  async #readStream(baseUrl: string, token: string, generation: number): Promise<{ delivered: boolean; problem: string }> {
    const abort = new AbortController();
    this.#abort = abort;
    let delivered = false;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(() => abort.abort(new Error("the bridge went silent")), this.#idleTimeoutMs);
    };
    const parser = createSseParser((event) => {
      if (event.event !== STATUS_EVENT || generation !== this.#generation) return;
      let status: StatusView;
      try {
        status = JSON.parse(event.data) as StatusView;
      } catch {
        return;
      }
      delivered = true;
      this.#publish({ reachable: true, status, problem: undefined });
    });
    try {
      armIdle();
      const response = await this.#fetch(baseUrl + apiPaths.events, { headers: headers(token, "text/event-stream"), signal: abort.signal });
      if (!response.ok || !response.body) {
        const refused = refusal(response.status, await response.text().catch(() => ""));
        return { delivered, problem: refused.message };
      }
      if (!(response.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
        return { delivered, problem: `${baseUrl} answers, but it is not a Relay bridge: check the address and port` };
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        armIdle();
        parser.push(decoder.decode(value, { stream: true }));
      }
      return { delivered, problem: "The bridge closed the connection (stopped or restarting)" };
    } catch (error) {
      const reason = abort.signal.aborted && abort.signal.reason instanceof Error ? abort.signal.reason : error;
      return { delivered, problem: unreachableMessage(baseUrl, reason) };
    } finally {
      clearTimeout(idle);
      abort.abort();
      if (this.#abort === abort) this.#abort = undefined;
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.#wake === done) this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  #stopStream(): void {
    this.#generation++;
    this.#abort?.abort();
    this.#abort = undefined;
    this.#wake?.();
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

function headers(token: string, accept: string): Record<string, string> {
  return token === "" ? { Accept: accept } : { Accept: accept, Authorization: `Bearer ${token}` };
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
