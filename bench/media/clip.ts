// The media the OBS stand-in sends: a clip encoded once (x264 CBR with filler, like OBS's CBR mode,
// and a fixed GOP) and then looped with `-c copy`, so the publisher costs almost no CPU and the
// measurements are not disturbed by a live encoder on a 2-core machine.

import { existsSync } from "node:fs";
import { mkdir, rename } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";

export interface ClipSpec {
  gopSeconds: number;
  /** Video bitrate, kbit/s (constant: padded with filler data when the picture is simple). */
  videoKbps: number;
  fps: number;
  size: string;
  seconds: number;
}

/** A file name that changes with every parameter, so a cached clip always matches its spec. */
export function clipFileName(spec: ClipSpec): string {
  return `relay-bench-${spec.size}-${spec.fps}fps-${spec.videoKbps}k-gop${spec.gopSeconds}-${spec.seconds}s.flv`;
}

/** The ffmpeg arguments that encode the clip (pure, for tests and for the report). */
export function clipArgs(spec: ClipSpec, output: string): string[] {
  const gop = String(Math.round(spec.gopSeconds * spec.fps));
  const kbps = spec.videoKbps;
  return [
    "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
    "-f", "lavfi", "-i", `testsrc2=size=${spec.size}:rate=${spec.fps}`,
    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
    "-t", String(spec.seconds),
    "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
    "-g", gop, "-keyint_min", gop, "-sc_threshold", "0", "-bf", "0",
    "-b:v", `${kbps}k`, "-minrate", `${kbps}k`, "-maxrate", `${kbps}k`, "-bufsize", `${kbps}k`,
    "-x264-params", "nal-hrd=cbr:force-cfr=1",
    "-c:a", "aac", "-b:a", "160k", "-ar", "48000",
    "-f", "flv", output,
  ];
}

/** Path of the clip for `spec`, encoding it first when it is not cached yet. */
export async function ensureClip(spec: ClipSpec): Promise<string> {
  const dir = join(tmpdir(), "relay-bench-clips");
  await mkdir(dir, { recursive: true });
  const file = join(dir, clipFileName(spec));
  if (existsSync(file)) return file;
  const partial = `${file}.part.flv`;
  await execa("ffmpeg", clipArgs(spec, partial), { stdin: "ignore" });
  await rename(partial, file);
  return file;
}
