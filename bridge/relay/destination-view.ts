// What the API, the page and the keys see of one destination: its config (never the key), its
// relay's state and figures, the stream it reads. Pure.

import { shownUrl } from "../config/url-key.js";
import type { Destination } from "../config/schema.js";
import { streamKeyWarning } from "../config/stream-key-warning.js";
import type { DestinationView } from "../shared/api.js";
import type { RelayContext } from "./lifecycle.js";
import type { QualityView } from "./destination-quality.js";

/** The relay's side of the view (absent for a destination without a runner yet). */
export interface RelaySnapshot {
  context: Readonly<RelayContext>;
  bitrateKbps: number;
  fps: number;
  /** Media time per real second over the last seconds (null: not known, or not flowing). */
  speed?: number | null;
}

export interface DestinationViewParts {
  relay: RelaySnapshot | undefined;
  /** The stream it reads now, as the page names it (null: none). */
  input: string | null;
  /** Its `source` as the page names it. */
  source: string | undefined;
  /** Times its feed skipped to a keyframe. */
  skips: number;
  redact: (text: string) => string;
  /** Its re-encode and quality warnings (destination-quality.ts). */
  quality?: QualityView;
  /** Its ffmpeg's CPU share, percent of one core, while it runs. */
  cpuPercent?: number;
}

/** The view of `destination`. */
export function destinationView(destination: Destination, parts: DestinationViewParts): DestinationView {
  const context = parts.relay?.context;
  const view: DestinationView = {
    id: destination.id,
    name: destination.name,
    // A key pasted inside the URL is never shown (a hand edit can put one there).
    url: shownUrl(destination.url, destination.platform),
    hasKey: destination.key !== "",
    enabled: destination.enabled,
    state: context?.state ?? "off",
    since: context ? new Date(context.since).toISOString() : null,
    bitrateKbps: parts.relay?.bitrateKbps ?? 0,
    fps: parts.relay?.fps ?? 0,
    restarts: context?.restarts ?? 0,
    lastError: context?.lastError ? parts.redact(context.lastError) : null,
    transport: destination.transport,
  };
  if (context?.state === "retrying" && context.retryAt !== null) view.retryAt = new Date(context.retryAt).toISOString();
  if (context?.state === "holding" && context.holdUntil !== null) view.holdUntil = new Date(context.holdUntil).toISOString();
  if (parts.skips > 0) view.skippedToKeyframe = parts.skips;
  if (destination.platform !== undefined) view.platform = destination.platform;
  if (parts.source !== undefined) view.source = parts.source;
  view.input = parts.input;
  const quality = parts.quality ?? {};
  if (quality.encode) view.encode = quality.encode;
  if (quality.encodeLabel) view.encodeLabel = quality.encodeLabel;
  if (quality.encoder) view.encoder = quality.encoder;
  if (quality.encodeNote) view.encodeNote = parts.redact(quality.encodeNote);
  if (parts.cpuPercent !== undefined && context && (context.state === "live" || context.state === "holding" || context.state === "starting")) view.cpuPercent = parts.cpuPercent;
  const speed = parts.relay?.speed;
  if (speed !== undefined && speed !== null) view.speed = Math.round(speed * 100) / 100;
  // The missing key first: nothing else matters before the platform can take the stream at all.
  const warning = streamKeyWarning(destination.url, destination.key) ?? quality.warning ?? null;
  if (warning !== null) {
    view.warning = warning.message;
    view.warningCode = warning.code;
    if (warning.figures) view.warningFigures = warning.figures;
  }
  return view;
}
