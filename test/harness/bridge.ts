// Runs the real, built bridge (dist/relay-bridge.js) for tests: a temp config on free ports, the
// ingest on a free port, and helpers to call its API and read its output.

import { mkdtemp, readFile, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa, type ResultPromise } from "execa";
import { freePort } from "./ports.js";
import { waitFor } from "./processes.js";

export const BRIDGE_ENTRY = fileURLToPath(new URL("../../dist/relay-bridge.js", import.meta.url));

export interface TestDestination {
  id: string;
  name: string;
  url: string;
  key?: string;
  enabled?: boolean;
  transport?: "auto" | "direct" | "stunnel";
  platform?: string;
  source?: string;
}

export interface BridgeOptions {
  destinations?: TestDestination[];
  ingest?: { app?: string; key?: string; holdSeconds?: number };
  token?: string;
  /** Extra top-level config fields (merged shallowly). */
  extra?: Record<string, unknown>;
  env?: Record<string, string>;
  /** Reuse a config folder (e.g. to restart a bridge on the same config and runtime). */
  dir?: string;
  /** Listen on this port (e.g. one a client already tries), instead of a free one. */
  port?: number;
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
  /** Everything the bridge printed so far (stdout and stderr). */
  output(): string;
  api(path: string, init?: RequestInit): Promise<Response>;
  json<T = any>(path: string, init?: RequestInit): Promise<T>;
  /** SIGTERM, wait for exit; resolves with the exit code. Removes the temp folder unless `keep`. */
  stop(options?: { keep?: boolean; signal?: NodeJS.Signals }): Promise<number | undefined>;
}

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
    await writeFile(configFile, JSON.stringify(config, null, 2), { mode: 0o600 });
  }
  let output = "";
  const child = execa(process.execPath, [BRIDGE_ENTRY, "--config", configFile, "--port", String(port)], {
    reject: false,
    stdin: "ignore",
    env: { RELAY_LOG_LEVEL: "debug", ...options.env },
    all: true,
    buffer: false,
  });
  child.all?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  let exited = false;
  void child.then(() => {
    exited = true;
  });
  await waitFor(() => {
    if (exited) throw new Error(`the bridge exited at start:\n${output}`);
    return output.includes("Relay bridge listening on");
  }, { what: "the bridge to listen", timeoutMs: 20_000, intervalMs: 25 });
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
    child,
    output: () => output,
    api,
    async json(path, init) {
      const response = await api(path, init);
      return response.json();
    },
    async stop({ keep = false, signal = "SIGTERM" } = {}) {
      if (!exited) child.kill(signal);
      const result = await child;
      if (!keep && !options.dir) await rm(dir, { recursive: true, force: true });
      return result.exitCode;
    },
  };
}
