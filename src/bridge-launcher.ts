// Starts the bridge bundled in the plugin (bin/relay-bridge.js) with the Stream Deck app's own Node,
// as a process of its own: detached (own process group), output to a log file in the runtime folder,
// unref'd. It outlives the plugin, so streams go on through a plugin restart, update or crash, and a
// plugin started later finds it answering and uses it.

import { spawn } from "node:child_process";
import { BRIDGE_NODE_FLAGS } from "../bridge/launch/node-flags.mjs";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultConfigPath, runtimeDirFor } from "../bridge/launch/paths.js";
import { lockHolder } from "../bridge/launch/bridge-lock.js";
import { decideBridgeStart, type BridgeProbe } from "./bridge-start-decision.js";

/** The bridge's log when the plugin started it, in the runtime folder beside the config file. */
export const BRIDGE_LOG_FILE = "bridge.log";
const LOG_ROTATE_BYTES = 5 * 1024 * 1024;

/** The config file the bundled bridge uses: RELAY_CONFIG, else the one `relay-bridge` uses by hand. */
export function bridgeConfigFile(env: Record<string, string | undefined> = process.env): string {
  return env.RELAY_CONFIG || defaultConfigPath({ platform: process.platform, env, home: homedir() });
}

/** What the launcher tells the plugin (and the property inspector) about the local bridge. */
export interface LauncherState {
  /** The plugin started a bridge and it has not failed at start. */
  started: boolean;
  /** Why the last start failed (the end of the bridge's log), or undefined. */
  problem: string | undefined;
  configFile: string;
  logFile: string;
}

export interface BridgeLauncherOptions {
  /** Path of the bundled bridge; default bin/relay-bridge.js beside the plugin bundle. */
  entry?: string;
  env?: Record<string, string | undefined>;
  minIntervalMs?: number;
  log?: (message: string) => void;
  onChange?: (state: LauncherState) => void;
}

/** Keeps a bridge running on this computer when the settings ask for it. */
export class BridgeLauncher {
  readonly #entry: string;
  readonly #env: Record<string, string | undefined>;
  readonly #minIntervalMs: number;
  readonly #log: (message: string) => void;
  readonly #onChange: (state: LauncherState) => void;
  #lastStartAt: number | undefined;
  #running: Promise<void> | undefined;
  #state: LauncherState;

  constructor(options: BridgeLauncherOptions = {}) {
    this.#entry = options.entry ?? fileURLToPath(new URL("./relay-bridge.js", import.meta.url));
    this.#env = options.env ?? process.env;
    this.#minIntervalMs = options.minIntervalMs ?? 15_000;
    this.#log = options.log ?? (() => undefined);
    this.#onChange = options.onChange ?? (() => undefined);
    const configFile = bridgeConfigFile(this.#env);
    this.#state = { started: false, problem: undefined, configFile, logFile: join(runtimeDirFor(configFile), BRIDGE_LOG_FILE) };
  }

  state(): LauncherState {
    return this.#state;
  }

  /** Starts the bundled bridge if the decision says so; calls while one check runs share it. */
  ensure(baseUrl: string | undefined, runBridgeHere: boolean): Promise<void> {
    this.#running ??= this.#check(baseUrl, runBridgeHere).finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #check(baseUrl: string | undefined, runBridgeHere: boolean): Promise<void> {
    if (!runBridgeHere || baseUrl === undefined) return;
    const probe = await probeBridge(baseUrl);
    const runtimeDir = runtimeDirFor(this.#state.configFile);
    const lockHeld = probe === "refused" ? (await lockHolder(runtimeDir).catch(() => undefined)) !== undefined : false;
    const decision = decideBridgeStart({ runBridgeHere, baseUrl, probe, lockHeld, lastStartAt: this.#lastStartAt, now: performance.now(), minIntervalMs: this.#minIntervalMs });
    if (!decision.start) {
      this.#log(`Not starting a bridge: ${decision.why}`);
      return;
    }
    if (!existsSync(this.#entry)) {
      this.#update({ started: false, problem: `The bridge is missing from the plugin (${this.#entry}): reinstall the plugin` });
      return;
    }
    this.#lastStartAt = performance.now();
    this.#spawn(runtimeDir, decision.port);
  }

  #spawn(runtimeDir: string, port: number): void {
    const { configFile, logFile } = this.#state;
    mkdirSync(runtimeDir, { recursive: true });
    rotateIfLarge(logFile);
    const out = openSync(logFile, "a", 0o600);
    try {
      const child = spawn(process.execPath, [...BRIDGE_NODE_FLAGS, this.#entry, "--config", configFile, "--port", String(port)], {
        cwd: runtimeDir,
        detached: true,
        stdio: ["ignore", out, out],
        env: this.#env as NodeJS.ProcessEnv,
        windowsHide: true,
      });
      child.unref();
      this.#log(`Started the bridge (pid ${child.pid}) on ${configFile}, port ${port}; log: ${logFile}`);
      this.#update({ started: true, problem: undefined });
      child.once("error", (error) => this.#update({ started: false, problem: `The bridge could not start: ${error.message}` }));
      child.once("exit", (code) => {
        // A bridge that ends by itself at start (bad config, port taken, another bridge) says why in its log.
        if (code !== 0) this.#update({ started: false, problem: `The bridge stopped (exit code ${code}): ${lastLogLines(logFile)}` });
        else this.#update({ started: false, problem: undefined });
      });
    } finally {
      closeSync(out);
    }
  }

  #update(change: Partial<LauncherState>): void {
    this.#state = { ...this.#state, ...change };
    this.#onChange(this.#state);
  }
}

/** Asks `baseUrl/api/health`: any HTTP answer counts, a refused connection means nothing listens. */
export async function probeBridge(baseUrl: string, timeoutMs = 1_500): Promise<BridgeProbe> {
  try {
    await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(timeoutMs) });
    return "answered";
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    return code === "ECONNREFUSED" ? "refused" : "no-answer";
  }
}

function rotateIfLarge(file: string): void {
  try {
    if (statSync(file).size > LOG_ROTATE_BYTES) renameSync(file, `${file}.1`);
  } catch {
    // no log yet
  }
}

/** The last few lines of the bridge's log (which never holds a secret), on one line. */
function lastLogLines(file: string): string {
  try {
    const lines = readFileSync(file, "utf8").trim().split(/\r?\n/).slice(-3);
    return lines.join(" | ").slice(-600);
  } catch {
    return `see ${file}`;
  }
}
