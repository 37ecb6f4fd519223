// When the status reaches subscribers: a state change at once (next turn of the event loop, several
// batched into one), numbers-only changes (bitrate, fps) at most once a period.

export interface BatchTimers {
  setImmediate: (run: () => void) => unknown;
  setTimeout: (run: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

const REAL_TIMERS: BatchTimers = {
  setImmediate: (run) => setImmediate(run),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class ChangeBatcher {
  #urgentQueued = false;
  #numbersTimer: unknown;

  constructor(
    private readonly emit: () => void,
    private readonly numbersPeriodMs: number,
    private readonly timers: BatchTimers = REAL_TIMERS,
  ) {}

  /** Something more than numbers changed: subscribers hear of it on the next turn. */
  urgent(): void {
    if (this.#urgentQueued) return;
    this.#urgentQueued = true;
    this.timers.setImmediate(() => {
      this.#urgentQueued = false;
      this.#cancelNumbers();
      this.emit();
    });
  }

  /** Only numbers changed: subscribers hear of it within the period (or with the next urgent change). */
  numbers(): void {
    if (this.#numbersTimer !== undefined || this.#urgentQueued) return;
    this.#numbersTimer = this.timers.setTimeout(() => {
      this.#numbersTimer = undefined;
      this.emit();
    }, this.numbersPeriodMs);
  }

  /** No more emits of numbers (an urgent one already queued still runs). */
  stop(): void {
    this.#cancelNumbers();
  }

  #cancelNumbers(): void {
    if (this.#numbersTimer === undefined) return;
    this.timers.clearTimeout(this.#numbersTimer);
    this.#numbersTimer = undefined;
  }
}
