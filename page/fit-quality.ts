// "Fit to <platform>": the `encode` that brings a destination within its platform's published limits,
// from the stream it reads now. Pure.

import type { DestinationView, IngestView } from "../contract/api.js";
import { fitEncode, fitToLimits, type EncodeConfig } from "../contract/encode.js";
import { findPlatform } from "../contract/platforms.js";

/** The stream `view` reads: its ingest stream by name when several are published, else the main one. */
function sourceOf(view: DestinationView, ingest: IngestView): { width: number; height: number; fps: number; bitrateKbps: number } | null {
  const stream = ingest.streams?.find((one) => one.name === view.input) ?? (ingest.live ? ingest : undefined);
  if (!stream?.video || stream.video.width <= 0) return null;
  return { width: stream.video.width, height: stream.video.height, fps: stream.video.fps, bitrateKbps: stream.bitrateKbps };
}

/** Limits for a re-encode to H.264 of a platform that publishes none. */
const PLAIN_LIMITS = { maxVideoKbps: 6000, maxHeight: 1080, maxFps: 60 };

/**
 * The platform's name and the PATCH that fits it (a copy when OBS's stream already fits), or null
 * when there is nothing to fit (no limits, no stream). `reencode`: the platform does not take the
 * ingest's codec, and the fix re-encodes to H.264.
 */
export function fitToPlatform(view: DestinationView, ingest: IngestView): { platform: string; reencode?: true; patch: { encode: EncodeConfig } } | null {
  const preset = findPlatform(view.platform);
  const source = sourceOf(view, ingest);
  if (!preset || !source) return null;
  if (view.warningCode === "codec_not_accepted") return { platform: preset.name, reencode: true, patch: { encode: fitEncode(preset.limits ?? PLAIN_LIMITS, source, view.encode) } };
  if (view.warningCode !== "over_platform_limit" || !preset.limits) return null;
  return { platform: preset.name, patch: { encode: fitToLimits(preset.limits, source, view.encode) } };
}
