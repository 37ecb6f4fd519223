// Reads a bridge's `/api/events` stream as a client would: every status event with when it arrived
// (the harness clock, to compare with other arrivals, and the wall clock, to compare with the
// bridge's own timestamps such as a destination's `since`), and the raw text (to look for secrets).

import { STATUS_EVENT, type StatusView } from "../contract/api.js";
import { createSseParser } from "../client/sse-parser.js";
import { Arrivals } from "./arrivals.js";
import { now } from "./clock.js";

/** One status event and when it arrived. */
export interface StatusEvent {
  /** now() at arrival. */
  at: number;
  /** Date.now() at arrival. */
  wallAt: number;
  status: StatusView;
}

export interface EventWatch {
  /** Every status event so far, oldest first. */
  readonly events: StatusEvent[];
  /** The statuses alone. */
  statuses(): StatusView[];
  /** The stream's text as received. */
  raw(): string;
  /** The first event arrived at or after `after` (now()) that `match` accepts, if one came already. */
  first(match: (status: StatusView) => boolean, after?: number): StatusEvent | undefined;
  /** The first event (already here or still to come) arrived at or after `after` that `match` accepts. */
  waitFor(match: (status: StatusView) => boolean, options?: { after?: number; timeoutMs?: number; what?: string }): Promise<StatusEvent>;
  /**
   * The first `count` events (already here or still to come) arrived at or after `after`. While a relay
   * or the ingest is live its numbers move all the time, and numbers reach the stream at most once a
   * second: of two events after a moment the second one is a second after the first unless a state
   * changed in between (which shows in the events themselves). So the ingest's stat poll (once a
   * second) and the numbers have run since the moment, and whatever they set off is in the events.
   */
  waitForCount(count: number, options?: { after?: number; timeoutMs?: number; what?: string }): Promise<StatusEvent[]>;
  close(): void;
}

/** Opens the bridge's event stream; resolves once it answered. */
export async function watchEvents(url: string, token = ""): Promise<EventWatch> {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/events`, {
    signal: controller.signal,
    headers: { accept: "text/event-stream", ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  if (!response.ok || !response.body) throw new Error(`/api/events answered ${response.status}`);
  const arrivals = new Arrivals<StatusEvent>();
  let raw = "";
  const parser = createSseParser((event) => {
    if (event.event === STATUS_EVENT) arrivals.push({ at: now(), wallAt: Date.now(), status: JSON.parse(event.data) as StatusView });
  });
  void (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const text = decoder.decode(chunk, { stream: true });
        raw += text;
        parser.push(text);
      }
    } catch {
      // closed by the caller or by the bridge stopping
    }
  })();
  return {
    events: arrivals.items,
    statuses: () => arrivals.items.map((event) => event.status),
    raw: () => raw,
    first: (match, after = 0) => arrivals.items.find((event) => event.at >= after && match(event.status)),
    waitFor(match, { after = 0, timeoutMs = 15_000, what = "a status event" } = {}) {
      return arrivals.waitFor((event) => event.at >= after && match(event.status), { timeoutMs, what });
    },
    async waitForCount(count, { after = 0, timeoutMs = 15_000, what = `${count} status events` } = {}) {
      const since = () => arrivals.items.filter((event) => event.at >= after);
      await arrivals.waitFor((event) => event.at >= after && since().length >= count, { timeoutMs, what });
      return since().slice(0, count);
    },
    close: () => controller.abort(),
  };
}
