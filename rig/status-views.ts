// Status and destination views for tests of anything that reads them (the keys, Companion, the page,
// the variables), with sensible defaults, and one sample status several of those tests share.

import type { DestinationView, StatusView } from "../contract/api.js";

/** A destination view with sensible defaults. */
export function destinationView(overrides: Partial<DestinationView> & { id: string }): DestinationView {
  return {
    name: overrides.id,
    url: "rtmp://a.rtmp.youtube.com/live2",
    hasKey: true,
    enabled: false,
    state: "off",
    since: null,
    bitrateKbps: 0,
    fps: 0,
    restarts: 0,
    lastError: null,
    transport: "auto",
    ...overrides,
  };
}

/** A status with the ingest offline, services running and the given destinations. */
export function statusView(destinations: DestinationView[], ingest: Partial<StatusView["ingest"]> = {}): StatusView {
  return {
    version: "0.0.0-test",
    ingest: { live: false, name: "", since: null, bitrateKbps: 0, ...ingest },
    services: { nginx: { state: "running" }, stunnel: { state: "stopped" } },
    destinations,
  };
}

/** The moment the sample status is read at. */
export const SAMPLE_NOW = Date.parse("2025-01-01T12:00:00Z");

/** A live ingest with three destinations: live, retrying, off (an id with '-' in it). */
export function sampleStatus(): StatusView {
  return statusView(
    [
      destinationView({ id: "youtube", name: "YouTube", platform: "youtube", enabled: true, state: "live", since: "2025-01-01T11:58:30Z", bitrateKbps: 6100, fps: 30 }),
      destinationView({ id: "twitch", name: "Twitch", platform: "twitch", enabled: true, state: "retrying", retryAt: "2025-01-01T12:00:04Z", restarts: 2, lastError: "Connection refused" }),
      destinationView({ id: "youtube-rtmps", name: "Backup", state: "off" }),
    ],
    { live: true, name: "obs", since: "2025-01-01T11:50:00Z", bitrateKbps: 6000, video: { codec: "H264", width: 1920, height: 1080, fps: 30 }, audio: { codec: "AAC" } },
  );
}
