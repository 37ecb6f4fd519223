// Runs the real, built bridge (dist/relay-bridge.js, or another build) exactly as `relay-bridge` runs:
// a config file of its own on loopback ports (a free bridge port and ingest port unless told), the
// API at hand, and what it printed. Used by the tests, the demo, the screenshots and the bench.

import type { EncodeInput } from "../contract/api.js";
import { mkdtemp, readFile, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa, type ResultPromise } from "execa";
import { freePort } from "./ports.js";
import { BRIDGE_NODE_FLAGS } from "../bridge/launch/node-flags.mjs";
import { setTimeout as sleep } from "node:timers/promises";
import { startProgram, type StopOptions } from "./processes.js";

/** The built bridge. */
export const BRIDGE_ENTRY = fileURLToPath(new URL("../dist/relay-bridge.js", import.meta.url));

/** A destination as the config file holds it (docs/config.md). */
export interface TestDestination {
  id: string;
  name: string;
  url: string;
  key?: string;
  enabled?: boolean;
  transport?: "auto" | "direct" | "stunnel";
  platform?: string;
  source?: string;
  encode?: EncodeInput;
  priority?: number;
  giveWay?: boolean;
}

export interface BridgeOptions {
  /** The bridge to run (the bench runs its pinned build); dist/relay-bridge.js by default. */
  entry?: string;
  destinations?: TestDestination[];
  ingest?: { app?: string; key?: string; holdSeconds?: number };
  token?: string;
  /** Extra top-level config fields (merged shallowly). */
  extra?: Record<string, unknown>;
  env?: Record<string, string>;
  /** Node's own options before the entry (e.g. --cpu-prof, which NODE_OPTIONS may not carry). */
  nodeArgs?: string[];
  /**
   * A folder of the caller's for the config and the runtime files, never removed here. Without
   * `destinations` it holds a config already (a restart on the same config: same ingest, same token).
   */
  dir?: string;
  /** Listen on this port (e.g. one a client already tries), instead of a free one. */
  port?: number;
  /** Given on the command line, which wins over a RELAY_HOST the user may have set. */
  host?: string;
  /** RELAY_LOG_LEVEL: "debug" unless told; null leaves the bridge's own default (what a user sees). */
  logLevel?: string | null;
  /** Keep only the last this many characters of what it prints (a long run); all of it by default. */
  outputTail?: number;
  /** Called with each line it prints. */
  onLine?: (line: string, stream: "stdout" | "stderr") => void;
  /** Its own process group, out of a terminal's Ctrl-C (the demo stops it itself). */
  ownGroup?: boolean;
  /** How long it may take to listen (default 20 s). */
  startTimeoutMs?: number;
}

export interface RunningBridge {
  url: string;
  port: number;
  ingestPort: number;
  /** OBS's server URL for this bridge: rtmp://127.0.0.1:PORT/APP */
  ingestUrl: string;
  token: string;
  dir: string;
  configFile: string;
  child: ResultPromise;
  /** Settles with its exit code when it ends, whether asked to or not. */
  exited: Promise<number | null>;
  /** Everything the bridge printed so far (stdout and stderr). */
  output(): string;
  api(path: string, init?: RequestInit): Promise<Response>;
  json<T = any>(path: string, init?: RequestInit): Promise<T>;
  /**
   * Asks it to stop (SIGTERM unless told; its whole tree is killed after `graceMs`, at once on
   * Windows), waits for its end and resolves with its exit code. Removes its temp folder unless
   * `keep` (a folder given in `dir` is the caller's and stays).
   */
  stop(options?: StopOptions & { keep?: boolean }): Promise<number | undefined>;
}

