// A streaming "platform": a second, real nginx-rtmp on a loopback port that accepts any stream under
// application `app`, run from its own folder (nothing on the machine is touched), with a stat page to
// see what it receives, and when asked a key check (refusing unknown keys as a platform does) and a
// recording of every session. The nginx is the one the bridge would find, with its RTMP module
// loaded the way the bridge loads it. `startNginx` runs any other nginx config the same way.

import { mkdtemp, mkdir, writeFile, rm, readdir, stat, chmod } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { XMLParser } from "fast-xml-parser";
import { findBinary } from "../bridge/binaries/find-binary.js";
import { inspectNginx, type NginxInspection } from "../bridge/nginx/rtmp-module.js";
import { freePort, portAccepts } from "./ports.js";
import { startProgram, waitFor, type Program } from "./processes.js";

export interface PlatformStream {
  name: string;
  bytesIn: number;
  /** Milliseconds since the stream began. */
  time: number;
  video?: { width: number; height: number; codec: string };
  audio?: { codec: string };
}

export interface Platform {
  /** What it is called (in errors, and in the demo's lines). */
  name: string;
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
  /** Fast shutdown (SIGTERM): connections pushing to it are cut at once. */
  stop(): Promise<void>;
}

export interface PlatformOptions {
  port?: number;
  /** When set, the platform refuses (like a real one) any stream key not in this list. */
  acceptKeys?: string[];
  /** Record every session to its own FLV file, to see exactly what the platform got. */
  record?: boolean;
  /** An empty folder of the caller's for its config, pid, logs (kept); a temp folder otherwise (removed at stop). */
  dir?: string;
  name?: string;
  /** Called with each line nginx prints (its warnings and errors). */
  onLine?: (line: string) => void;
  /** Its own process group, out of a terminal's Ctrl-C (the demo stops it itself). */
  ownGroup?: boolean;
  /** Run inside this network namespace (the test's own, netns.ts), listening on its address. */
  netns?: { name: string; address: string };
}

/** nginx.conf of a platform (pure): one RTMP application `app` taking every stream, and a stat page. */
export function renderPlatformConfig(input: {
  rtmpModulePath: string | null;
  dir: string;
  port: number;
  statPort: number;
  /** Folder to record every session into; none when absent. */
  recordDir?: string;
  /** nginx-rtmp's on_publish address, which answers 403 to refuse a key. */
  onPublishUrl?: string;
  /** The address it listens on (127.0.0.1 unless told). */
  host?: string;
}): string {
  const host = input.host ?? "127.0.0.1";
  const slashes = (path: string) => path.replaceAll("\\", "/");
  const dir = slashes(input.dir);
  const recording = input.recordDir ? `record all; record_path "${slashes(input.recordDir)}"; record_unique on;` : "record off;";
  const onPublish = input.onPublishUrl ? `on_publish ${input.onPublishUrl}; notify_method post;` : "";
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((name) => `${name}_temp_path "${dir}/temp/${name}";`).join(" ");
  return [
    input.rtmpModulePath ? `load_module "${slashes(input.rtmpModulePath)}";` : "",
    `daemon off; master_process on; worker_processes 1; pid "${dir}/nginx.pid"; error_log stderr warn;`,
    "events { worker_connections 256; }",
    `rtmp { server { listen ${host}:${input.port}; chunk_size 4096; application app { live on; ${recording} ${onPublish} } } }`,
    `http { access_log off; ${temp} server { listen ${host}:${input.statPort}; location /stat { rtmp_stat all; } } }`,
    "",
  ].join("\n");
}

/** A running nginx of ours. */
export interface RunningNginx {
  program: Program;
  pid: number;
  stop(): Promise<void>;
}

let nginxFound: Promise<{ path: string; inspection: NginxInspection }> | undefined;

/** The nginx the bridge would run, and how to load its RTMP module (looked up once). */
export function localNginx(): Promise<{ path: string; inspection: NginxInspection }> {
  nginxFound ??= (async () => {
    const path = await findBinary("nginx", "");
    return { path, inspection: await inspectNginx(path) };
  })();
  return nginxFound;
}

