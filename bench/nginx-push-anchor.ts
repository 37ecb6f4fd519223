// The anchor for relay cost: nginx-rtmp's own `push` to the same platform, the way streamers relayed
// before (one nginx worker copying the stream to every target). Same media, same machine, same run:
// the ratio of the bridge's cost to this one stays meaningful when the machine's speed drifts.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, portAccepts } from "../rig/ports.js";
import { startNginx } from "../rig/platform.js";

/** nginx.conf of an ingest on `port` that pushes every stream it gets to each of `pushTo` (pure). */
export function renderPushConfig(input: { dir: string; port: number; pushTo: readonly string[]; modulePath: string | null }): string {
  const pushes = input.pushTo.map((url) => `            push ${url};`).join("\n");
  return `${input.modulePath ? `load_module ${input.modulePath};\n` : ""}daemon off;
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
  const port = await freePort();
  try {
    const nginx = await startNginx({
      dir,
      render: ({ rtmpModulePath }) => renderPushConfig({ dir, port, pushTo, modulePath: rtmpModulePath }),
      ready: () => portAccepts(port),
      what: "the push anchor nginx",
      quiet: true,
    });
    return {
      ingestUrl: `rtmp://127.0.0.1:${port}/live`,
      pid: nginx.pid,
      async stop() {
        await nginx.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
