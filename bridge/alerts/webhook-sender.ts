// Posts alerts to webhooks without ever holding anything else up: each webhook has its own small
// queue (the oldest alert dropped beyond MAX_QUEUED), each post its time limit, each alert a few tries
// with a growing pause. A webhook's URL is a secret: what this says of one is its label ("webhook 2 (ntfy)").

import type { Logger } from "../log/logger.js";
import type { WebhookRequest } from "./webhook-body.js";

/** One post's time limit. */
export const WEBHOOK_TIMEOUT_MS = 5_000;
/** Pauses before the second, third and fourth tries; then the alert is given up. */
export const WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [1_000, 3_000, 9_000];
/** Alerts waiting for one webhook at most (a dead one must not hold the bridge's memory). */
export const MAX_QUEUED = 20;

/** Where to post, and what the log may call it. */
export interface WebhookTarget {
  url: string;
  /** e.g. "webhook 2 (ntfy)": never the URL. */
  label: string;
}

/** One post's outcome: `error` in plain words, never the URL; `retry` when another try may work. */
export interface PostResult {
  ok: boolean;
  error?: string;
  retry?: boolean;
}

export interface WebhookSenderOptions {
  log: Logger;
  timeoutMs?: number;
  retryDelaysMs?: readonly number[];
  maxQueued?: number;
}

interface Job {
  what: string;
  request: WebhookRequest;
}

export class WebhookSender {
  readonly #queues = new Map<string, { target: WebhookTarget; jobs: Job[]; running: boolean }>();
  readonly #pauses = new Set<{ timer: ReturnType<typeof setTimeout>; resolve: () => void }>();
  #stopped = false;

  constructor(private readonly options: WebhookSenderOptions) {}

  /** Queues `request` for `target` (`what` names the alert in the log) and answers at once. */
  send(target: WebhookTarget, what: string, request: WebhookRequest): void {
    if (this.#stopped) return;
    let queue = this.#queues.get(target.url);
    if (!queue) {
      queue = { target, jobs: [], running: false };
      this.#queues.set(target.url, queue);
    }
    queue.target = target;
    queue.jobs.push({ what, request });
    const limit = this.options.maxQueued ?? MAX_QUEUED;
    if (queue.jobs.length > limit) {
      const dropped = queue.jobs.splice(0, queue.jobs.length - limit);
      this.options.log.warn(`${target.label} is not taking alerts: dropped ${dropped.map((job) => job.what).join(", ")}`);
    }
    if (!queue.running) void this.#drain(target.url);
  }

  /** One post, now, outside the queues (the test alert): its outcome. */
  post(target: WebhookTarget, request: WebhookRequest): Promise<PostResult> {
    return postOnce(target.url, request, this.options.timeoutMs ?? WEBHOOK_TIMEOUT_MS);
  }

  /** Sends nothing more; pauses between tries end now. */
  stop(): void {
    this.#stopped = true;
    for (const pause of this.#pauses) {
      clearTimeout(pause.timer);
      pause.resolve();
    }
    this.#pauses.clear();
    this.#queues.clear();
  }

  async #drain(key: string): Promise<void> {
    const queue = this.#queues.get(key);
    if (!queue) return;
    queue.running = true;
    try {
      for (let job = queue.jobs.shift(); job && !this.#stopped; job = queue.jobs.shift()) await this.#deliver(queue.target, job);
    } finally {
      queue.running = false;
      if (queue.jobs.length === 0 && this.#queues.get(key) === queue) this.#queues.delete(key);
    }
  }

  async #deliver(target: WebhookTarget, job: Job): Promise<void> {
    const delays = this.options.retryDelaysMs ?? WEBHOOK_RETRY_DELAYS_MS;
    for (let attempt = 0; ; attempt += 1) {
      const result = await this.post(target, job.request);
      if (this.#stopped) return;
      if (result.ok) {
        this.options.log.info(`${job.what} sent to ${target.label}`);
        return;
      }
      if (!result.retry || attempt >= delays.length) {
        this.options.log.warn(`${job.what} not delivered to ${target.label} after ${attempt + 1} ${attempt === 0 ? "try" : "tries"}: ${result.error}`);
        return;
      }
      await this.#pause(delays[attempt]!);
      if (this.#stopped) return;
    }
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const pause = { timer: setTimeout(() => {
        this.#pauses.delete(pause);
        resolve();
      }, ms), resolve };
      this.#pauses.add(pause);
    });
  }
}

/** POSTs once within `timeoutMs`; never throws, never says the URL. */
export async function postOnce(url: string, request: WebhookRequest, timeoutMs: number): Promise<PostResult> {
  let response: Response;
  try {
    response = await fetch(url, { method: "POST", headers: request.headers, body: request.body, signal: AbortSignal.timeout(timeoutMs), redirect: "error" });
  } catch (error) {
    const name = (error as Error)?.name;
    if (name === "TimeoutError" || name === "AbortError") return { ok: false, error: `no answer within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}`, retry: true };
    const code = ((error as { cause?: { code?: unknown } })?.cause?.code ?? "") as string;
    return { ok: false, error: `could not reach it${typeof code === "string" && /^[A-Z_]+$/.test(code) ? ` (${code})` : ""}: check the URL and this computer's connection`, retry: true };
  }
  // The answer's body is not needed: let the connection go.
  await response.body?.cancel().catch(() => undefined);
  if (response.ok) return { ok: true };
  const retry = response.status >= 500 || response.status === 429 || response.status === 408;
  const advice = response.status === 404 || response.status === 401 || response.status === 403 ? ": check the URL (a deleted webhook, a wrong topic or token)" : "";
  return { ok: false, error: `answered HTTP ${response.status}${advice}`, retry };
}
