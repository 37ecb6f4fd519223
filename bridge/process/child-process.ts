// One child program: spawned without a shell, its output read line by line, stopped gracefully
// (a key on stdin or a signal) and then, after a grace period, killed with its whole tree.

import { createInterface } from "node:readline";
import { execa, type ResultPromise } from "execa";
import treeKill from "tree-kill";

export interface ChildExit {
  code: number | null;
  signal: string | null;
  /** True when the bridge asked the program to stop. */
  requested: boolean;
}

export interface SpawnOptions {
  command: string;
  args: readonly string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Called for every line the program prints (stream tells which). */
  onLine?: (line: string, stream: "stdout" | "stderr") => void;
}

export interface StopOptions {
  /** Written to stdin to ask for a graceful stop (ffmpeg: "q"). */
  input?: string;
  /** Sent to ask for a graceful stop where there is no stdin key (POSIX only; Windows gets the kill). */
  signal?: NodeJS.Signals;
  /** How long the program may take before its tree is killed. */
  graceMs: number;
}

/** A running child program. */
export interface Child {
  readonly pid: number | undefined;
  readonly exited: Promise<ChildExit>;
  readonly running: boolean;
  /** Asks the program to stop, kills its tree after the grace period; resolves when it has exited. */
  stop(options: StopOptions): Promise<ChildExit>;
  /** Kills the program and its children now. */
  kill(): Promise<ChildExit>;
}

/** Kills `pid` and every process below it (taskkill /T on Windows). Resolves when the kill was sent. */
export function killTree(pid: number, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
  return new Promise((resolve) => treeKill(pid, signal, () => resolve()));
}

export function spawnChild(options: SpawnOptions): Child {
  let requested = false;
  let running = true;
  const subprocess: ResultPromise = execa(options.command, [...options.args], {
    cwd: options.cwd,
    env: options.env,
    extendEnv: true,
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
    buffer: false,
    reject: false,
    windowsHide: true,
    cleanup: true,
    stripFinalNewline: false,
  });
  for (const stream of ["stdout", "stderr"] as const) {
    const readable = subprocess[stream];
    if (!readable || !options.onLine) continue;
    const lines = createInterface({ input: readable, crlfDelay: Infinity });
    // ffmpeg ends progress lines with \r on some builds: split those too.
    lines.on("line", (line) => {
      for (const part of line.split("\r")) if (part.length > 0) options.onLine!(part, stream);
    });
  }
  subprocess.stdin?.on("error", () => undefined);

  const exited: Promise<ChildExit> = subprocess.then(
    (result) => {
      running = false;
      return { code: result.exitCode ?? null, signal: result.signal ?? null, requested };
    },
    (error: unknown) => {
      running = false;
      return { code: null, signal: null, requested, error } as ChildExit;
    },
  );

  const kill = async () => {
    requested = true;
    if (running && subprocess.pid !== undefined) await killTree(subprocess.pid, "SIGKILL");
    return exited;
  };

  return {
    get pid() {
      return subprocess.pid;
    },
    get running() {
      return running;
    },
    exited,
    kill,
    async stop({ input, signal, graceMs }) {
      requested = true;
      if (!running) return exited;
      if (input !== undefined && subprocess.stdin?.writable) {
        subprocess.stdin.write(input);
      } else if (signal && process.platform !== "win32") {
        subprocess.kill(signal);
      }
      const timer = setTimeout(() => void kill(), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
