// Everything the benchmark starts (bridges, nginx, ffmpeg, sockets) is registered here with its stop
// function, so a failure or Ctrl-C in the middle of a measurement still leaves no process behind.

/** A stack of stop functions; the last started is stopped first. */
export class Resources {
  readonly #stops: Array<{ what: string; stop: () => Promise<unknown> | unknown }> = [];

  /** Registers `stop` for `value` and returns the value. */
  add<T>(what: string, value: T, stop: (value: T) => Promise<unknown> | unknown): T {
    this.#stops.push({ what, stop: () => stop(value) });
    return value;
  }

  /** Stops everything registered since `mark` (from `mark()`), newest first. */
  async release(mark = 0): Promise<void> {
    while (this.#stops.length > mark) {
      const { what, stop } = this.#stops.pop()!;
      try {
        await withTimeout(Promise.resolve(stop()), 15_000, what);
      } catch (error) {
        process.stderr.write(`bench: could not stop ${what}: ${(error as Error).message}\n`);
      }
    }
  }

  /** A point to release back to: `release(mark)` stops only what was added after it. */
  mark(): number {
    return this.#stops.length;
  }

  /** Runs `work` and stops everything it registered, whether it succeeds or throws. */
  async scoped<T>(work: () => Promise<T>): Promise<T> {
    const mark = this.mark();
    try {
      return await work();
    } finally {
      await this.release(mark);
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not stop within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
