// One relay's clock. Each source (OBS's stream, the stand-in, OBS's stream again after a drop) has its
// own timestamps; the platform must see one timeline that only goes forward. At each switch the new
// source is anchored just after the last tag sent, and a tag that would go back in time on its track is
// dropped. Pure.

export type Track = "audio" | "video";

export class Timeline {
  #offset = 0;
  #end = -1;
  readonly #last: Record<Track, number> = { audio: -1, video: -1 };

  /** The highest timestamp sent so far (-1 before the first). */
  get end(): number {
    return this.#end;
  }

  /** From now on, `inTs` of the current source maps to just after what was sent (0 at the very start). */
  anchor(inTs: number, gapMs: number): number {
    const target = this.#end < 0 ? 0 : this.#end + Math.max(1, Math.round(gapMs));
    this.#offset = target - inTs;
    return target;
  }

  /** The timestamp to send for a tag of `track` at `inTs`, or null to drop it (it would go backwards). */
  map(track: Track, inTs: number): number | null {
    const out = inTs + this.#offset;
    if (out < 0 || out < this.#last[track]) return null;
    this.#last[track] = out;
    if (out > this.#end) this.#end = out;
    return out;
  }

  /** Where a header sent now goes: the current end (never before 0). */
  headerTime(): number {
    return Math.max(0, this.#end);
  }
}
