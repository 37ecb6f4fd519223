// A fake child program for unit tests of the supervisors: it prints the lines a test gives it and
// exits when told (or when asked to stop, unless it is told to ignore that). Records every stop and kill.

import { PassThrough } from "node:stream";
import type { Child, ChildExit, SpawnOptions, StopOptions } from "../../../bridge/process/child-process.js";
import type { Logger } from "../../../bridge/log/logger.js";

export class FakeChild implements Child {
  readonly stdin = new PassThrough();
  readonly exited: Promise<ChildExit>;
  readonly stops: StopOptions[] = [];
  killed = false;
  /** What a stop request does: exit at once (as a program that honours SIGINT/SIGTERM does) or nothing. */
  onStop: "exit" | "ignore" = "exit";
  #running = true;
  #requested = false;
  #resolve!: (exit: ChildExit) => void;

  constructor(
    readonly options: SpawnOptions,
    readonly pid: number | undefined,
  ) {
    this.exited = new Promise((resolve) => (this.#resolve = resolve));
  }

  get running(): boolean {
    return this.#running;
  }

  /** The program prints `text` on `stream`. */
  print(text: string, stream: "stdout" | "stderr" = "stderr"): void {
    this.options.onLine?.(text, stream);
  }

  /** The program exits by itself. */
  exit(code: number | null = 1, signal: string | null = null): void {
    if (!this.#running) return;
    this.#running = false;
    this.#resolve({ code, signal, requested: this.#requested });
  }

  stop(options: StopOptions): Promise<ChildExit> {
    this.#requested = true;
    this.stops.push(options);
    if (options.endInput) this.stdin.end();
    if (this.onStop === "exit") this.exit(null, options.signal ?? null);
    return this.exited;
  }

  kill(): Promise<ChildExit> {
    this.#requested = true;
    this.killed = true;
    this.exit(null, "SIGKILL");
    return this.exited;
  }
}

/** A spawn function whose children are fakes, each kept in `children` (latest last). */
export function fakeSpawn(firstPid = 4000) {
  const children: FakeChild[] = [];
  return {
    children,
    spawn: (options: SpawnOptions): Child => {
      const child = new FakeChild(options, firstPid + children.length);
      children.push(child);
      return child;
    },
    get last(): FakeChild {
      const child = children.at(-1);
      if (!child) throw new Error("nothing was spawned");
      return child;
    },
  };
}

/** A logger that keeps its lines (level and message). */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = {
    lines,
    debug: (message: string) => void lines.push(`debug ${message}`),
    info: (message: string) => void lines.push(`info ${message}`),
    warn: (message: string) => void lines.push(`warn ${message}`),
    error: (message: string) => void lines.push(`error ${message}`),
    scope: () => logger,
  };
  return logger;
}

/** A pid registry's record and release calls, in order. */
export function memoryPids() {
  const calls: string[] = [];
  return {
    calls,
    record: (label: string, program: string, pid: number) => void calls.push(`record ${label} ${program} ${pid}`),
    release: (label: string) => void calls.push(`release ${label}`),
  };
}
