// Follows a bridge's `/api/events` stream: every status it sends, and each loss of the stream with
// why, reconnecting with backoff until told to stop. Shared by the Stream Deck plugin and the
// Companion module, which each say the reasons in their own words. Uses only fetch (Node 20+, browsers).

import { apiPaths, STATUS_EVENT, type StatusView } from "../contract/api.js";
import { backoffDelay, RECONNECT_BACKOFF, type BackoffOptions } from "./reconnect-backoff.js";
import { createSseParser } from "./sse-parser.js";

/** Why the stream ended. */
export type StreamLoss =
  /** The bridge answered with an error status (e.g. 401 for a wrong token). */
  | { kind: "refused"; status: number; body: string }
  /** Something answers at the address, but not with an event stream. */
  | { kind: "not-bridge" }
  /** The bridge closed the stream (it stopped or restarts). */
  | { kind: "closed" }
  /** The request failed or the stream went silent (`error` says how). */
  | { kind: "failed"; error: unknown };

export interface StatusStreamOptions {
  onStatus: (status: StatusView) => void;
  /** Called after each loss, before the wait to reconnect. `delivered`: that stream had sent a status. */
  onLoss: (loss: StreamLoss, delivered: boolean) => void;
  fetch?: typeof fetch;
  backoff?: BackoffOptions;
  /** A stream silent this long is taken as dead (the bridge sends a comment every 15 s). */
  idleTimeoutMs?: number;
}

export class StatusStream {
  readonly #options: StatusStreamOptions;
  readonly #fetch: typeof fetch;
  /** Bumped on every follow and stop: a loop that sees another value ends. */
  #generation = 0;
  #abort: AbortController | undefined;
  #wake: (() => void) | undefined;

  constructor(options: StatusStreamOptions) {
    this.#options = options;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** Follows the bridge at `baseUrl` (any stream followed before ends). */
  follow(baseUrl: string, token: string): void {
    this.stop();
    void this.#loop(baseUrl, token, this.#generation);
  }

  /** Ends the stream and any wait to reconnect. */
  stop(): void {
    this.#generation++;
    this.#abort?.abort();
    this.#abort = undefined;
    this.#wake?.();
  }

  /** Reconnects now instead of waiting out the backoff (a key press, a failed command). */
  wake(): void {
    this.#wake?.();
  }

  async #loop(baseUrl: string, token: string, generation: number): Promise<void> {
    let attempt = 0;
    while (generation === this.#generation) {
      const { loss, delivered } = await this.#readOnce(baseUrl, token, generation);
      if (generation !== this.#generation) return;
      if (delivered) attempt = 0;
      this.#options.onLoss(loss, delivered);
      await this.#sleep(backoffDelay(attempt++, this.#options.backoff ?? RECONNECT_BACKOFF));
    }
  }

  /** Reads one event stream until it ends or fails. */
  async #readOnce(baseUrl: string, token: string, generation: number): Promise<{ loss: StreamLoss; delivered: boolean }> {
    const abort = new AbortController();
    this.#abort = abort;
    let delivered = false;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(() => abort.abort(new Error("the bridge went silent")), this.#options.idleTimeoutMs ?? 45_000);
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
      this.#options.onStatus(status);
    });
    try {
      armIdle();
      const response = await this.#fetch(baseUrl + apiPaths.events, { headers: bridgeHeaders(token, "text/event-stream"), signal: abort.signal });
      if (!response.ok || !response.body) {
        return { delivered, loss: { kind: "refused", status: response.status, body: await response.text().catch(() => "") } };
      }
      if (!(response.headers.get("content-type") ?? "").startsWith("text/event-stream")) return { delivered, loss: { kind: "not-bridge" } };
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        armIdle();
        parser.push(decoder.decode(value, { stream: true }));
      }
      return { delivered, loss: { kind: "closed" } };
    } catch (error) {
      const reason = abort.signal.aborted && abort.signal.reason instanceof Error ? abort.signal.reason : error;
      return { delivered, loss: { kind: "failed", error: reason } };
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
}

/** The headers of a request to the bridge: what is accepted, and the token when there is one. */
export function bridgeHeaders(token: string, accept: string): Record<string, string> {
  return token === "" ? { Accept: accept } : { Accept: accept, Authorization: `Bearer ${token}` };
}
