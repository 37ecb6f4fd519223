// Which changes of the status are alerts: a switched-on platform that failed (gave up, or was refused),
// one live again after retrying or failing, OBS gone past a few seconds (not a blip) and OBS back after
// that. Pure: the status and the time come in, the alerts go out; the caller wakes it at `nextCheckAt`.

import type { AlertEvent, DestinationView, StatusView } from "../../contract/api.js";

/** OBS gone this long is an alert; a shorter blip is not (the platforms ride it on the stand-in). */
export const INGEST_LOST_MS = 5_000;

/** One thing that happened, with its facts (the words are alert-text.ts's). */
export interface AlertFact {
  event: Exclude<AlertEvent, "test">;
  /** Epoch ms. */
  at: number;
  destination?: Pick<DestinationView, "id" | "name" | "state" | "lastError">;
  /** For ingest_lost: how long OBS has been gone, ms. */
  goneMs?: number;
}

export class AlertWatch {
  /** Per destination: its last state, and whether it went retrying or failed since it was last live. */
  #destinations = new Map<string, { state: string; troubled: boolean }>();
  #ingestLive: boolean | undefined;
  /** When OBS went away (epoch ms), until it comes back or that is told. */
  #lostAt: number | null = null;
  #lostTold = false;

  constructor(private readonly lostAfterMs = INGEST_LOST_MS) {}

  /** The alerts between the last status seen and `status`. The first status only sets what is known. */
  observe(status: Pick<StatusView, "ingest" | "destinations">, now: number): AlertFact[] {
    const alerts: AlertFact[] = [];
    const seen = new Map<string, { state: string; troubled: boolean }>();
    for (const view of status.destinations) {
      const before = this.#destinations.get(view.id);
      let troubled = before?.troubled ?? false;
      const facts = { id: view.id, name: view.name, state: view.state, lastError: view.lastError };
      if (before && before.state !== view.state) {
        if (view.state === "failed") alerts.push({ event: "destination_failed", at: now, destination: facts });
        if (view.state === "live" && troubled) alerts.push({ event: "destination_recovered", at: now, destination: facts });
      }
      if (view.state === "retrying" || view.state === "failed") troubled = true;
      // Live again, or switched off: what was wrong is over.
      if (view.state === "live" || view.state === "off") troubled = false;
      seen.set(view.id, { state: view.state, troubled });
    }
    this.#destinations = seen;

    const live = status.ingest.live;
    if (this.#ingestLive === true && !live) {
      this.#lostAt = now;
      this.#lostTold = false;
    } else if (this.#ingestLive === false && live) {
      if (this.#lostTold) alerts.push({ event: "ingest_back", at: now });
      this.#lostAt = null;
      this.#lostTold = false;
    }
    this.#ingestLive = live;
    return [...alerts, ...this.check(now)];
  }

  /** OBS gone past the threshold by `now`: the ingest_lost alert, once. */
  check(now: number): AlertFact[] {
    if (this.#lostAt === null || this.#lostTold || now - this.#lostAt < this.lostAfterMs) return [];
    this.#lostTold = true;
    return [{ event: "ingest_lost", at: now, goneMs: now - this.#lostAt }];
  }

  /** When `check` may have an alert to give (null: nothing is pending). */
  nextCheckAt(): number | null {
    return this.#lostAt !== null && !this.#lostTold ? this.#lostAt + this.lostAfterMs : null;
  }
}
