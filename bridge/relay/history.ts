// What the bridge remembers of the last 30 minutes: the ingest's and each destination's bitrate and
// frame rate, one sample every 5 s in a bounded ring per series, so the page's graphs survive a reload.
// Pure: the status and the time come in (main.ts samples on a timer); `GET /api/history` reads `view`.

import type { HistorySeries, HistoryView, StatusView } from "../../contract/api.js";

export const HISTORY_PERIOD_MS = 5_000;
export const HISTORY_SPAN_MS = 30 * 60_000;

/** A ring of samples: the oldest dropped past `capacity`. */
class Ring {
  readonly at: number[] = [];
  readonly kbps: number[] = [];
  readonly fps: number[] = [];

  constructor(private readonly capacity: number) {}

  push(at: number, kbps: number, fps: number): void {
    this.at.push(at);
    this.kbps.push(Math.max(0, Math.round(kbps)));
    this.fps.push(Math.max(0, Math.round(fps * 10) / 10));
    if (this.at.length > this.capacity) {
      this.at.shift();
      this.kbps.shift();
      this.fps.shift();
    }
  }

  series(): HistorySeries {
    return { at: [...this.at], kbps: [...this.kbps], fps: [...this.fps] };
  }
}

/** States in which a destination's figures are its own (anything else is drawn as nothing sent). */
const FLOWING = new Set(["live", "holding", "starting"]);

export class HistoryBook {
  readonly #capacity: number;
  readonly #ingest: Ring;
  #destinations = new Map<string, Ring>();

  constructor(private readonly periodMs = HISTORY_PERIOD_MS, private readonly spanMs = HISTORY_SPAN_MS) {
    this.#capacity = Math.ceil(spanMs / periodMs);
    this.#ingest = new Ring(this.#capacity);
  }

  /** One sample of every series at `now`; a deleted destination's series goes with it. */
  record(status: Pick<StatusView, "ingest" | "destinations">, now: number): void {
    const { ingest } = status;
    this.#ingest.push(now, ingest.live ? ingest.bitrateKbps : 0, ingest.live ? (ingest.video?.fps ?? 0) : 0);
    const next = new Map<string, Ring>();
    for (const view of status.destinations) {
      const ring = this.#destinations.get(view.id) ?? new Ring(this.#capacity);
      const flowing = FLOWING.has(view.state);
      ring.push(now, flowing ? view.bitrateKbps : 0, flowing ? view.fps : 0);
      next.set(view.id, ring);
    }
    this.#destinations = next;
  }

  view(): HistoryView {
    return {
      periodMs: this.periodMs,
      spanMs: this.spanMs,
      ingest: this.#ingest.series(),
      destinations: Object.fromEntries([...this.#destinations].map(([id, ring]) => [id, ring.series()])),
    };
  }
}