/**
 * Runs nginx with `-p dir` on the config `render` makes, until it answers `ready`. Output is passed
 * to `onLine` (kept otherwise, unless `quiet`).
 */
export async function startNginx(options: {
  dir: string;
  render: (nginx: { rtmpModulePath: string | null }) => string;
  ready: (program: Program) => Promise<boolean>;
  what: string;
  onLine?: (line: string) => void;
  quiet?: boolean;
  ownGroup?: boolean;
  /** A command nginx runs under, e.g. ["ip", "netns", "exec", NAME] (it execs nginx: same pid). */
  prefix?: string[];
}): Promise<RunningNginx> {
  const { path, inspection } = await localNginx();
  // nginx opens logs/error.log under its prefix before it reads error_log (older builds have no -e).
  await mkdir(join(options.dir, "logs"), { recursive: true });
  const file = join(options.dir, "nginx.conf");
  await writeFile(file, options.render({ rtmpModulePath: inspection.rtmpModulePath }));
  const args = [...(inspection.errorLogFlag ? ["-e", "stderr"] : []), "-p", options.dir, "-c", file];
  const prefix = options.prefix ?? [];
  const program = startProgram({
    command: prefix[0] ?? path,
    args: prefix.length > 0 ? [...prefix.slice(1), path, ...args] : args,
    keepOutput: options.quiet ? false : 20_000,
    onLine: options.onLine ? (line) => options.onLine!(line) : undefined,
    ownGroup: options.ownGroup,
  });
  const stop = async () => {
    // SIGTERM is nginx's fast shutdown.
    await program.stop({ signal: "SIGTERM", graceMs: 5_000 });
  };
  try {
    await waitFor(async () => {
      if (!program.running) throw new Error(`it exited: ${program.output().slice(-2_000)}`);
      return options.ready(program);
    }, { what: options.what, timeoutMs: 10_000, intervalMs: 50 });
  } catch (error) {
    await stop();
    throw error;
  }
  return { program, pid: program.pid!, stop };
}

/** Starts a platform; resolves once it answers. */
export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const name = options.name ?? "the platform nginx";
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), "relay-platform-")));
  await mkdir(join(dir, "temp"), { recursive: true });
  const recordDir = join(dir, "recordings");
  if (options.record) {
    // nginx's workers may run as another user (nobody, when the tests run as root).
    await mkdir(recordDir);
    await chmod(dir, 0o755);
    await chmod(recordDir, 0o777);
  }
  const port = options.port ?? (await freePort());
  const statPort = await freePort();
  const auth = options.acceptKeys ? await startKeyCheck(options.acceptKeys) : undefined;
  const host = options.netns?.address ?? "127.0.0.1";
  const statUrl = `http://${host}:${statPort}/stat`;
  const removeDir = () => (options.dir ? Promise.resolve() : rm(dir, { recursive: true, force: true }));
  let nginx: RunningNginx;
  try {
    nginx = await startNginx({
      dir,
      render: ({ rtmpModulePath }) =>
        renderPlatformConfig({
          rtmpModulePath,
          dir,
          port,
          statPort,
          ...(options.record ? { recordDir } : {}),
          ...(auth ? { onPublishUrl: `http://127.0.0.1:${auth.port}/publish` } : {}),
          ...(options.netns ? { host } : {}),
        }),
      ready: async () => (await fetch(statUrl)).ok && (await portAccepts(port, host)),
      ...(options.netns ? { prefix: ["ip", "netns", "exec", options.netns.name] } : {}),
      what: name,
      onLine: options.onLine,
      ownGroup: options.ownGroup,
    });
  } catch (error) {
    await auth?.close();
    await removeDir();
    throw new Error(`${name} did not start: ${(error as Error).message}`);
  }
  const parser = new XMLParser({ ignoreAttributes: true, isArray: (tag) => tag === "stream" || tag === "application" });

  return {
    name,
    port,
    pid: nginx.pid,
    url: `rtmp://${host}:${port}/app`,
    ...(options.record ? { recordDir } : {}),
    async recordings() {
      if (!options.record) return [];
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
      await nginx.stop();
      await auth?.close();
      await removeDir();
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
