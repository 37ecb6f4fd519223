// How numbers and times read on the status page and in Companion variables: short, stable widths,
// readable from across a desk. Pure, so the page and the bridge share it.

import type { IngestView, ObsView, RelayState } from "../../shared/api.js";
import { formatBitrate, formatDuration } from "../../shared/key-image.js";

// Bitrates and durations read exactly as on the keys.
export { formatBitrate, formatDuration } from "../../shared/key-image.js";

/** Time elapsed since an ISO instant, or "" when there is none (or it cannot be read). */
export function formatSince(since: string | null | undefined, now: number): string {
  const start = since ? Date.parse(since) : Number.NaN;
  return Number.isNaN(start) ? "" : formatDuration(now - start);
}

/** Whole seconds until an ISO instant (never negative), or null when there is none. */
export function secondsUntil(at: string | null | undefined, now: number): number | null {
  const when = at ? Date.parse(at) : Number.NaN;
  return Number.isNaN(when) ? null : Math.max(0, Math.ceil((when - now) / 1000));
}

/** `1920×1080 · 30 fps · h264 / aac`, or "" when the ingest has not described its media yet. */
export function formatMedia(ingest: Pick<IngestView, "video" | "audio">): string {
  const parts: string[] = [];
  if (ingest.video) {
    if (ingest.video.width > 0 && ingest.video.height > 0) parts.push(`${ingest.video.width}×${ingest.video.height}`);
    if (ingest.video.fps > 0) parts.push(`${formatFps(ingest.video.fps)} fps`);
  }
  const codecs = [ingest.video?.codec, ingest.audio?.codec].filter((codec): codec is string => Boolean(codec));
  if (codecs.length > 0) parts.push(codecs.join(" / "));
  return parts.join(" · ");
}

/** Platforms ask for a keyframe every 2 s; over 4 s they complain and viewers wait to join. */
export const KEYFRAME_WARN_SECONDS = 4;

/** The measured keyframe interval, and a warning when it is too long. */
export function describeKeyframes(seconds: number | undefined, obsOutputMode?: "Simple" | "Advanced"): { text: string; warn: boolean } | null {
  if (seconds === undefined || seconds <= 0) return null;
  const shown = `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
  if (seconds > KEYFRAME_WARN_SECONDS) {
    const where =
      obsOutputMode === "Advanced"
        ? "In OBS (Advanced output mode): Settings → Output → Streaming → Keyframe Interval 2 s."
        : obsOutputMode === "Simple"
          ? "In OBS: Settings → Output → Output Mode “Advanced”, then Streaming → Keyframe Interval 2 s (Simple mode has no such setting)."
          : "In OBS: Settings → Output → Keyframe Interval 2.";
    return { text: `Keyframe every ${shown}: platforms ask for 2 s. ${where}`, warn: true };
  }
  return { text: `Keyframe every ${shown}`, warn: false };
}

/** `29.97` stays `29.97`, `30.0` becomes `30`. */
export function formatFps(fps: number): string {
  return Number.isInteger(fps) ? String(fps) : String(Math.round(fps * 100) / 100);
}

/** The word a state badge shows: the same word as on the keys, so every surface agrees. */
export const STATE_LABELS: Readonly<Record<RelayState, string>> = {
  off: "OFF",
  waiting: "ARMED",
  starting: "STARTING",
  live: "LIVE",
  holding: "HOLDING",
  retrying: "RETRY",
  failed: "FAILED",
  stopping: "STOPPING",
};

/** One sentence saying what a state means for the streamer. */
export function describeState(state: RelayState, retryInSeconds: number | null, holdSeconds: number | null = null): string {
  switch (state) {
    case "off":
      return "Switched off.";
    case "waiting":
      return "Armed: goes live as soon as OBS streams.";
    case "starting":
      return "Connecting to the platform…";
    case "live":
      return "Sending to the platform.";
    case "holding":
      return holdSeconds === null
        ? "OBS lost: the platform keeps its session and shows the stand-in."
        : `OBS lost: the platform keeps its session and shows the stand-in for ${holdSeconds} s more.`;
    case "retrying":
      return retryInSeconds === null ? "Failed; trying again soon." : `Failed; trying again in ${retryInSeconds} s.`;
    case "failed":
      return "Gave up: fix the cause, then retry or switch it off and on.";
    case "stopping":
      return "Stopping…";
  }
}

/** OBS's line on the page: connected or not, streaming, reconnecting, and what a streamer acts on. */
export function describeObs(obs: ObsView | undefined): { state: "off" | "down" | "idle" | "live" | "reconnecting"; text: string; detail: string } {
  if (!obs || !obs.configured) return { state: "off", text: "OBS not linked: give its WebSocket address and password to see and start its stream here", detail: "" };
  if (!obs.connected) return { state: "down", text: "OBS not connected", detail: obs.error ?? "" };
  const setup = obs.pointsAtRelay === false ? "OBS streams elsewhere: use “Set up OBS for Relay”" : "";
  if (obs.reconnecting) return { state: "reconnecting", text: "OBS is reconnecting to Relay…", detail: setup };
  if (!obs.streaming) {
    const word = obs.outputState === "starting" ? "OBS is starting its stream…" : obs.outputState === "stopping" ? "OBS is stopping its stream…" : "OBS connected, not streaming";
    return { state: "idle", text: word, detail: setup };
  }
  const dropped = obs.totalFrames > 0 ? ` · dropped ${obs.skippedFrames} of ${obs.totalFrames} frames (${((obs.skippedFrames / obs.totalFrames) * 100).toFixed(1)} %)` : "";
  const congestion = obs.congestion > 0.1 ? ` · congestion ${Math.round(obs.congestion * 100)} %` : "";
  return { state: "live", text: `OBS streaming · ${formatBitrate(obs.bitrateKbps)}${congestion}${dropped}`, detail: setup };
}
