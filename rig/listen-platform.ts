// A platform that takes HEVC and AV1 as they are: an ffmpeg 7.1 RTMP listener (`-listen 1`: one
// connection, one session) recording what it gets to an FLV file. nginx-rtmp platforms cannot (they
// keep no HEVC/AV1 header). The listener ends when its one connection does, so a recording that goes on
// through an OBS drop is one session.

import { readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.js";
import { startProgram, waitFor, type Program } from "./processes.js";

export interface ListenPlatform {
  /** The server URL a destination pushes to (the key goes after it). */
  url: string;
  key: string;
  /** The FLV file it records into. */
  file: string;
  program: Program;
  /** Ends the recording cleanly (the file's index written). */
  stop(): Promise<void>;
}

/** Starts the listener; resolves once its port listens (a test connection would use up its one session). */
export async function startListenPlatform(options: { ffmpeg: string; key?: string; dir?: string }): Promise<ListenPlatform> {
  const port = await freePort();
  const key = options.key ?? "platform-key";
  // The root's ffmpeg sees the host's /tmp only.
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), "relay-listen-")));
  const file = join(dir, "received.flv");
  const program = startProgram({
    command: options.ffmpeg,
    args: ["-hide_banner", "-loglevel", "error", "-nostdin", "-f", "flv", "-listen", "1", "-i", `rtmp://127.0.0.1:${port}/live/${key}`, "-map", "0", "-c", "copy", "-f", "flv", "-y", file],
    keepOutput: 20_000,
  });
  await waitFor(() => !program.running || listening(port), { what: `the ffmpeg RTMP listener on port ${port}`, timeoutMs: 20_000 });
  if (!program.running) throw new Error(`the ffmpeg RTMP listener exited: ${program.output()}`);
  return {
    url: `rtmp://127.0.0.1:${port}/live`,
    key,
    file,
    program,
    async stop() {
      await program.stop({ signal: "SIGINT", graceMs: 10_000 });
    },
  };
}

/** True when a socket listens on 127.0.0.1:`port` (read from /proc, without connecting). */
function listening(port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  const table = readFileSync("/proc/net/tcp", "utf8");
  return table.split("\n").some((line) => {
    const fields = line.trim().split(/\s+/);
    return fields[1]?.endsWith(`:${hex}`) && fields[3] === "0A";
  });
}
