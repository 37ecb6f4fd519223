// Running real programs for tests and tools: start one (its output kept and read line by line, its
// end awaited), stop it (a signal or a key, then its whole tree after a grace period; Windows has no
// signals, so there its tree is ended at once), wait for a condition, and pass a test run's
// interruption on to programs in their own process groups.

import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { execa, type ResultPromise } from "execa";
import { killTree } from "../bridge/process/child-process.js";

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(check: () => T | Promise<T>, { timeoutMs = 20_000, intervalMs = 100, what = "condition" } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await sleep(intervalMs);
  }
}

/** True when a process with this pid exists. */
export { isRunning as isAlive } from "../bridge/process/pid-registry.js";

/**
 * Passes an interruption of the test run on to a program the test started in its own process group
 * (which a terminal's Ctrl-C does not reach): on SIGINT, SIGTERM or exit of the test process, the
 * group gets `signal`, so the program stops (and cleans up after itself) even when no afterAll runs.
 * Answers the function that undoes this once the test has stopped the program itself.
 */
export function stopGroupOnInterrupt(pid: number, signal: NodeJS.Signals = "SIGINT"): () => void {
  const stopGroup = () => {
    try {
      process.kill(-pid, signal);
    } catch {
      // gone already
    }
  };
  const onSignal = (received: NodeJS.Signals) => {
    stopGroup();
    undo();
    // Then what the signal would have done had nobody listened.
    if (process.listenerCount(received) === 0) process.kill(process.pid, received);
  };
  const undo = () => {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    process.removeListener("exit", stopGroup);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.once("exit", stopGroup);
  return undo;
}

export interface ProgramOptions {
  command: string;
  args: readonly string[];
  cwd?: string;
  /** Added to this process's environment. */
  env?: Record<string, string>;
  /** What it prints is kept: all of it (true, the default), its last N characters, or nothing (false: not even read). */
  keepOutput?: boolean | number;
  /** Called with each line it prints. */
  onLine?: (line: string, stream: "stdout" | "stderr") => void;
  /** Keep its stdin open, for a program stopped by a key (ffmpeg's "q"). */
  stdinOpen?: boolean;
  /**
   * Its own process group (POSIX): a terminal's Ctrl-C does not reach it, whoever started it stops it
   * (the demo stops its programs in order). By default it shares the group, and ends with its starter.
   */
  ownGroup?: boolean;
}

export interface ProgramExit {
  code: number | null;
  signal: string | null;
}

export interface StopOptions {
  /** Asked for on POSIX (default SIGTERM). */
  signal?: NodeJS.Signals;
  /** Written to stdin instead of a signal (e.g. "q": ffmpeg ends its output cleanly). */
  input?: string;
  /** How long it may take before its tree is killed (default 20 s). */
  graceMs?: number;
}

/** A program started by startProgram. */
export interface Program {
  /** execa's handle: its pid, signals, and its result once it ended. */
  child: ResultPromise;
  readonly pid: number | undefined;
  readonly running: boolean;
  /** Settles when it has ended, whoever ended it. */
  exited: Promise<ProgramExit>;
  /** What it printed so far (stdout and stderr), as kept. */
  output(): string;
  /** Asks it to stop, kills its tree after the grace period; resolves once it ended. */
  stop(options?: StopOptions): Promise<ProgramExit>;
}

/** Starts a program without a shell. */
export function startProgram(options: ProgramOptions): Program {
  const keep = options.keepOutput ?? true;
  const child = execa(options.command, [...options.args], {
    cwd: options.cwd,
    env: options.env,
    reject: false,
    stdin: options.stdinOpen ? "pipe" : "ignore",
    stdout: keep === false && !options.onLine ? "ignore" : "pipe",
    stderr: keep === false && !options.onLine ? "ignore" : "pipe",
    buffer: false,
    windowsHide: true,
    detached: Boolean(options.ownGroup) && process.platform !== "win32",
  });
  let output = "";
  for (const stream of ["stdout", "stderr"] as const) {
    const readable = child[stream];
    if (!readable) continue;
    if (keep !== false) {
      readable.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (typeof keep === "number" && output.length > keep * 2) output = output.slice(-keep);
      });
    }
    if (options.onLine) {
      // ffmpeg ends progress lines with \r on some builds: split those too.
      createInterface({ input: readable, crlfDelay: Infinity }).on("line", (line) => {
        for (const part of line.split("\r")) if (part.length > 0) options.onLine!(part, stream);
      });
    }
  }
  child.stdin?.on("error", () => undefined);
  let running = true;
  const exited = child.then((result) => {
    running = false;
    return { code: result.exitCode ?? null, signal: result.signal ?? null };
  });
  const pid = child.pid;
  if (pid === undefined) running = false;
  return {
    child,
    pid,
    get running() {
      return running;
    },
    exited,
    output: () => (typeof keep === "number" ? output.slice(-keep) : output),
    async stop({ signal = "SIGTERM", input, graceMs = 20_000 }: StopOptions = {}) {
      if (!running || pid === undefined) return exited;
      if (input !== undefined && child.stdin) child.stdin.write(input);
      else if (process.platform === "win32") await killTree(pid, "SIGKILL");
      else child.kill(signal);
      const timer = setTimeout(() => void killTree(pid, "SIGKILL"), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
