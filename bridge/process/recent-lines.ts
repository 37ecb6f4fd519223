// A program's recent output: the last `limit` lines, redacted as they arrive, each with when it came
// and a sequence number, so a caller can take the lines of one run out of a buffer that spans several.

/** One kept line. */
export interface RecentLine {
  /** Position in everything ever pushed (starts at 0, never reused). */
  seq: number;
  /** When it arrived (the clock's ms). */
  at: number;
  /** The line, redacted. */
  text: string;
}

export interface RecentLinesOptions {
  /** How many lines are kept; older ones are dropped. */
  limit: number;
  /** Applied to every line before it is kept (secrets out). */
  redact?: (text: string) => string;
  now?: () => number;
}

/** A bounded, redacted buffer of output lines, oldest first. */
export class RecentLines {
  readonly #entries: RecentLine[] = [];
  readonly #limit: number;
  readonly #redact: (text: string) => string;
  readonly #now: () => number;
  #next = 0;

  constructor(options: RecentLinesOptions) {
    if (!(options.limit >= 1)) throw new RangeError(`a line buffer keeps at least 1 line, not ${options.limit}`);
    this.#limit = Math.floor(options.limit);
    this.#redact = options.redact ?? ((text) => text);
    this.#now = options.now ?? Date.now;
  }

  /** Keeps `line` (redacted), dropping the oldest past the limit; returns the kept text. */
  push(line: string): string {
    const text = this.#redact(line);
    this.#entries.push({ seq: this.#next, at: this.#now(), text });
    this.#next += 1;
    if (this.#entries.length > this.#limit) this.#entries.splice(0, this.#entries.length - this.#limit);
    return text;
  }

  /** The sequence number the next line will get: `since(mark())` later gives what came after. */
  mark(): number {
    return this.#next;
  }

  /** The kept lines' texts, oldest first (from `mark` on, when given). */
  texts(mark = 0): string[] {
    return this.#entries.filter((entry) => entry.seq >= mark).map((entry) => entry.text);
  }

  /** The kept lines with their times, oldest first. */
  entries(): readonly RecentLine[] {
    return [...this.#entries];
  }

  /** The last `count` non-blank lines joined for a message (": a | b | c"), or "" when there are none. */
  tail(count = 3): string {
    const lines = this.texts().filter((line) => line.trim() !== "");
    return lines.length ? `: ${lines.slice(-count).join(" | ")}` : "";
  }

  get size(): number {
    return this.#entries.length;
  }
}
