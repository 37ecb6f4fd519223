// What a destination sends and whether its platform takes it: its re-encode as planned for the stream
// it reads (the label, the encoder, what differs from what it asked), and the warnings of quality
// (above the platform's published limits; an encoder slower than real time). Pure.

import type { Destination } from "../config/schema.js";
import { reencodeOf } from "../config/schema.js";
import type { DestinationWarning } from "../config/stream-key-warning.js";
import { resolveEncoder } from "../ffmpeg/encoders.js";
import type { EncodePlan } from "../ffmpeg/encode-args.js";
import type { EncoderView } from "../../contract/api.js";
import { encodeLabel, encodeOutput, FFMPEG_ENCODER, overLimits, type EncodeSettings, type OverLimit, type SentStream, type SourceVideo } from "../../contract/encode.js";
import { findPlatform } from "../../contract/platforms.js";
import type { SourceFacts } from "../ingest/source-facts.js";

/** The relay's re-encode for its next start: the encoder resolved against what works here. */
export function encodePlanFor(destination: Destination, source: SourceFacts | undefined, encoders: readonly EncoderView[] | undefined): EncodePlan | undefined {
  const encode = reencodeOf(destination);
  if (!encode) return undefined;
  const { family } = resolveEncoder(encode.video.encoder, encoders);
  return { encode, family, ...(usable(source?.video) ? { source: source!.video! } : {}) };
}

export interface QualityView {
  encode?: EncodeSettings;
  encodeLabel?: string;
  encoder?: string;
  encodeNote?: string;
  warning?: DestinationWarning;
}

export interface QualityFacts {
  source: SourceFacts | undefined;
  encoders: readonly EncoderView[] | undefined;
  /** Its ffmpeg has run slower than real time for the last seconds. */
  behind: boolean;
  /** This ffmpeg reads Enhanced RTMP (6.1 or newer); undefined while not known. */
  readsEnhancedRtmp?: boolean;
}

/** The quality side of a destination's view. */
export function destinationQuality(destination: Destination, facts: QualityFacts): QualityView {
  const view: QualityView = {};
  const encode = reencodeOf(destination);
  const video = usable(facts.source?.video) ? facts.source!.video! : undefined;
  let sent: SentStream | undefined;
  if (encode) {
    const resolved = resolveEncoder(encode.video.encoder, facts.encoders);
    const output = video ? encodeOutput(encode, video) : undefined;
    view.encode = encode;
    view.encodeLabel = encodeLabel(encode, output) ?? undefined;
    view.encoder = FFMPEG_ENCODER[resolved.family];
    const notes = [output?.note, resolved.note].filter((note): note is string => note !== undefined);
    if (notes.length > 0) view.encodeNote = notes.join("; ");
    if (output) sent = { videoKbps: encode.video.bitrateKbps, width: output.width, height: output.height, fps: output.fps };
  } else if (video && facts.source!.bitrateKbps > 0) {
    sent = { videoKbps: facts.source!.bitrateKbps, width: video.width, height: video.height, fps: video.fps };
  }
  const codec = codecWarning(destination, facts.source?.codec, encode !== null, facts.readsEnhancedRtmp);
  if (codec) view.warning = codec;
  else if (facts.behind) view.warning = encoderBehindWarning(encode !== null);
  else if (sent) {
    const warning = platformLimitWarning(destination.platform, sent, encode !== null);
    if (warning) view.warning = warning;
  }
  return view;
}

function usable(video: SourceVideo | undefined): boolean {
  return video !== undefined && video.width > 0 && video.height > 0;
}

const WHAT = { bitrate: "kbit/s", height: "p", fps: " fps" } as const;
const figure = (over: OverLimit) =>
  over.what === "landscape" ? `a landscape picture (${over.sent}×${over.max})` : over.what === "bitrate" ? `${over.sent} kbit/s` : `${over.sent}${WHAT[over.what]}`;

/** `over_platform_limit` when what is sent is above the platform's published limits, with the figures. */
export function platformLimitWarning(platform: string | undefined, sent: SentStream, reencoded: boolean): DestinationWarning | null {
  const preset = findPlatform(platform);
  if (!preset?.limits) return null;
  const over = overLimits(sent, preset.limits);
  if (over.length === 0) return null;
  const limits = preset.limits;
  const vertical = limits.vertical ? ", vertical (9:16)" : "";
  const advice = reencoded
    ? `change this destination's quality (Edit → Quality), or Fit to ${preset.name}`
    : `give this destination its own quality (Edit → Quality), or Fit to ${preset.name}`;
  return {
    code: "over_platform_limit",
    message:
      `${preset.name} takes at most ${limits.maxVideoKbps} kbit/s, ${limits.maxHeight}p, ${limits.maxFps} fps${vertical}: ` +
      `this sends ${over.map(figure).join(", ")}. It may refuse or throttle it: ${advice}`,
    figures: over,
  };
}

/** Codecs that reach Relay only over Enhanced RTMP (ffmpeg 6.1 or newer reads them). */
const ENHANCED_CODECS = new Set(["hevc", "av1", "vp9"]);

/** Names as the streamer reads them. */
const CODEC_NAMES: Record<string, string> = { h264: "H.264", hevc: "HEVC", av1: "AV1", vp9: "VP9" };

/**
 * `codec_unreadable` when this ffmpeg cannot read the ingest's codec at all (HEVC or AV1 with an ffmpeg
 * older than 6.1: every destination); `codec_not_accepted` when a destination copies a codec its
 * platform does not take (the fix: re-encode it to H.264, its own quality). Null otherwise.
 */
export function codecWarning(destination: Pick<Destination, "platform">, codec: string | undefined, reencoded: boolean, readsEnhancedRtmp: boolean | undefined): DestinationWarning | null {
  if (codec === undefined || !ENHANCED_CODECS.has(codec)) return null;
  const name = CODEC_NAMES[codec] ?? codec;
  if (readsEnhancedRtmp === false) {
    return {
      code: "codec_unreadable",
      codec,
      message: `OBS sends ${name}, which this ffmpeg cannot read (it needs ffmpeg 6.1 or newer; Debian 12 ships 5.1): install a newer ffmpeg (docs/install.md), or set OBS's encoder to H.264`,
    };
  }
  if (reencoded) return null;
  const preset = findPlatform(destination.platform);
  if (!preset?.videoCodecs || preset.videoCodecs.includes(codec)) return null;
  return {
    code: "codec_not_accepted",
    codec,
    message: `${preset.name} does not take ${name} (it takes ${preset.videoCodecs.map((one) => CODEC_NAMES[one] ?? one).join(", ")}): re-encode this destination to H.264 (Edit → Quality), or set OBS's encoder to H.264`,
  };
}

/** `encoder_behind`: the relay cannot keep up with the live stream. */
export function encoderBehindWarning(reencoded: boolean): DestinationWarning {
  return {
    code: "encoder_behind",
    message: reencoded
      ? "The encoder runs slower than real time: lower this destination's height or frame rate, or use a hardware encoder"
      : "The relay runs slower than real time: this computer is too busy to keep up",
  };
}
