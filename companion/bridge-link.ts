// The module's one connection to the bridge: its HTTP calls, and the `/api/events` stream that keeps
// the latest status, reconnecting with backoff and saying why when it cannot (LinkState).

import type { Lang } from "../bridge/shared/i18n/translate.js";
import { apiPaths, STATUS_EVENT, type DestinationView, type StatusView } from "../bridge/shared/api.js";
import { backoffDelay, RECONNECT_BACKOFF, type BackoffOptions } from "../bridge/shared/reconnect-backoff.js";
import { createSseParser } from "../bridge/shared/sse-parser.js";
import type { BridgeAddress } from "./config.js";
import { refusalMessage, refusedAnswer, unansweredRequest, unreachableMessage, type LinkState } from "./link-state.js";

/** What the link tells its owner. */
export interface BridgeLinkListener {
  /** Every status the bridge sends (on connect and after every change). */
  onStatus(status: StatusView): void;
  /** Every change of the connection's state. */
  onState(state: LinkState): void;
}

export interface BridgeLinkOptions {
  fetch?: typeof fetch;
  backoff?: BackoffOptions;
  /** An event stream silent this long is taken as dead (the bridge sends a comment every 15 s). */
  idleTimeoutMs?: number;
  /** Longest wait for one HTTP call. */
  requestTimeoutMs?: number;
}

/** A change asked of one destination. */
export type DestinationVerb = "start" | "stop" | "toggle";

/** Client of one bridge at a time; `connect` moves it to another address or token. */
export class BridgeLink {
  readonly #listener: BridgeLinkListener;
  readonly #fetch: typeof fetch;
  readonly #backoff: BackoffOptions;
  readonly #idleTimeoutMs: number;
  readonly #requestTimeoutMs: number;
  #address: BridgeAddress | undefined;
  #state: LinkState = { kind: "connecting" };
  #status: StatusView | undefined;
  /** Bumped on every connect and on close: a stream loop that sees another value ends. */
  #generation = 0;
  #abort: AbortController | undefined;
  #wake: (() => void) | undefined;

  constructor(listener: BridgeLinkListener, options: BridgeLinkOptions = {}) {
    this.#listener = listener;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#backoff = options.backoff ?? RECONNECT_BACKOFF;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 45_000;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 5_000;
  }

  /** Follows the bridge at `address` (restarts the stream; an unusable address is reported, not tried). */
  connect(address: BridgeAddress): void {
    this.#stopStream();
    this.#address = address;
    this.#status = undefined;
    if (!address.ok) {
      this.#setState({ kind: "bad-settings", message: address.problem });
      return;
    }
    this.#setState({ kind: "connecting" });
    void this.#streamLoop(address.baseUrl, address.token, this.#generation);
  }

  /** The latest status the bridge sent, if the stream is open. */
  status(): StatusView | undefined {
    return this.#status;
  }

  state(): LinkState {
    return this.#state;
  }

  /** Stops following the bridge for good. */
  close(): void {
    this.#address = undefined;
    this.#stopStream();
  }

  /** `POST /api/destinations/:id/start|stop|toggle`; answers the destination or throws the bridge's reason. */
  async command(id: string, verb: DestinationVerb): Promise<DestinationView> {
    const response = await this.#request(apiPaths.action(id, verb), { method: "POST" });
    return JSON.parse(new TextDecoder().decode(response)) as DestinationView;
  }

  /** `POST /api/obs/start|stop`: starts or stops OBS's own stream; throws the bridge's reason. */
  async obsStream(verb: "start" | "stop"): Promise<void> {
    await this.#request(apiPaths.obsAction(verb), { method: "POST" });
  }

  /** `GET /api/destinations`, asked afresh. */
  async listDestinations(): Promise<DestinationView[]> {
    const response = await this.#request(apiPaths.destinations, { method: "GET" });
    return JSON.parse(new TextDecoder().decode(response)) as DestinationView[];
  }

  /** The destination's key image as PNG bytes, `size` pixels square, its words in `lang`. */
  async keyPng(id: string, size: number, lang: Lang = "en"): Promise<Uint8Array> {
    const language = lang === "en" ? "" : `&lang=${lang}`;
    return this.#request(`${apiPaths.keyImage(id, "png")}?size=${size}${language}`, { method: "GET", accept: "image/png" });
  }

  async #request(path: string, init: { method: string; accept?: string }): Promise<Uint8Array> {
    const address = this.#address;
    if (!address) throw new Error("The bridge address is not set yet");
    if (!address.ok) throw new Error(address.problem);
    let response: Response;
    let body: Uint8Array;
    try {
      response = await this.#fetch(address.baseUrl + path, {
        method: init.method,
        headers: headers(address.token, init.accept ?? "application/json"),
        signal: AbortSignal.timeout(this.#requestTimeoutMs),
      });
      body = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      this.#wake?.();
      throw new Error(unreachableMessage(address.baseUrl, error));
    }
    if (!response.ok) throw new Error(refusalMessage(address.baseUrl, response.status, new TextDecoder().decode(body)));
    return body;
  }

  async #streamLoop(baseUrl: string, token: string, generation: number): Promise<void> {
    let attempt = 0;
    while (generation === this.#generation) {
      const outcome = await this.#readStream(baseUrl, token, generation);
      if (generation !== this.#generation) return;
      if (outcome.delivered) attempt = 0;
      this.#status = undefined;
      this.#setState(outcome.state);
      await this.#sleep(backoffDelay(attempt++, this.#backoff));
    }
  }

  /** Reads one event stream until it ends or fails; says why, and whether it delivered a status. */
  async #readStream(baseUrl: string, token: string, generation: number): Promise<{ delivered: boolean; state: LinkState }> {
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
      this.#status = status;
      this.#setState({ kind: "connected" });
      this.#listener.onStatus(status);
    });
    try {
      armIdle();
      const response = await this.#fetch(baseUrl + apiPaths.events, { headers: headers(token, "text/event-stream"), signal: abort.signal });
      if (!response.ok || !response.body) {
        return { delivered, state: refusedAnswer(baseUrl, response.status, await response.text().catch(() => "")) };
      }
      if (!(response.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
        return { delivered, state: { kind: "unreachable", message: `${baseUrl} answers, but it is not a Relay bridge: check the host and port` } };
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        armIdle();
        parser.push(decoder.decode(value, { stream: true }));
      }
      return { delivered, state: { kind: "unreachable", message: "The bridge closed the connection (stopped or restarting)" } };
    } catch (error) {
      const reason = abort.signal.aborted && abort.signal.reason instanceof Error ? abort.signal.reason : error;
      return { delivered, state: unansweredRequest(baseUrl, reason) };
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

  #setState(state: LinkState): void {
    if (JSON.stringify(state) === JSON.stringify(this.#state)) return;
    this.#state = state;
    this.#listener.onState(state);
  }
}

function headers(token: string, accept: string): Record<string, string> {
  return token === "" ? { Accept: accept } : { Accept: accept, Authorization: `Bearer ${token}` };
}
