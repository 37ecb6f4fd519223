// Total upload: what the streamer's uplink must carry with the destinations that are on air, and
// how close that is to the uplink figure they gave. Pure, shared by the page and the variables.

import type { StatusView } from "../contract/api.js";

/** At or above this share of the uplink, the page warns. */
export const UPLINK_WARN_SHARE = 0.8;

/** How the total compares with the uplink: no figure given, comfortable, near it, or beyond it. */
export type UploadLevel = "unknown" | "ok" | "near" | "over";

/**
 * Kilobits per second leaving the machine: a copy relay carries what the ingest receives, so each
 * live destination counts the ingest's bitrate (steadier than ffmpeg's own figure, which starts low
 * while its average builds up). A destination relaying another ingest stream counts its own figure,
 * and one with its own quality counts that quality's bitrate (its video and audio), not OBS's.
 * A held session counts too: the platform still gets the stand-in (at its own figure, the ingest being gone).
 */
export function totalUploadKbps(status: Pick<StatusView, "ingest" | "destinations">): number {
  let total = 0;
  for (const destination of status.destinations) {
    if (destination.state !== "live" && destination.state !== "holding") continue;
    if (destination.encode) {
      total += destination.encode.video.bitrateKbps + destination.encode.audio.bitrateKbps;
      continue;
    }
    const ingestCarried = destination.state === "live" && destination.source === undefined && status.ingest.bitrateKbps > 0;
    total += ingestCarried ? status.ingest.bitrateKbps : destination.bitrateKbps;
  }
  return Math.round(total);
}

/** Compares a total with the uplink (both kb/s; uplink 0 or less = not given). */
export function uploadLevel(totalKbps: number, uplinkKbps: number): UploadLevel {
  if (!(uplinkKbps > 0)) return "unknown";
  if (totalKbps > uplinkKbps) return "over";
  if (totalKbps >= uplinkKbps * UPLINK_WARN_SHARE) return "near";
  return "ok";
}

/** Reads the uplink a person typed in Mb/s ("20", "20.5", "20,5") as kb/s; anything else is 0. */
export function parseUplinkMbps(text: string): number {
  const value = Number(text.trim().replace(",", "."));
  return Number.isFinite(value) && value > 0 ? Math.round(value * 1000) : 0;
}
