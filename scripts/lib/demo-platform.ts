// A stand-in streaming platform for the demo and the screenshots: a real nginx-rtmp on a loopback
// port that takes any stream under `app`, as a platform's ingest server would, run from its own
// folder so nothing on the machine is touched.

import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { findBinary } from "../../bridge/binaries/find-binary.js";
import { inspectNginx } from "../../bridge/nginx/rtmp-module.js";
import { freeLoopbackPort } from "../../bridge/process/free-port.js";
import { spawnChild, type Child } from "../../bridge/process/child-process.js";
import { waitForPort } from "./wait-for-port.js";

export interface DemoPlatform {
  name: string;
  port: number;
  /** Server URL a destination pushes to: `rtmp://127.0.0.1:PORT/app`. */
  url: string;
  child: Child;
  stop(): Promise<void>;
}

export interface DemoPlatformOptions {
  name: string;
  /** An empty folder the platform may write its config, pid and logs to. */
  dir: string;
  /** Called with each line nginx prints (its warnings and errors). */
  onLine?: (line: string) => void;
}

/** nginx.conf of a platform: one RTMP application that accepts every stream name. */
export function renderPlatformConfig(input: { rtmpModulePath: string | null; dir: string; port: number }): string {
  const dir = input.dir.replaceAll("\\", "/");
  return [
    input.rtmpModulePath ? `load_module "${input.rtmpModulePath.replaceAll("\\", "/")}";` : "",
    "daemon off;",
    "master_process on;",
    "worker_processes 1;",
    `pid "${dir}/nginx.pid";`,
    "error_log stderr warn;",
    "events { worker_connections 64; }",
    `rtmp { server { listen 127.0.0.1:${input.port}; chunk_size 4096; application app { live on; record off; } } }`,
    "",
  ].join("\n");
}

/** Starts a platform on a free loopback port; resolves once it accepts connections. */
export async function startDemoPlatform(options: DemoPlatformOptions): Promise<DemoPlatform> {
  const nginx = await findBinary("nginx", "");
  const { rtmpModulePath, errorLogFlag } = await inspectNginx(nginx);
  // nginx opens logs/error.log under its prefix before it reads error_log (older builds have no -e).
  await mkdir(join(options.dir, "logs"), { recursive: true });
  const port = await freeLoopbackPort();
  const file = join(options.dir, "nginx.conf");
  await writeFile(file, renderPlatformConfig({ rtmpModulePath, dir: options.dir, port }));
  const child = spawnChild({
    command: nginx,
    args: [...(errorLogFlag ? ["-e", "stderr"] : []), "-p", options.dir, "-c", file],
    onLine: (line) => options.onLine?.(line),
  });
  const stop = async () => {
    // SIGTERM is nginx's fast shutdown: relays pushing to it are cut at once, which is what a demo wants.
    await child.stop({ signal: "SIGTERM", graceMs: 3_000 });
  };
  try {
    await waitForPort(port, { timeoutMs: 10_000, alive: () => child.running });
  } catch (error) {
    await stop();
    throw new Error(`the demo platform "${options.name}" did not start: ${(error as Error).message}`);
  }
  return { name: options.name, port, url: `rtmp://127.0.0.1:${port}/app`, child, stop };
}
