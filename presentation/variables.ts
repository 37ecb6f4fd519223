// The variables a control surface shows: the whole status as one flat object of names and plain values
// (`ingest_*`, `obs_*`, `nginx_*`, `stunnel_*`, totals, and `<id>_*` per destination), with what each
// means. The bridge answers them at `/api/variables` (for Companion's generic HTTP module) and Relay's
// Companion module sets the same names from the event stream: one list, one meaning. Pure.

import type { DestinationView, StatusView } from "../contract/api.js";
import { formatBitrate, formatSince, secondsUntil } from "./format.js";
import { totalUploadKbps } from "./upload.js";

/** A flat map of names to plain values: strings, numbers and booleans only. */
export type StatusVariables = Record<string, string | number | boolean>;

/** `youtube-rtmps` → `youtube_rtmps`: variable names keep to letters, digits and `_`. */
export function variablePrefix(id: string): string {
  return id.replace(/[^A-Za-z0-9_]/g, "_");
}

/** States in which a destination's platform session is up, so it has an uptime. */
const CONNECTED_STATES: ReadonlySet<string> = new Set(["live", "holding"]);

/**
 * Time on air of a destination (`3:27`, `1:02:03`): while live or holding, else "". It counts from the
 * platform's session (`sessionSince`), which goes on through a hold, not from the state's `since`.
 */
export function destinationUptime(view: Pick<DestinationView, "state" | "since" | "sessionSince">, now: number): string {
  return CONNECTED_STATES.has(view.state) ? formatSince(view.sessionSince ?? view.since, now) : "";
}

/** What each variable of the whole bridge means, in the order a surface lists them. */
export const STATUS_VARIABLES: ReadonlyArray<readonly [name: string, meaning: string]> = [
  ["version", "Bridge: its version"],
  ["ingest_live", "Ingest: OBS is sending (true/false)"],
  ["ingest_name", "Ingest: the stream OBS sends"],
  ["ingest_bitrate", "Ingest: bitrate (kb/s)"],
  ["ingest_bitrate_text", "Ingest: bitrate as text (6.0 Mb/s)"],
  ["ingest_uptime", "Ingest: time OBS has been sending (m:ss), empty when not"],
  ["ingest_resolution", "Ingest: picture size (1920x1080)"],
  ["ingest_fps", "Ingest: frame rate"],
  ["ingest_video_codec", "Ingest: video codec"],
  ["ingest_audio_codec", "Ingest: audio codec"],
  ["obs_connected", "OBS: linked to the bridge over its WebSocket (true/false)"],
  ["obs_streaming", "OBS: streaming (true/false)"],
  ["obs_reconnecting", "OBS: reconnecting its stream (true/false)"],
  ["obs_bitrate", "OBS: its own output bitrate (kb/s)"],
  ["nginx_state", "nginx (ingest): its state"],
  ["stunnel_state", "stunnel (RTMPS): its state"],
  ["destinations", "Destinations: how many"],
  ["destinations_enabled", "Destinations: how many are switched on"],
  ["destinations_live", "Destinations: how many are live"],
  ["upload_kbps", "Upload: total sent to the platforms (kb/s)"],
  ["upload_text", "Upload: total as text (12.0 Mb/s)"],
  ["uplink_full", "Upload: the uplink is full and less important destinations give way (true/false)"],
  ["uplink_estimate", "Upload: what the uplink carries as measured or given (kb/s), 0 when not known"],
];

/** What each variable of one destination means (`<id>_<suffix>`). */
export const DESTINATION_VARIABLES: ReadonlyArray<readonly [suffix: string, meaning: string]> = [
  ["name", "name"],
  ["state", "state (off, waiting, starting, live, holding, retrying, failed, stopping)"],
  ["enabled", "switched on (true/false)"],
  ["live", "live (true/false)"],
  ["bitrate", "bitrate sent (kb/s)"],
  ["bitrate_text", "bitrate sent as text (6.0 Mb/s)"],
  ["fps", "frame rate sent"],
  ["uptime", "time live in this platform session, through OBS drops (m:ss), empty when not live"],
  ["quality", "quality sent (e.g. 720p · 3M, or copy)"],
  ["restarts", "restarts of its relay"],
  ["error", "its last error, empty when none"],
  ["retry_in", "seconds until its next try while retrying"],
  ["priority", "priority, 1 (most important) to 9"],
  ["gave_way", "gave way to more important destinations: the uplink is full (true/false)"],
];

