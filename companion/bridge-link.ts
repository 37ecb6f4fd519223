// The module's one connection to the bridge: its HTTP calls, and the `/api/events` stream that keeps
// the latest status, reconnecting with backoff and saying why when it cannot (LinkState).

import type { Lang } from "../presentation/i18n/translate.js";
import { apiPaths, type DestinationView, type StatusView } from "../contract/api.js";
import type { BackoffOptions } from "../client/reconnect-backoff.js";
import { streamLossMessage } from "../client/bridge-messages.js";
import { BridgeRequestError, requestBridge, requestBridgeJson, type BridgeCall, type BridgeRequestOptions, type BridgeTarget } from "../client/bridge-request.js";
import { StatusStream, type StreamLoss } from "../client/status-stream.js";
import type { BridgeAddress } from "./config.js";
import { refusedAnswer, type LinkState } from "./link-state.js";

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
    return this.#requestJson<DestinationView>({ method: "POST", path: apiPaths.action(id, verb) });
  }

  /** `POST /api/obs/start|stop`: starts or stops OBS's own stream; throws the bridge's reason. */
  async obsStream(verb: "start" | "stop"): Promise<void> {
    await this.#request({ method: "POST", path: apiPaths.obsAction(verb) });
  }

  /** `GET /api/destinations`, asked afresh. */
  async listDestinations(): Promise<DestinationView[]> {
    return this.#requestJson<DestinationView[]>({ method: "GET", path: apiPaths.destinations });
  }

  /** The destination's key image as PNG bytes, `size` pixels square, its words in `lang`. */
  async keyPng(id: string, size: number, lang: Lang = "en"): Promise<Uint8Array> {
    const language = lang === "en" ? "" : `&lang=${lang}`;
    return this.#request({ method: "GET", path: `${apiPaths.keyImage(id, "png")}?size=${size}${language}`, accept: "image/png" });
  }

  #request(call: BridgeCall): Promise<Uint8Array> {
    return this.#send((target, options) => requestBridge(target, call, options));
  }

  #requestJson<T>(call: BridgeCall): Promise<T> {
    return this.#send((target, options) => requestBridgeJson<T>(target, call, options));
  }

  /** Sends on the current address; a request without an answer wakes the event stream too. */
  async #send<T>(send: (target: BridgeTarget, options: BridgeRequestOptions) => Promise<T>): Promise<T> {
    const address = this.#address;
    if (!address) throw new Error("The bridge address is not set yet");
    if (!address.ok) throw new Error(address.problem);
    try {
      return await send(address, { fetch: this.#fetch, timeoutMs: this.#requestTimeoutMs });
    } catch (error) {
      if (error instanceof BridgeRequestError && error.unanswered) this.#stream.wake();
      throw error;
    }
  }

  #stopStream(): void {
    this.#stream.stop();
  }

  /** Why the event stream was lost, as the module shows it (a refused token is a settings problem). */
  #lossState(loss: StreamLoss): LinkState {
    const baseUrl = this.#address?.ok ? this.#address.baseUrl : "";
    if (loss.kind === "refused") return refusedAnswer(baseUrl, loss.status, loss.body);
    return { kind: "unreachable", message: streamLossMessage(baseUrl, loss) };
  }

  #setState(state: LinkState): void {
    if (JSON.stringify(state) === JSON.stringify(this.#state)) return;
    this.#state = state;
    this.#listener.onState(state);
  }
}

