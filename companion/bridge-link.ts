// The module's one connection to the bridge: its HTTP calls, and the `/api/events` stream that keeps
// the latest status, reconnecting with backoff and saying why when it cannot (LinkState).

import type { Lang } from "../bridge/shared/i18n/translate.js";
import { apiPaths, type DestinationView, type StatusView } from "../bridge/shared/api.js";
import type { BackoffOptions } from "../bridge/shared/reconnect-backoff.js";
import { bridgeHeaders, StatusStream, type StreamLoss } from "../bridge/shared/status-stream.js";
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
  readonly #requestTimeoutMs: number;
  readonly #stream: StatusStream;
  #address: BridgeAddress | undefined;
  #state: LinkState = { kind: "connecting" };
  #status: StatusView | undefined;

  constructor(listener: BridgeLinkListener, options: BridgeLinkOptions = {}) {
    this.#listener = listener;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 5_000;
    this.#stream = new StatusStream({
      fetch: this.#fetch,
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
      onStatus: (status) => {
        this.#status = status;
        this.#setState({ kind: "connected" });
        this.#listener.onStatus(status);
      },
      onLoss: (loss) => {
        this.#status = undefined;
        this.#setState(this.#lossState(loss));
      },
    });
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
    this.#stream.follow(address.baseUrl, address.token);
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
        headers: bridgeHeaders(address.token, init.accept ?? "application/json"),
        signal: AbortSignal.timeout(this.#requestTimeoutMs),
      });
      body = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      this.#stream.wake();
      throw new Error(unreachableMessage(address.baseUrl, error));
    }
    if (!response.ok) throw new Error(refusalMessage(address.baseUrl, response.status, new TextDecoder().decode(body)));
    return body;
  }

  #stopStream(): void {
    this.#stream.stop();
  }

  /** Why the event stream was lost, as the module shows it. */
  #lossState(loss: StreamLoss): LinkState {
    const baseUrl = this.#address?.ok ? this.#address.baseUrl : "";
    switch (loss.kind) {
      case "refused":
        return refusedAnswer(baseUrl, loss.status, loss.body);
      case "not-bridge":
        return { kind: "unreachable", message: `${baseUrl} answers, but it is not a Relay bridge: check the host and port` };
      case "closed":
        return { kind: "unreachable", message: "The bridge closed the connection (stopped or restarting)" };
      case "failed":
        return unansweredRequest(baseUrl, loss.error);
    }
  }

  #setState(state: LinkState): void {
    if (JSON.stringify(state) === JSON.stringify(this.#state)) return;
    this.#state = state;
    this.#listener.onState(state);
  }
}

