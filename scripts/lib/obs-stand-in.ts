// An OBS stand-in for the demo: ffmpeg's test pattern with a tone, encoded as OBS would send it
// (H.264 with a keyframe every 2 s, AAC) and published to the bridge's ingest.

import { findBinary } from "../../bridge/binaries/find-binary.js";
import { spawnChild, type Child } from "../../bridge/process/child-process.js";

export interface ObsStandInOptions {
  /** Full publish URL: the ingest server URL and a stream name, e.g. rtmp://127.0.0.1:PORT/live/demo */
  url: string;
  /** Seconds between keyframes: OBS's "keyframe interval", 2 as platforms ask. */
  gopSeconds?: number;
  fps?: number;
  size?: string;
  videoKbps?: number;
  onLine?: (line: string) => void;
}

/** ffmpeg's arguments for the stand-in. */
export function obsStandInArgs({ url, gopSeconds = 2, fps = 30, size = "1280x720", videoKbps = 2500 }: ObsStandInOptions): string[] {
  const gop = String(gopSeconds * fps);
  return [
    "-hide_banner", "-loglevel", "error", "-re",
    "-f", "lavfi", "-i", `testsrc2=size=${size}:rate=${fps}`,
    "-f", "lavfi", "-i", "sine=frequency=440:beep_factor=4:sample_rate=48000",
    "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
    "-g", gop, "-keyint_min", gop, "-sc_threshold", "0",
    "-b:v", `${videoKbps}k`, "-maxrate", `${videoKbps}k`, "-bufsize", `${videoKbps * 2}k`,
    "-c:a", "aac", "-b:a", "128k", "-ar", "48000",
    "-f", "flv", url,
  ];
}

/** Starts publishing; the returned child ends when ffmpeg does (e.g. the ingest went away). */
export async function startObsStandIn(options: ObsStandInOptions): Promise<Child> {
  const ffmpeg = await findBinary("ffmpeg", "");
  return spawnChild({ command: ffmpeg, args: obsStandInArgs(options), onLine: (line) => options.onLine?.(line) });
}

/** Stops the stand-in the way OBS's "Stop streaming" does: ffmpeg ends the stream cleanly on "q". */
export function stopObsStandIn(child: Child): Promise<unknown> {
  return child.stop({ input: "q", graceMs: 3_000 });
}
