// An OBS stand-in: ffmpeg publishing a test pattern with a tone to an RTMP URL, H.264 with a fixed
// keyframe interval and AAC, as OBS sends with "keyframe interval 2 s". Either encoded live, or a clip
// encoded once and looped with `-c copy` (the bench: it then costs almost no CPU). Like OBS with
// "automatically reconnect" on, it can publish again when its connection ends.

import { setTimeout as sleep } from "node:timers/promises";
import type { ResultPromise } from "execa";
import { locateProgram } from "../bridge/binaries/programs.mjs";
import { startProgram, type Program } from "./processes.js";

export interface ObsOptions {
  /** Full publish URL, e.g. rtmp://127.0.0.1:PORT/live/obs */
  url: string;
  /** Seconds between keyframes: OBS's "keyframe interval". */
  gopSeconds?: number;
  fps?: number;
  videoKbps?: number;
  size?: string;
  /** A tone that beeps (easier on a listener's ears: the demo) rather than a steady one. */
  beeps?: boolean;
  /** A pre-encoded clip to loop with `-c copy` instead of encoding live (the options above are then the clip's). */
  clip?: string;
  /** Publish again this long after the connection ended (OBS's retry delay); never when absent. */
  reconnectDelayMs?: number;
  /** Upper bound on reconnections, so a dead server cannot keep it going (default 100). */
  maxReconnects?: number;
  /** Called when it publishes again, with the exit code of the run that ended. */
  onReconnect?: (code: number | null) => void;
  /** Stop as OBS's "Stop streaming" does: "q" on stdin, so ffmpeg ends the stream cleanly (default: SIGTERM). */
  stopByKey?: boolean;
  /** Called with each line ffmpeg prints (errors only). */
  onLine?: (line: string) => void;
  /** Its own process group, out of a terminal's Ctrl-C (the demo stops it itself). */
  ownGroup?: boolean;
  /** Keep what ffmpeg prints (default: its last 10 000 characters). */
  keepOutput?: boolean | number;
  /** Also publish the same encoded stream here (a reference of what the ingest got, byte for byte; video and audio only). */
  alsoTo?: string;
  /** The ffmpeg to publish with (default: the one the bridge would run); ffmpeg 7.1 for HEVC and AV1. */
  ffmpeg?: string;
  /** The video codec, as OBS 29.1+ sends them over Enhanced RTMP (default h264), or none (audio only). */
  video?: "h264" | "hevc" | "av1" | "none";
  /** Send the tone (default true; false: video only). */
  audio?: boolean;
}

export interface Obs {
  /** The ffmpeg publishing now (to freeze it with SIGSTOP, as a network freeze or a hung encoder). */
  readonly child: ResultPromise;
  readonly pid: number | undefined;
  /** Whether an ffmpeg is publishing right now. */
  readonly running: boolean;
  /** Times it had to start again after its connection ended. */
  readonly reconnects: number;
  /** Epoch ms of each (re)start. */
  readonly starts: number[];
  /** What the current ffmpeg printed (errors only: it runs with -loglevel error), and how it exited, for a failing test to show. */
  output(): string;
  /** Stops publishing (no more reconnections); resolves once ffmpeg ended. */
  stop(): Promise<void>;
}

/** ffmpeg's arguments for the stand-in (pure). */
export function obsStandInArgs(options: ObsOptions): string[] {
  const { url, gopSeconds = 2, fps = 30, videoKbps = 1500, size = "640x360" } = options;
  const start = ["-hide_banner", "-loglevel", "error", ...(options.stopByKey ? [] : ["-nostdin"]), "-re"];
  if (options.clip) return [...start, "-stream_loop", "-1", "-i", options.clip, "-c", "copy", "-f", "flv", url];
  const gop = String(Math.round(gopSeconds * fps));
  const codec = options.video ?? "h264";
  const audio = options.audio ?? true;
  const rate = ["-b:v", `${videoKbps}k`, "-maxrate", `${videoKbps}k`, "-bufsize", `${videoKbps * 2}k`];
  const video: Record<Exclude<ObsOptions["video"], undefined>, string[]> = {
    h264: ["-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", gop, "-keyint_min", gop, "-sc_threshold", "0", ...rate],
    hevc: ["-c:v", "libx265", "-preset", "ultrafast", "-tune", "zerolatency", "-x265-params", `log-level=error:keyint=${gop}:min-keyint=${gop}:scenecut=0`, ...rate],
    av1: ["-c:v", "libsvtav1", "-preset", "12", "-svtav1-params", `keyint=${gop}:scd=0`, "-b:v", `${videoKbps}k`],
    none: [],
  };
  return [
    ...start,
    ...(codec !== "none" ? ["-f", "lavfi", "-i", `testsrc2=size=${size}:rate=${fps}`] : []),
    ...(audio ? ["-f", "lavfi", "-i", `sine=frequency=440:${options.beeps ? "beep_factor=4:" : ""}sample_rate=48000`] : []),
    ...(codec !== "none" ? [...video[codec], "-pix_fmt", "yuv420p"] : []),
    ...(audio ? ["-c:a", "aac", "-b:a", "128k", "-ar", "48000"] : []),
    ...(options.alsoTo && codec !== "none" && audio
      ? ["-map", "0:v", "-map", "1:a", "-flags:v", "+global_header", "-flags:a", "+global_header", "-f", "tee", `[f=flv]${url}|[f=flv]${options.alsoTo}`]
      : ["-f", "flv", url]),
  ];
}

/** Starts publishing at once. */
export function startObs(options: ObsOptions): Obs {
  // The ffmpeg the bridge would run.
  const ffmpeg = options.ffmpeg ?? locateProgram("ffmpeg", "").path ?? "ffmpeg";
  let current: Program;
  let stopped = false;
  let reconnects = 0;
  const starts: number[] = [];
  const publish = () => {
    starts.push(Date.now());
    current = startProgram({
      command: ffmpeg,
      args: obsStandInArgs(options),
      stdinOpen: options.stopByKey,
      keepOutput: options.keepOutput ?? 10_000,
      onLine: options.onLine ? (line) => options.onLine!(line) : undefined,
      ownGroup: options.ownGroup,
    });
    return current;
  };
  const loop = (async () => {
    for (;;) {
      const exit = await publish().exited;
      if (stopped || options.reconnectDelayMs === undefined || reconnects >= (options.maxReconnects ?? 100)) return;
      reconnects += 1;
      options.onReconnect?.(exit.code);
      await sleep(options.reconnectDelayMs);
      if (stopped) return;
    }
  })();
  return {
    get child() {
      return current.child;
    },
    get pid() {
      return current.pid;
    },
    get running() {
      return !stopped && current.running;
    },
    get reconnects() {
      return reconnects;
    },
    starts,
    output() {
      return `${current.running ? "publishing" : "not publishing"}, ${starts.length} start(s); its output:\n${current.output()}`;
    },
    async stop() {
      stopped = true;
      await current.stop(options.stopByKey ? { input: "q", graceMs: 3_000 } : { signal: "SIGTERM" });
      await loop;
    },
  };
}
