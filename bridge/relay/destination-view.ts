// What the API, the page and the keys see of one destination: its config (never the key), its
// relay's state and figures, the stream it reads. Pure.

import { shownUrl } from "../config/url-key.js";
import { givesWay, priorityOf, type Destination } from "../config/schema.js";
import { streamKeyWarning, type DestinationWarning } from "../config/stream-key-warning.js";
import type { DestinationView } from "../../contract/api.js";
import type { RelayContext } from "./lifecycle.js";
import type { QualityView } from "./destination-quality.js";

/** The relay's side of the view (absent for a destination without a runner yet). */
export interface RelaySnapshot {
  context: Readonly<RelayContext>;
  bitrateKbps: number;
  fps: number;
  /** Media time per real second over the last seconds (null: not known, or not flowing). */
  speed?: number | null;
  /** Bytes sent to the platform in this session (null: not flowing). */
  sentBytes?: number | null;
  /** Bytes reaching its platform per second, kbit/s (null: not known, or not flowing). */
  sentKbps?: number | null;
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
  /** It gave way to more important destinations under a full uplink. */
  gaveWay?: boolean;
  /** How far what it sends is behind live, ms (null: not known). */
  behindMs?: number | null;
}

/** `uplink_full`: it gave way to more important destinations. */
const UPLINK_FULL: DestinationWarning = {
  code: "uplink_full",
  message: "Your upload is full: this destination gave way to more important ones and comes back by itself when there is room",
};

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
    priority: priorityOf(destination),
    giveWay: givesWay(destination),
  };
  if (context?.state === "retrying" && context.retryAt !== null) view.retryAt = new Date(context.retryAt).toISOString();
  if (context?.state === "holding" && context.holdUntil !== null) view.holdUntil = new Date(context.holdUntil).toISOString();
  // The run's first media: a hold keeps the run (and the platform's session), so this outlives `since`.
  if ((context?.state === "live" || context?.state === "holding") && context.mediaSince !== null) {
    view.sessionSince = new Date(context.mediaSince).toISOString();
  }
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
  const sent = parts.relay?.sentBytes;
  if (sent !== undefined && sent !== null && view.sessionSince !== undefined) view.sentBytes = sent;
  const sentRate = parts.relay?.sentKbps;
  if (sentRate !== undefined && sentRate !== null) view.sentKbps = sentRate;
  if (parts.behindMs !== undefined && parts.behindMs !== null) view.behindMs = Math.round(parts.behindMs);
  if (parts.gaveWay) view.gaveWay = "paused";
  const speed = parts.relay?.speed;
  if (speed !== undefined && speed !== null) view.speed = Math.round(speed * 100) / 100;
  // The missing key first: nothing else matters before the platform can take the stream at all.
  const warning = streamKeyWarning(destination.url, destination.key) ?? (parts.gaveWay ? UPLINK_FULL : null) ?? quality.warning ?? null;
  if (warning !== null) {
    view.warning = warning.message;
    view.warningCode = warning.code;
    if (warning.figures) view.warningFigures = warning.figures;
    if (warning.codec) view.warningCodec = warning.codec;
  }
  return view;
}
