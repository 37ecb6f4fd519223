// A streaming "platform" for tests: a second, real nginx-rtmp on a loopback port that accepts any
// stream under application `app`, with a stat page to see what it receives.

import { mkdtemp, mkdir, writeFile, rm, readdir, stat, chmod } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { execa, type ResultPromise } from "execa";
import { XMLParser } from "fast-xml-parser";
import { freePort } from "./ports.js";
import { waitFor } from "./processes.js";

export interface PlatformStream {
  name: string;
  bytesIn: number;
  /** Milliseconds since the stream began. */
  time: number;
  video?: { width: number; height: number; codec: string };
  audio?: { codec: string };
}

export interface Platform {
  port: number;
  /** The platform nginx's master process (its worker is its child). */
  pid: number;
  /** Where the platform records each session (`record all`, one file per publish), when asked to. */
  recordDir?: string;
  /** The recorded sessions, oldest first (empty unless started with `record`). */
  recordings(): Promise<string[]>;
  /** Server URL a destination pushes to: `rtmp://127.0.0.1:PORT/app`. */
  url: string;
  streams(): Promise<PlatformStream[]>;
  stop(): Promise<void>;
}

const RTMP_MODULE = "/usr/lib/nginx/modules/ngx_rtmp_module.so";

export interface PlatformOptions {
  port?: number;
  /** When set, the platform refuses (like a real one) any stream key not in this list. */
  acceptKeys?: string[];
  /** Record every session to its own FLV file, to see exactly what the platform got. */
  record?: boolean;
}

export async function startPlatform({ port: wanted, acceptKeys, record = false }: PlatformOptions = {}): Promise<Platform> {
  const dir = await mkdtemp(join(tmpdir(), "relay-platform-"));
  await mkdir(join(dir, "temp"), { recursive: true });
  const recordDir = join(dir, "recordings");
  if (record) {
    // nginx's workers may run as another user (nobody, when the tests run as root).
    await mkdir(recordDir);
    await chmod(dir, 0o755);
    await chmod(recordDir, 0o777);
  }
  const recording = record ? `record all; record_path ${recordDir}; record_unique on;` : "record off;";
  const port = wanted ?? (await freePort());
  const statPort = await freePort();
  const auth = acceptKeys ? await startKeyCheck(acceptKeys) : undefined;
  const onPublish = auth ? `on_publish http://127.0.0.1:${auth.port}/publish; notify_method post;` : "";
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((name) => `${name}_temp_path ${dir}/temp/${name};`).join(" ");
  await writeFile(
    join(dir, "nginx.conf"),
    `load_module ${RTMP_MODULE};
daemon off; master_process on; worker_processes 1; pid ${dir}/nginx.pid; error_log stderr warn;
events { worker_connections 256; }
rtmp { server { listen 127.0.0.1:${port}; chunk_size 4096; application app { live on; ${recording} ${onPublish} } } }
http { access_log off; ${temp} server { listen 127.0.0.1:${statPort}; location /stat { rtmp_stat all; } } }
`,
  );
  const child: ResultPromise = execa("nginx", ["-e", "stderr", "-p", dir, "-c", join(dir, "nginx.conf")], { reject: false, stdin: "ignore" });
  const statUrl = `http://127.0.0.1:${statPort}/stat`;
  await waitFor(async () => (await fetch(statUrl)).ok, { what: "the platform nginx", timeoutMs: 10_000, intervalMs: 50 });
  const parser = new XMLParser({ ignoreAttributes: true, isArray: (name) => name === "stream" || name === "application" });

  return {
    port,
    pid: child.pid!,
    url: `rtmp://127.0.0.1:${port}/app`,
    ...(record ? { recordDir } : {}),
    async recordings() {
      if (!record) return [];
      const files = await readdir(recordDir);
      const withTimes = await Promise.all(files.map(async (file) => ({ file: join(recordDir, file), at: (await stat(join(recordDir, file))).birthtimeMs || 0 })));
      return withTimes.sort((a, b) => a.at - b.at || a.file.localeCompare(b.file)).map((entry) => entry.file);
    },
    async streams() {
      const xml = await (await fetch(statUrl)).text();
      const doc = parser.parse(xml);
      const apps: any[] = doc?.rtmp?.server?.application ?? [];
      const streams: any[] = apps.flatMap((app) => app?.live?.stream ?? []);
      return streams.map((stream) => ({
        name: String(stream.name),
        bytesIn: Number(stream.bytes_in ?? 0),
        time: Number(stream.time ?? 0),
        video: stream.meta?.video ? { width: Number(stream.meta.video.width), height: Number(stream.meta.video.height), codec: String(stream.meta.video.codec) } : undefined,
        audio: stream.meta?.audio?.codec ? { codec: String(stream.meta.audio.codec) } : undefined,
      }));
    },
    async stop() {
      child.kill("SIGTERM");
      await child;
      await auth?.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The platform's key check: nginx-rtmp's on_publish answered 403 for unknown keys, as a platform refuses them. */
async function startKeyCheck(keys: string[]): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => res.writeHead(keys.includes(new URLSearchParams(body).get("name") ?? "") ? 200 : 403).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
