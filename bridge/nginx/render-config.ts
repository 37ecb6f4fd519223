// Renders the nginx.conf the bridge runs nginx with: the RTMP ingest OBS publishes to, notifications
// to the bridge, and a loopback-only stat page at a per-run secret path. Pure: same input, same text.

export interface NginxConfigInput {
  /** Absolute path of ngx_rtmp_module.so, or null when the RTMP module is compiled in. */
  rtmpModulePath: string | null;
  /** The runtime folder: pid file, logs and temp folders live here. */
  runtimeDir: string;
  ingest: { host: string; port: number; app: string };
  /** The bridge's loopback notification listener, and the per-run secret in its path. */
  notify: { port: number; secret: string };
  /** Loopback port of the stat page. */
  statPort: number;
  /**
   * The run's secret in the stat page's and control endpoint's paths. The page lists every stream name,
   * the ingest key among them, the endpoint drops publishers, and any local user can reach a loopback
   * port: only the bridge knows these paths.
   */
  statSecret: string;
  /** Path separator of the OS nginx runs on (nginx on Windows takes forward slashes too). */
  windows?: boolean;
}

/** Path of the stat page on `statPort` for the run's `secret`. */
export function statPath(secret: string): string {
  return `/stat/${secret}`;
}

/** Path of nginx-rtmp's control endpoint on `statPort` (drops a stale publisher), behind the same secret. */
export function controlPath(secret: string): string {
  return `/control/${secret}`;
}

/** The text of nginx.conf. */
export function renderNginxConfig(input: NginxConfigInput): string {
  const dir = toNginxPath(input.runtimeDir);
  const notifyBase = `http://127.0.0.1:${input.notify.port}/nginx/${input.notify.secret}`;
  const lines = [
    "# Written by the Relay bridge at every start of nginx: edits here are lost.",
    input.rtmpModulePath ? `load_module ${quote(toNginxPath(input.rtmpModulePath))};` : "",
    "daemon off;",
    "master_process on;",
    "worker_processes 1;",
    `pid ${quote(`${dir}/nginx.pid`)};`,
    "# info: nginx-rtmp says a publisher asked for a wrong application at this level only.",
    "error_log stderr info;",
    "",
    "events {",
    "    worker_connections 1024;",
    "}",
    "",
    "rtmp {",
    "    server {",
    `        listen ${listenAddress(input.ingest.host, input.ingest.port)};`,
    "        chunk_size 4096;",
    "",
    `        application ${input.ingest.app} {`,
    "            live on;",
    "            record off;",
    "            # Nothing waits for a keyframe or for video: nginx-rtmp reads Enhanced RTMP's first video byte",
    "            # the legacy way (HEVC, AV1: never a keyframe) and would hold back all media; an audio-only",
    "            # stream has no video. The bridge's reader, subscribed before a publish is accepted, gets",
    "            # every codec header and finds the keyframes itself.",
    "            wait_key off;",
    "            wait_video off;",
    "            # Only the bridge's relays read the stream.",
    "            allow play 127.0.0.1;",
    ...(isSpecificAddress(input.ingest.host) ? [`            allow play ${input.ingest.host};`] : []),
    "            deny play all;",
    "            drop_idle_publisher 10s;",
    "            notify_method post;",
    `            on_publish ${notifyBase}/publish;`,
    `            on_publish_done ${notifyBase}/publish_done;`,
    "        }",
    "    }",
    "}",
    "",
    "http {",
    "    access_log off;",
    ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map(
      (name) => `    ${name}_temp_path ${quote(`${dir}/temp/${name}`)};`,
    ),
    "    server {",
    `        listen 127.0.0.1:${input.statPort};`,
    "        allow 127.0.0.1;",
    "        deny all;",
    `        location = ${statPath(input.statSecret)} {`,
    "            rtmp_stat all;",
    "        }",
    // nginx-rtmp's control handler reads the part of the path after the location's own.
    `        location ${controlPath(input.statSecret)}/ {`,
    "            rtmp_control all;",
    "        }",
    "        location / {",
    "            return 404;",
    "        }",
    "    }",
    "}",
    "",
  ];
  return lines.filter((line, index) => line !== "" || lines[index - 1] !== "").join("\n");
}

/** The address relays read the ingest from: loopback unless nginx listens on one address only. */
export function relayInputHost(ingestHost: string): string {
  if (!isSpecificAddress(ingestHost)) return "127.0.0.1";
  return ingestHost.includes(":") ? `[${ingestHost}]` : ingestHost;
}

/** True for one concrete address (not any-address, not loopback, not a name). */
function isSpecificAddress(host: string): boolean {
  if (["0.0.0.0", "*", "::", "localhost"].includes(host) || host.startsWith("127.") || host === "::1") return false;
  return /^[0-9.]+$/.test(host) || host.includes(":");
}

/** nginx's `listen` value for a host and port (IPv6 in brackets; any-address as the bare port). */
export function listenAddress(host: string, port: number): string {
  if (host === "0.0.0.0" || host === "*") return String(port);
  if (host.includes(":") && !host.startsWith("[")) return `[${host}]:${port}`;
  return `${host}:${port}`;
}

function toNginxPath(path: string): string {
  return path.replace(/\\/g, "/");
}

function quote(value: string): string {
  return /[\s;{}"'#]/.test(value) ? `"${value.replace(/(["\\])/g, "\\$1")}"` : value;
}
