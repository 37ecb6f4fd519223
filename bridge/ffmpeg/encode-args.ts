// The output half of a re-encoding relay's ffmpeg command: its filters (a vertical cut, a height and a
// frame rate never above the source's), the encoder with a bitrate cap and a fixed keyframe interval,
// AAC audio. Pure, so every flag of every encoder is unit-tested.

import { FFMPEG_ENCODER, KEYFRAME_INTERVAL_S, type EncodeSettings, type EncoderFamily, type SourceVideo } from "../../contract/encode.js";
import { encoderInput } from "./encoders.js";

/** A re-encode as planned: what the destination asks for, the encoder that does it, the source when known. */
export interface EncodePlan {
  encode: EncodeSettings;
  family: EncoderFamily;
  /** The ingest's picture now (absent when nginx has not said yet): caps the frame rate, sizes the GOP. */
  source?: SourceVideo;
}

/** A frame rate for when the source does not say one (sizes the GOP only; the keyframes are forced by time). */
const ASSUMED_FPS = 30;

/** The video filter chain: the cut, the height, the frame rate, then the encoder's upload if it needs one. */
export function videoFilters(plan: EncodePlan): string[] {
  const { encode } = plan;
  const filters: string[] = [];
  // A centred 9:16 cut of a landscape picture (a picture already that narrow stays whole).
  if (encode.crop === "vertical") filters.push("crop=w='min(iw,trunc(ih*9/32)*2)':h=ih");
  // Never above the source's height (kept when lower), the width following with an even number.
  // (4:2:0 pictures need even sizes: an odd height asked is taken one lower.)
  if (encode.video.maxHeight !== undefined) filters.push(`scale=w=-2:h='min(ih,${2 * Math.trunc(encode.video.maxHeight / 2)})'`);
  const fps = encode.video.fps;
  if (fps !== undefined && (plan.source === undefined || plan.source.fps === 0 || fps < plan.source.fps - 0.01)) filters.push(`fps=${fps}`);
  const needs = encoderInput(plan.family);
  if (needs.filterSuffix !== null) filters.push(needs.filterSuffix);
  return filters;
}

/** Each encoder's tuning for live streaming: fast, no look-ahead, constant bitrate where it has a mode. */
function encoderTuning(family: EncoderFamily): string[] {
  switch (family) {
    case "x264":
      return ["-preset", "veryfast", "-tune", "zerolatency"];
    case "nvenc":
      return ["-preset", "p4", "-tune", "ll", "-rc", "cbr", "-forced-idr", "1"];
    case "qsv":
      return ["-preset", "veryfast", "-look_ahead", "0"];
    case "amf":
      return ["-usage", "lowlatency", "-quality", "speed", "-rc", "cbr"];
    case "videotoolbox":
      return ["-realtime", "1"];
    case "vaapi":
      return ["-rc_mode", "CBR"];
  }
}

/** The frames between two keyframes at the output's frame rate. */
export function gopFrames(plan: EncodePlan): number {
  const sourceFps = plan.source && plan.source.fps > 0 ? plan.source.fps : undefined;
  const asked = plan.encode.video.fps;
  const fps = asked !== undefined && sourceFps !== undefined ? Math.min(asked, sourceFps) : (asked ?? sourceFps ?? ASSUMED_FPS);
  return Math.max(1, Math.round(fps * KEYFRAME_INTERVAL_S));
}

/**
 * Everything between the input and the output's `-f flv`: the streams mapped (a stream the ingest does
 * not have is skipped), the video re-encoded, the audio made AAC.
 */
export function buildEncodeArgs(plan: EncodePlan): string[] {
  const { encode, family } = plan;
  const needs = encoderInput(family);
  const kbps = encode.video.bitrateKbps;
  const gop = gopFrames(plan);
  const filters = videoFilters(plan);
  return [
    "-map", "0:v:0?",
    "-map", "0:a:0?",
    ...(filters.length > 0 ? ["-vf", filters.join(",")] : []),
    ...(needs.pixelFormat !== null ? ["-pix_fmt", needs.pixelFormat] : []),
    "-c:v", FFMPEG_ENCODER[family],
    ...encoderTuning(family),
    // A bitrate cap with a buffer of two seconds' worth: what platforms' ingest expects of a CBR stream.
    "-b:v", `${kbps}k`,
    "-maxrate", `${kbps}k`,
    "-bufsize", `${kbps * 2}k`,
    // A keyframe every 2 s whatever the scene: forced by time, and the GOP no longer than that.
    "-g", String(gop),
    "-keyint_min", String(gop),
    ...(family === "x264" ? ["-sc_threshold", "0"] : []),
    "-force_key_frames", `expr:gte(t,n_forced*${KEYFRAME_INTERVAL_S})`,
    "-c:a", "aac",
    "-b:a", `${encode.audio.bitrateKbps}k`,
  ];
}

/** The global options an encoder needs before the input (a hardware device), empty for most. */
export function encodeGlobalArgs(plan: EncodePlan): string[] {
  return encoderInput(plan.family).globalArgs;
}
