// An OBS stand-in for tests: ffmpeg publishing a test pattern with a tone, x264 with a fixed GOP,
// like OBS with "keyframe interval 2 s".

import { execa, type ResultPromise } from "execa";

export interface Obs {
  child: ResultPromise;
  stop(): Promise<void>;
}

export interface ObsOptions {
  /** Full publish URL, e.g. rtmp://127.0.0.1:PORT/live/obs */
  url: string;
  gopSeconds?: number;
  fps?: number;
  videoKbps?: number;
  size?: string;
}

export function startObs({ url, gopSeconds = 2, fps = 30, videoKbps = 1500, size = "640x360" }: ObsOptions): Obs {
  const child = execa(
    "ffmpeg",
    [
      "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
      "-f", "lavfi", "-i", `testsrc2=size=${size}:rate=${fps}`,
      "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
      "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
      "-g", String(gopSeconds * fps), "-keyint_min", String(gopSeconds * fps), "-sc_threshold", "0",
      "-b:v", `${videoKbps}k`, "-maxrate", `${videoKbps}k`, "-bufsize", `${videoKbps * 2}k`,
      "-c:a", "aac", "-b:a", "128k",
      "-f", "flv", url,
    ],
    { reject: false, stdin: "ignore" },
  );
  return {
    child,
    async stop() {
      child.kill("SIGTERM");
      await child;
    },
  };
}
