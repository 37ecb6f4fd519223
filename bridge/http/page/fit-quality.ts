// "Fit to <platform>": the `encode` that brings a destination within its platform's published limits,
// from the stream it reads now. Pure.

import type { DestinationView, IngestView } from "../../shared/api.js";
import { fitToLimits, type EncodeConfig } from "../../shared/encode.js";
import { findPlatform } from "../../shared/platforms.js";

/** The stream `view` reads: its ingest stream by name when several are published, else the main one. */
function sourceOf(view: DestinationView, ingest: IngestView): { width: number; height: number; fps: number; bitrateKbps: number } | null {
  const stream = ingest.streams?.find((one) => one.name === view.input) ?? (ingest.live ? ingest : undefined);
  if (!stream?.video || stream.video.width <= 0) return null;
  return { width: stream.video.width, height: stream.video.height, fps: stream.video.fps, bitrateKbps: stream.bitrateKbps };
}

/**
 * The platform's name and the PATCH that fits it (a copy when OBS's stream already fits), or null
 * when there is nothing to fit (no limits, no stream).
 */
export function fitToPlatform(view: DestinationView, ingest: IngestView): { platform: string; patch: { encode: EncodeConfig } } | null {
  if (view.warningCode !== "over_platform_limit") return null;
  const preset = findPlatform(view.platform);
  const source = sourceOf(view, ingest);
  if (!preset?.limits || !source) return null;
  return { platform: preset.name, patch: { encode: fitToLimits(preset.limits, source, view.encode) } };
}
