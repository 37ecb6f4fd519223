// Whether the ingest is live, in one place: which streams nginx says are published (the tracker),
// which of them have media flowing through the data plane, which one is the main stream, and so
// which stream each destination reads now.

import type { Config, Destination } from "../config/schema.js";
import type { StatStream } from "../nginx/stat-parser.js";
import { IngestTracker, type IngestChange, type IngestStream } from "./ingest-tracker.js";
import { sourceStreamName } from "./stream-names.js";

/** How long the page shows that OBS published to a wrong application. */
const WRONG_APPLICATION_SHOWN_MS = 10 * 60_000;

export class IngestState {
  readonly #published: IngestTracker;
  /** Streams whose media flows through the data plane now (from their first keyframe on). */
  readonly #mediaUp = new Set<string>();
  /** While a stream is down: how long its relays are kept on the stand-in (from its last going down). */
  readonly #heldMs = new Map<string, number>();
  /** The stream relays followed last: it stays the main one while it is published. */
  #lastMain: string | null = null;
  #wrongApplication: { hint: string; at: number } | null = null;

  /** `onChange`: a stream was published or ended, its picture or sound changed, or its numbers moved. */
  constructor(onChange: (change: IngestChange) => void) {
    this.#published = new IngestTracker(onChange);
  }

  /** The streams nginx says are published, in publish order. */
  get names(): string[] {
    return this.#published.names;
  }

  stream(name: string): IngestStream | undefined {
    return this.#published.get(name);
  }

  /** The connection publishing `name` now, if any ("" when learnt from the stat page). */
  publisher(name: string): string | undefined {
    return this.#published.publisher(name);
  }

  /** nginx accepted a publish of `name` on connection `clientId`. */
  published(name: string, clientId: string, now: number): void {
    this.#published.publish(name, clientId, now);
  }

  /** Connection `clientId` stopped publishing `name`; answers whether that ended the stream. */
  publishDone(name: string, clientId: string): boolean {
    return this.#published.publishDone(name, clientId);
  }

  /** One stat poll of the ingest application: numbers, and any publish whose notification was missed. */
  applyStat(streams: readonly StatStream[], now: number): void {
    this.#published.applyStat(streams, now);
  }

  /** nginx is gone: every stream with it. */
  clear(): void {
    this.#published.clear();
  }

  /** The data plane: `name`'s media flows. */
  mediaUp(name: string): void {
    this.#mediaUp.add(name);
    this.#heldMs.delete(name);
  }

  /** The data plane: `name`'s media is gone; relays on it are held on the stand-in for `heldMs`. */
  mediaDown(name: string, heldMs: number): void {
    this.#mediaUp.delete(name);
    this.#heldMs.set(name, heldMs);
  }

  /** How long relays that read `name` are kept on the stand-in now that it went down. */
  heldMs(name: string): number {
    return this.#heldMs.get(name) ?? 0;
  }

  /**
   * The main stream: the one relays follow (ingest.key's when set, else the first stream published
   * that no destination claims as its source); while none is published, the last one (its relays may
   * be on the stand-in, waiting for it to come back). Without a key, the first name taken stays the
   * main stream for the bridge's run: another name never replaces it, while it is live, held or gone,
   * so a stranger's stream never reaches a platform in OBS's place.
   */
  mainStream(config: Config): string | null {
    const key = config.ingest.key;
    const claimed = claimedSources(config);
    const last = this.#lastMain;
    if (key === "" && last !== null && !claimed.has(last)) return last;
    const keep = last !== null && this.#published.isLive(last) && !claimed.has(last) && (key === "" || last === key);
    const main = keep ? last : this.#published.mainStream(key, claimed);
    if (main !== null) this.#lastMain = main;
    return main ?? this.#lastMain;
  }

  /** The stream `destination` reads while its media flows, else null. */
  readsFor(config: Config, destination: Destination, main: string | null = this.mainStream(config)): string | null {
    const wanted = destination.source !== undefined ? sourceStreamName(config.ingest.key, destination.source) : main;
    return wanted !== null && this.#mediaUp.has(wanted) ? wanted : null;
  }

  /** A publish was refused, or OBS published to a wrong application: `hint` says why, shown for a while. */
  noteWrongApplication(hint: string, now: number): void {
    this.#wrongApplication = { hint, at: now };
  }

  /** The wrong-application hint, while it is shown. */
  wrongApplicationHint(now: number): string | undefined {
    const wrong = this.#wrongApplication;
    return wrong && now - wrong.at < WRONG_APPLICATION_SHOWN_MS ? wrong.hint : undefined;
  }
}

function claimedSources(config: Config): Set<string> {
  return new Set(config.destinations.flatMap((destination) => (destination.source ? [destination.source] : [])));
}
