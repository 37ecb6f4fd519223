// How stand-in encodes are run: one at a time (an encode is a whole ffmpeg, hundreds of MB for a large
// picture), and while one runs only the latest format asked waits for its turn: a stream that changes
// its format many times a second starts one encode, then one more for where it ended, never one per
// change. Also the limits of a stand-in: the largest picture one is made for, and which clips the
// runtime folder keeps. Pure apart from the promises.

/** A picture larger than this on either side is refused before ffmpeg or the card renderer sees it. */
export const MAX_STAND_IN_SIDE = 8_192;

/** Nor one of more pixels than this (8192×4320, the largest picture of H.264's highest level). */
export const MAX_STAND_IN_PIXELS = 8_192 * 4_320;

/** Clips kept (in memory and in the runtime folder) beyond those of the streams being read now. */
export const KEPT_CLIPS = 4;

/** Why no stand-in can be made for a `width`×`height` picture, or null when one can. */
export function standInSizeProblem(width: number, height: number): string | null {
  if (width <= MAX_STAND_IN_SIDE && height <= MAX_STAND_IN_SIDE && width * height <= MAX_STAND_IN_PIXELS) return null;
  return (
    `the stream says its picture is ${width}×${height} pixels, larger than a stand-in picture can be made ` +
    `(at most ${MAX_STAND_IN_SIDE} on a side and 8192×4320 in all): check the output resolution in the encoder's settings`
  );
}

interface Job<T> {
  key: string;
  run: () => Promise<T>;
  done: Promise<T | null>;
  resolve: (value: T | null) => void;
  reject: (error: unknown) => void;
}

/** Runs jobs one at a time; a job asked while another runs waits, and a later ask replaces it. */
export class LatestJobQueue<T> {
  #running: Job<T> | undefined;
  #next: Job<T> | undefined;

  /** The key of the job running now, if any. */
  get running(): string | undefined {
    return this.#running?.key;
  }

  /** The key of the job waiting for its turn, if any. */
  get waiting(): string | undefined {
    return this.#next?.key;
  }

  /**
   * Asks for the job `key`: resolves with its result when it ran, null when a later ask replaced it
   * before its turn. Asking for the key running or waiting answers that job. A job that throws rejects.
   */
  ask(key: string, run: () => Promise<T>): Promise<T | null> {
    if (this.#running?.key === key) return this.#running.done;
    if (this.#next?.key === key) return this.#next.done;
    this.#next?.resolve(null);
    let resolve!: (value: T | null) => void;
    let reject!: (error: unknown) => void;
    const done = new Promise<T | null>((yes, no) => ((resolve = yes), (reject = no)));
    this.#next = { key, run, done, resolve, reject };
    this.#pump();
    return done;
  }

  #pump(): void {
    const job = this.#next;
    if (this.#running || !job) return;
    this.#next = undefined;
    this.#running = job;
    void job
      .run()
      .then(job.resolve, job.reject)
      .finally(() => {
        this.#running = undefined;
        this.#pump();
      });
  }
}

/**
 * Which clip keys to keep: those in `inUse` (formats of streams read now), then the most recently
 * made, up to `KEPT_CLIPS` more. `byAge`: every key, oldest first.
 */
export function clipsToKeep(byAge: readonly string[], inUse: ReadonlySet<string>): Set<string> {
  const keep = new Set(byAge.filter((key) => inUse.has(key)));
  const others = byAge.filter((key) => !inUse.has(key));
  for (const key of others.slice(Math.max(0, others.length - KEPT_CLIPS))) keep.add(key);
  return keep;
}
