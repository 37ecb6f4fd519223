// Runs the built bridge for a measurement: a temp config with loopback ports, the ingest on a free
// port, helpers to call its API. Like the tests' startBridge, but for the run's pinned build.

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { execa, type ResultPromise } from "execa";
import { freeLoopbackPort } from "../../bridge/process/free-port.js";

/** A destination in the bridge's config (see DESIGN.md). */
export interface BenchDestination {
  id: string;
  name: string;
  url: string;
  key: string;
  enabled: boolean;
  platform?: string;
}

export interface RunningBridge {
  url: string;
  /** OBS's server URL for this bridge: rtmp://127.0.0.1:PORT/live */
  ingestUrl: string;
  child: ResultPromise;
  output(): string;
  api(path: string, init?: RequestInit): Promise<Response>;
  json<T>(path: string): Promise<T>;
  stop(): Promise<void>;
}

/** Starts `entry` (dist/relay-bridge.js) with `destinations`; resolves once it listens. */
export async function startBridgeProcess(entry: string, destinations: BenchDestination[]): Promise<RunningBridge> {
  const dir = await mkdtemp(join(tmpdir(), "relay-bench-bridge-"));
  const configFile = join(dir, "config.json");
  const port = await freeLoopbackPort();
  const ingestPort = await freeLoopbackPort();
  const config = {
    bridge: { host: "127.0.0.1", port, token: "" },
    ingest: { host: "127.0.0.1", port: ingestPort, app: "live", key: "" },
    destinations: destinations.map((destination) => ({ transport: "direct", ...destination })),
  };
  await writeFile(configFile, JSON.stringify(config, null, 2), { mode: 0o600 });
  let output = "";
  const child = execa(process.execPath, [entry, "--config", configFile, "--port", String(port)], { reject: false, stdin: "ignore", all: true, buffer: false });
  child.all?.on("data", (chunk: Buffer) => {
    // Keep the tail only: a long run's log is not needed, a failure's last lines are.
    output = (output + chunk.toString()).slice(-20_000);
  });
  let exited = false;
  void child.then(() => {
    exited = true;
  });
  const stop = async () => {
    if (!exited) child.kill("SIGTERM");
    await child;
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  while (!output.includes("Relay bridge listening on")) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`the bridge did not start:\n${output.slice(-2_000)}`);
    }
    await sleep(25);
  }
  const url = `http://127.0.0.1:${port}`;
  const api = (path: string, init: RequestInit = {}) => fetch(url + path, init);
  return {
    url,
    ingestUrl: `rtmp://127.0.0.1:${ingestPort}/live`,
    child,
    output: () => output,
    api,
    async json<T>(path: string) {
      return (await (await api(path)).json()) as T;
    },
    stop,
  };
}