/** Every variable's name and meaning for these destinations: what `statusVariables` fills. */
export function variableList(destinations: readonly Pick<DestinationView, "id" | "name">[]): Array<{ name: string; meaning: string }> {
  const list = STATUS_VARIABLES.map(([name, meaning]) => ({ name, meaning }));
  const taken = new Set(list.map((entry) => entry.name));
  for (const destination of destinations) {
    const prefix = variablePrefix(destination.id);
    for (const [suffix, meaning] of DESTINATION_VARIABLES) {
      const name = `${prefix}_${suffix}`;
      // A name already taken (ids differing only by '-' and '_', or an id such as "ingest") stays
      // with what is listed first; the page still shows the destination.
      if (taken.has(name)) continue;
      taken.add(name);
      list.push({ name, meaning: `${destination.name}: ${meaning}` });
    }
  }
  return list;
}

/** Every variable's value at `now`, for the names `variableList` gives. */
export function statusVariables(status: StatusView, now: number): StatusVariables {
  const { ingest } = status;
  const obs = status.obs?.connected === true ? status.obs : undefined;
  const upload = totalUploadKbps(status);
  const variables: StatusVariables = {
    version: status.version,
    ingest_live: ingest.live,
    ingest_name: ingest.name,
    ingest_bitrate: Math.round(ingest.bitrateKbps),
    ingest_bitrate_text: formatBitrate(ingest.bitrateKbps),
    ingest_uptime: ingest.live ? formatSince(ingest.since, now) : "",
    ingest_resolution: ingest.video ? `${ingest.video.width}x${ingest.video.height}` : "",
    ingest_fps: ingest.video?.fps ?? 0,
    ingest_video_codec: ingest.video?.codec ?? "",
    ingest_audio_codec: ingest.audio?.codec ?? "",
    obs_connected: obs !== undefined,
    obs_streaming: obs?.streaming === true,
    obs_reconnecting: obs?.reconnecting === true,
    obs_bitrate: obs ? Math.round(obs.bitrateKbps) : 0,
    nginx_state: status.services.nginx.state,
    stunnel_state: status.services.stunnel.state,
    destinations: status.destinations.length,
    destinations_enabled: status.destinations.filter((destination) => destination.enabled).length,
    destinations_live: status.destinations.filter((destination) => destination.state === "live").length,
    upload_kbps: upload,
    upload_text: formatBitrate(upload),
    uplink_full: status.uplink?.full === true,
    uplink_estimate: status.uplink?.estimateKbps ?? 0,
  };
  for (const destination of status.destinations) {
    const prefix = variablePrefix(destination.id);
    const own: StatusVariables = {
      [`${prefix}_name`]: destination.name,
      [`${prefix}_state`]: destination.state,
      [`${prefix}_enabled`]: destination.enabled,
      [`${prefix}_live`]: destination.state === "live",
      [`${prefix}_bitrate`]: Math.round(destination.bitrateKbps),
      [`${prefix}_bitrate_text`]: formatBitrate(destination.bitrateKbps),
      [`${prefix}_fps`]: destination.fps,
      [`${prefix}_uptime`]: destinationUptime(destination, now),
      [`${prefix}_quality`]: destination.encodeLabel ?? "copy",
      [`${prefix}_restarts`]: destination.restarts,
      [`${prefix}_error`]: destination.lastError ?? "",
      [`${prefix}_retry_in`]: destination.state === "retrying" ? (secondsUntil(destination.retryAt, now) ?? 0) : 0,
      [`${prefix}_priority`]: destination.priority ?? 5,
      [`${prefix}_gave_way`]: destination.gaveWay !== undefined,
    };
    for (const [name, value] of Object.entries(own)) if (!(name in variables)) variables[name] = value;
  }
  return variables;
}