/** Writes the bridge's config and starts it; resolves once it listens. */
export async function startBridge(options: BridgeOptions = {}): Promise<RunningBridge> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), "relay-bridge-")));
  const configFile = join(dir, "config.json");
  const port = options.port ?? (await freePort());
  let ingestPort = await freePort();
  let token = options.token ?? "";
  let app = options.ingest?.app ?? "live";
  if (options.dir && !options.destinations) {
    // Same config as the bridge before: same ingest, same token.
    const previous = JSON.parse(await readFile(configFile, "utf8"));
    ingestPort = previous.ingest.port;
    app = previous.ingest.app;
    token = options.token ?? previous.bridge.token ?? "";
  } else {
    const config = {
      bridge: { host: "127.0.0.1", port, token },
      ingest: {
        host: "127.0.0.1",
        port: ingestPort,
        app,
        key: options.ingest?.key ?? "",
        ...(options.ingest?.holdSeconds !== undefined ? { holdSeconds: options.ingest.holdSeconds } : {}),
      },
      destinations: options.destinations ?? [],
      ...options.extra,
    };
    await writeFile(configFile, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  }
  const logLevel = options.logLevel === undefined ? "debug" : options.logLevel;
  const program = startProgram({
    command: process.execPath,
    args: [...BRIDGE_NODE_FLAGS, ...(options.nodeArgs ?? []), options.entry ?? BRIDGE_ENTRY, "--config", configFile, ...(options.host ? ["--host", options.host] : []), "--port", String(port)],
    env: { ...(logLevel ? { RELAY_LOG_LEVEL: logLevel } : {}), ...options.env },
    keepOutput: options.outputTail ?? true,
    onLine: options.onLine,
    ownGroup: options.ownGroup,
  });
  const removeDir = async () => {
    if (!options.dir) await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  };
  const startTimeoutMs = options.startTimeoutMs ?? 20_000;
  const deadline = Date.now() + startTimeoutMs;
  while (!program.output().includes("Relay bridge listening on")) {
    if (!program.running || Date.now() > deadline) {
      const why = program.running ? `the bridge did not listen within ${startTimeoutMs / 1000} s` : `the bridge exited at start (code ${(await program.exited).code})`;
      await program.stop({ graceMs: 5_000 });
      await removeDir();
      throw new Error(`${why}:\n${program.output().slice(-3_000)}`);
    }
    await sleep(25);
  }
  const url = `http://127.0.0.1:${port}`;
  const api = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (token && !headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
    if (init.body && !headers.has("content-type")) headers.set("content-type", "application/json");
    return fetch(url + path, { ...init, headers });
  };
  return {
    url,
    port,
    ingestPort,
    ingestUrl: `rtmp://127.0.0.1:${ingestPort}/${app}`,
    token,
    dir,
    configFile,
    child: program.child,
    exited: program.exited.then((exit) => exit.code),
    output: program.output,
    api,
    async json<T>(path: string, init?: RequestInit): Promise<T> {
      const response = await api(path, init);
      return (await response.json()) as T;
    },
    async stop({ keep = false, ...stop } = {}) {
      const exit = await program.stop(stop);
      if (!keep) await removeDir();
      return exit.code ?? undefined;
    },
  };
}

/** What a bridge run to its end printed and how it ended. */
export interface BridgeRun {
  code: number | undefined;
  /** It was still running at the timeout (and was ended then): it did not refuse. */
  timedOut: boolean;
  output: string;
}

/**
 * Runs the built bridge with `args` until it exits by itself (a refusal at start) or `timeoutMs`
 * passes, when it is ended; nothing is ever sent to it.
 */
export async function runBridgeOnce(
  args: readonly string[],
  options: { env?: Record<string, string>; logLevel?: string | null; timeoutMs?: number; entry?: string } = {},
): Promise<BridgeRun> {
  const logLevel = options.logLevel === undefined ? "debug" : options.logLevel;
  const result = await execa(process.execPath, [...BRIDGE_NODE_FLAGS, options.entry ?? BRIDGE_ENTRY, ...args], {
    reject: false,
    stdin: "ignore",
    all: true,
    timeout: options.timeoutMs ?? 15_000,
    env: { ...(logLevel ? { RELAY_LOG_LEVEL: logLevel } : {}), ...options.env },
  });
  return { code: result.exitCode, timedOut: Boolean(result.timedOut), output: String(result.all ?? "") };
}
