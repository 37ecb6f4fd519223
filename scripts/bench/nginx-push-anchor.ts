// The anchor for relay cost: nginx-rtmp's own `push` to the same platform, the way streamers relayed
// before (one nginx worker copying the stream to every target). Same media, same machine, same run:
// the ratio of the bridge's cost to this one stays meaningful when the machine's speed drifts.

import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa, type ResultPromise } from "execa";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "../../test/harness/ports.js";

const RTMP_MODULE = "/usr/lib/nginx/modules/ngx_rtmp_module.so";

/** nginx.conf of an ingest on `port` that pushes every stream it gets to each of `pushTo` (pure). */
export function renderPushConfig(input: { dir: string; port: number; pushTo: readonly string[]; modulePath: string }): string {
  const pushes = input.pushTo.map((url) => `            push ${url};`).join("\n");
  return `load_module ${input.modulePath};
daemon off;
master_process on;
worker_processes 1;
pid ${input.dir}/nginx.pid;
error_log stderr warn;
events { worker_connections 1024; }
rtmp {
    server {
        listen 127.0.0.1:${input.port};
        chunk_size 4096;
        application live {
            live on;
            record off;
${pushes}
        }
    }
}
`;
}

export interface PushAnchor {
  /** Where to publish: rtmp://127.0.0.1:PORT/live */
  ingestUrl: string;
  /** The nginx master's pid (its worker is the child that does the work). */
  pid: number;
  stop(): Promise<void>;
}

/** Starts an nginx that pushes to `pushTo`; resolves once it accepts connections. */
export async function startPushAnchor(pushTo: readonly string[]): Promise<PushAnchor> {
  const dir = await mkdtemp(join(tmpdir(), "relay-bench-anchor-"));
  await mkdir(join(dir, "logs"), { recursive: true });
  const port = await freePort();
  await writeFile(join(dir, "nginx.conf"), renderPushConfig({ dir, port, pushTo, modulePath: RTMP_MODULE }));
  const child: ResultPromise = execa("nginx", ["-e", "stderr", "-p", dir, "-c", join(dir, "nginx.conf")], { reject: false, stdin: "ignore", stdout: "ignore", stderr: "ignore" });
  const stop = async () => {
    child.kill("SIGTERM");
    await child;
    await rm(dir, { recursive: true, force: true });
  };
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (await accepts(port)) return { ingestUrl: `rtmp://127.0.0.1:${port}/live`, pid: child.pid!, stop };
    await sleep(25);
  }
  await stop();
  throw new Error("the push anchor nginx did not start");
}

async function accepts(port: number): Promise<boolean> {
  const { connect } = await import("node:net");
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}
