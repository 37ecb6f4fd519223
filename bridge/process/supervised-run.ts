// One supervised run of a program, whatever the program: spawned (without a shell), its pid recorded
// while it runs, its output kept (redacted, bounded), stopped gracefully then killed with its tree,
// and its end described. Restart policies live above this: the service supervisor (backoff) and the
// relay runner (the lifecycle decides).

import { spawnChild, type Child, type ChildExit, type ChildInput, type SpawnOptions, type StopOptions } from "./child-process.js";
import type { RecentLines } from "./recent-lines.js";

/** Starts a child program; spawnChild unless a test passes a fake. */
export type SpawnFunction = (options: SpawnOptions) => Child;

/** Where pids are written while a program runs (the PidRegistry, or a test's fake). */
export interface PidRecorder {
  record(label: string, program: string, pid: number): unknown;
  release(label: string, pid: number): unknown;
}

/** A run's entry in the pid registry: under `label`, as `program` (the name the OS lists). */
export interface PidTracking {
  registry: PidRecorder;
  label: string;
  program: string;
}

/** How a run ended. */
export interface RunExit extends ChildExit {
  /** "code 1" or "signal SIGKILL". */
  reason: string;
}

export interface RunOptions {
  command: string;
  args: readonly string[];
  cwd?: string;
  env?: Record<string, string>;
  /** The buffer the run's output lines go to (redacted and bounded there). */
  output: RecentLines;
  /** Which lines count as output worth keeping (all unless given). */
  keep?: (line: string, stream: "stdout" | "stderr") => boolean;
  /** Every line the program prints, as printed (not redacted: only for parsing or a redacting log). */
  onLine?: (line: string, stream: "stdout" | "stderr") => void;
  pids?: PidTracking;
  spawn?: SpawnFunction;
}

/** A running (or ended) program under supervision. */
export interface SupervisedRun {
  readonly pid: number | undefined;
  readonly running: boolean;
  readonly stdin: ChildInput | undefined;
  /** Resolves once the program has exited and its pid record is released. */
  readonly exited: Promise<RunExit>;
  /** The run's recent output. */
  readonly output: RecentLines;
  /** Asks the program to stop, kills its tree after the grace period; resolves when it has exited. */
  stop(options: StopOptions): Promise<RunExit>;
  /** Kills the program and its children now. */
  kill(): Promise<RunExit>;
  /**
   * Resolves at the first line `match` accepts from now on; rejects with `endMessage` when the program
   * exits before one.
   */
  waitForLine(match: (line: string) => boolean, endMessage: string): Promise<void>;
}

/** "code 1", or "signal SIGKILL" when a signal ended the program. */
export function describeExit(exit: Pick<ChildExit, "code" | "signal">): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

/** Spawns `options.command` and supervises this one run of it. */
export function startRun(options: RunOptions): SupervisedRun {
  const waiters = new Set<(line: string) => void>();
  const child = (options.spawn ?? spawnChild)({
    command: options.command,
    args: options.args,
    cwd: options.cwd,
    env: options.env,
    onLine: (line, stream) => {
      if (options.keep?.(line, stream) ?? true) options.output.push(line);
      options.onLine?.(line, stream);
      for (const waiter of [...waiters]) waiter(line);
    },
  });
  const pid = child.pid;
  const pids = options.pids;
  if (pid !== undefined && pids) void pids.registry.record(pids.label, pids.program, pid);
  const exited = child.exited.then((exit): RunExit => {
    if (pid !== undefined && pids) void pids.registry.release(pids.label, pid);
    return { ...exit, reason: describeExit(exit) };
  });
  return {
    get pid() {
      return pid;
    },
    get running() {
      return child.running;
    },
    get stdin() {
      return child.stdin;
    },
    exited,
    output: options.output,
    async stop(stopOptions) {
      await child.stop(stopOptions);
      return exited;
    },
    async kill() {
      await child.kill();
      return exited;
    },
    waitForLine(match, endMessage) {
      return new Promise<void>((resolve, reject) => {
        let settled = false;
        const waiter = (line: string) => {
          if (settled || !match(line)) return;
          settled = true;
          waiters.delete(waiter);
          resolve();
        };
        waiters.add(waiter);
        void exited.then(() => {
          waiters.delete(waiter);
          if (settled) return;
          settled = true;
          reject(new Error(endMessage));
        });
      });
    },
  };
}
