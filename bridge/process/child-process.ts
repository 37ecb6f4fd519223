// One child program: spawned without a shell, its output read line by line, stopped gracefully
// (a key on stdin or a signal) and then, after a grace period, killed with its whole tree.

import { createInterface } from "node:readline";
import type { Writable } from "node:stream";
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
  /** Decides how a stop is asked for (tests give "win32" to take the Windows way on any OS). */
  platform?: NodeJS.Platform;
}

/** The program's stdin, for programs fed by the bridge (a relay reads its media there). */
export type ChildInput = Writable;

export interface StopOptions {
  /** Sent to ask for a graceful stop (POSIX; preferred over `input` there). */
  signal?: NodeJS.Signals;
  /** Written to stdin to ask for a graceful stop where there are no signals (ffmpeg: "q" on Windows). */
  input?: string;
  /** Ends stdin (the program's input reaches its end), as well as sending the signal. */
  endInput?: boolean;
  /** Asks for the stop another way where there are no signals (nginx: `nginx -s stop` on Windows). */
  request?: () => Promise<unknown>;
  /** How long the program may take before its tree is killed. */
  graceMs: number;
}

/** A running child program. */
export interface Child {
  readonly pid: number | undefined;
  readonly exited: Promise<ChildExit>;
  readonly running: boolean;
  readonly stdin: ChildInput | undefined;
  /** Asks the program to stop, kills its tree after the grace period; resolves when it has exited. */
  stop(options: StopOptions): Promise<ChildExit>;
  /** Kills the program and its children now. */
  kill(): Promise<ChildExit>;
}

/** Kills `pid` and every process below it (taskkill /T on Windows). Resolves when the kill was sent. */
export function killTree(pid: number, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
  return new Promise((resolve) => treeKill(pid, signal, () => resolve()));
}

/** How a stop is asked for on `platform`: a signal on POSIX, else a request, else a key on stdin, else none (killed after the grace). */
export function chooseStopMethod(options: StopOptions, platform: NodeJS.Platform): "signal" | "request" | "input" | "none" {
  if (options.signal && platform !== "win32") return "signal";
  if (options.request) return "request";
  if (options.input !== undefined) return "input";
  return "none";
}

/** POSIX: children run in their own process group, so a kill reaches what they leave behind too. */
const USE_GROUPS = process.platform !== "win32";

/** Kills process group `pgid` (POSIX); no-op where it is gone or on Windows. */
export function killGroup(pgid: number, signal: NodeJS.Signals = "SIGKILL"): void {
  if (!USE_GROUPS) return;
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/** How long output may trail the exit of a program before its end is reported anyway. */
const OUTPUT_GRACE_MS = 250;

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
    // Own process group (POSIX): nginx's workers, orphaned when a master dies, die with the group.
    detached: USE_GROUPS,
    cleanup: !USE_GROUPS,
    stripFinalNewline: false,
  });
  const pid = subprocess.pid;
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
  subprocess.catch(() => undefined);

  // The end is the program's own exit, not the end of its output: an orphaned child (an nginx
  // worker) may hold the pipes open. Output is given a moment to drain first.
  const exited = new Promise<ChildExit>((resolve) => {
    let result: ChildExit | undefined;
    const finish = () => {
      if (!result) return;
      running = false;
      if (pid !== undefined) killGroup(pid);
      resolve(result);
    };
    subprocess.once("exit", (code, signal) => {
      result = { code, signal, requested };
      setTimeout(finish, OUTPUT_GRACE_MS);
    });
    subprocess.once("close", () => finish());
    subprocess.once("error", () => {
      result ??= { code: null, signal: null, requested };
      finish();
    });
  });

  const kill = async () => {
    requested = true;
    if (running && pid !== undefined) {
      if (USE_GROUPS) killGroup(pid);
      else await killTree(pid, "SIGKILL");
    }
    return exited;
  };

  return {
    get pid() {
      return pid;
    },
    get running() {
      return running;
    },
    get stdin() {
      return subprocess.stdin ?? undefined;
    },
    exited,
    kill,
    async stop(stopOptions) {
      requested = true;
      if (!running) return exited;
      const timer = setTimeout(() => void kill(), stopOptions.graceMs);
      // A program fed on stdin (a relay) ends with its input, everywhere.
      if (stopOptions.endInput) subprocess.stdin?.end();
      // A signal where there are signals (immediate); a request or the key on stdin elsewhere (Windows).
      const method = chooseStopMethod(stopOptions, options.platform ?? process.platform);
      if (method === "signal") {
        subprocess.kill(stopOptions.signal);
      } else if (method === "request") {
        // A request that fails leaves the kill after the grace period.
        void stopOptions.request!().catch(() => undefined);
      } else if (method === "input" && !stopOptions.endInput && subprocess.stdin?.writable) {
        subprocess.stdin.write(stopOptions.input!);
      }
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
