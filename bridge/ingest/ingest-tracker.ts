// What is being published into the bridge's nginx: streams appear and end with nginx's
// notifications; the stat poll adds their numbers and mends any notification that was missed.

import type { StatStream } from "../nginx/stat-parser.js";

export interface IngestStream {
  name: string;
  /** nginx's id of the publishing connection ("" when learnt from the stat page). */
  clientId: string;
  /** Epoch ms the publish began. */
  since: number;
  bitrateKbps: number;
  video?: { codec: string; width: number; height: number; fps: number };
  audio?: { codec: string };
  /** Last stat sample, for the bitrate. */
  sample?: { bytesIn: number; at: number };
}

/** Streams younger than this are not dropped for missing from a stat page (it may predate them). */
const STAT_GRACE_MS = 3_000;

/** What moved: the set of published streams, what a stream is (its picture or sound), or only its bitrate. */
export type IngestChange = "streams" | "format" | "numbers";

export class IngestTracker {
  #streams = new Map<string, IngestStream>();

  constructor(private readonly onChange: (change: IngestChange) => void) {}

  get names(): string[] {
    return [...this.#streams.keys()];
  }

  get(name: string): IngestStream | undefined {
    return this.#streams.get(name);
  }

  isLive(name: string | null): boolean {
    return name !== null && this.#streams.has(name);
  }

  /** The connection publishing `name` now, if any. */
  publisher(name: string): string | undefined {
    return this.#streams.get(name)?.clientId;
  }

  /** A publish began (nginx's on_publish) on connection `clientId`. */
  publish(name: string, clientId: string, now: number): void {
    this.#streams.set(name, { name, clientId, since: now, bitrateKbps: 0 });
    this.onChange("streams");
  }

  /**
   * A publish ended (nginx's on_publish_done). Only the end of the connection that publishes the
   * stream ends it: a refused second encoder's end changes nothing. Returns whether it ended.
   */
  publishDone(name: string, clientId: string): boolean {
    const stream = this.#streams.get(name);
    if (!stream || (stream.clientId !== "" && stream.clientId !== clientId)) return false;
    this.#streams.delete(name);
    this.onChange("streams");
    return true;
  }

  /** nginx is gone: every stream with it. */
  clear(): void {
    if (this.#streams.size === 0) return;
    this.#streams.clear();
    this.onChange("streams");
  }

  /**
   * Applies one stat poll of the ingest application. Calls onChange once with the largest change: a
   * stream came or went, a stream's picture or sound changed, or only its bitrate moved.
   */
  applyStat(streams: readonly StatStream[], now: number): void {
    let change: IngestChange | undefined;
    const raise = (to: IngestChange) => {
      if (change === "streams" || (change === "format" && to === "numbers")) return;
      change = to;
    };
    const seen = new Set<string>();
    for (const stat of streams) {
      if (!stat.publishing) continue;
      seen.add(stat.name);
      let stream = this.#streams.get(stat.name);
      if (!stream) {
        stream = { name: stat.name, clientId: "", since: now - stat.timeMs, bitrateKbps: 0 };
        this.#streams.set(stat.name, stream);
        raise("streams");
      }
      const bitrate = stream.sample && now > stream.sample.at
        ? Math.max(0, Math.round(((stat.bytesIn - stream.sample.bytesIn) * 8) / (now - stream.sample.at)))
        : Math.round(stat.bwIn / 1000);
      stream.sample = { bytesIn: stat.bytesIn, at: now };
      if (!sameMeta(stream, stat)) raise("format");
      if (bitrate !== stream.bitrateKbps) raise("numbers");
      stream.bitrateKbps = bitrate;
      if (stat.video) stream.video = stat.video;
      if (stat.audio) stream.audio = stat.audio;
    }
    for (const [name, stream] of this.#streams) {
      if (!seen.has(name) && now - stream.since > STAT_GRACE_MS) {
        this.#streams.delete(name);
        raise("streams");
      }
    }
    if (change) this.onChange(change);
  }

  /**
   * The main stream: the one named by `ingest.key` when set, else the longest-running stream that no
   * destination names as its `source`.
   */
  mainStream(key: string, claimed: ReadonlySet<string>): string | null {
    if (key !== "") return this.#streams.has(key) ? key : null;
    let best: IngestStream | undefined;
    for (const stream of this.#streams.values()) {
      if (claimed.has(stream.name)) continue;
      if (!best || stream.since < best.since) best = stream;
    }
    return best?.name ?? null;
  }
}

function sameMeta(stream: IngestStream, stat: StatStream): boolean {
  return JSON.stringify([stream.video, stream.audio]) === JSON.stringify([stat.video ?? stream.video, stat.audio ?? stream.audio]);
}
