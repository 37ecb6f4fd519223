// The variables a control surface shows (/api/variables, and Relay's Companion module): one flat
// object of the whole status, each name listed with its meaning, one rule for a destination's uptime.

import { describe, expect, it } from "vitest";
import { destinationUptime, statusVariables, variableList } from "../../../presentation/variables.js";
import { destinationView, statusView, SAMPLE_NOW, sampleStatus } from "../../../rig/status-views.js";

const NOW = SAMPLE_NOW;
const status = sampleStatus();

describe("destinationUptime", () => {
  it("is the time on air while live or holding, and empty otherwise", () => {
    expect(destinationUptime({ state: "live", since: "2025-01-01T11:56:33Z" }, NOW)).toBe("3:27");
    expect(destinationUptime({ state: "live", since: "2025-01-01T10:57:57Z" }, NOW)).toBe("1:02:03");
    expect(destinationUptime({ state: "live", since: "2025-01-01T12:00:05Z" }, NOW)).toBe("0:00");
    // A destination held on the stand-in keeps its platform session: it stays on air.
    expect(destinationUptime({ state: "holding", since: "2025-01-01T11:59:50Z" }, NOW)).toBe("0:10");
    for (const state of ["off", "waiting", "starting", "retrying", "failed", "stopping"] as const) {
      expect(destinationUptime({ state, since: "2025-01-01T11:00:00Z" }, NOW), state).toBe("");
    }
    expect(destinationUptime({ state: "live", since: null }, NOW)).toBe("");
    // Back to live after a hold: the platform's session goes on, and so does its uptime.
    expect(destinationUptime({ state: "live", since: "2025-01-01T11:59:55Z", sessionSince: "2025-01-01T11:41:00Z" }, NOW)).toBe("19:00");
    expect(destinationUptime({ state: "holding", since: "2025-01-01T11:59:50Z", sessionSince: "2025-01-01T11:41:00Z" }, NOW)).toBe("19:00");
    expect(destinationUptime({ state: "live", since: "not a time" }, NOW)).toBe("");
  });
});

describe("variableList", () => {
  it("lists every name statusVariables fills, each with its meaning, and no other", () => {
    const list = variableList(status.destinations);
    expect(list.map((entry) => entry.name).sort()).toEqual(Object.keys(statusVariables(status, NOW)).sort());
    expect(new Set(list.map((entry) => entry.name)).size).toBe(list.length);
    for (const entry of list) expect(entry.meaning.length).toBeGreaterThan(3);
    expect(list.find((entry) => entry.name === "youtube_rtmps_uptime")?.meaning).toBe("Backup: time live in this platform session, through OBS drops (m:ss), empty when not live");
  });

  it("keeps a name for what comes first when two ids spell it alike", () => {
    const names = variableList([{ id: "a-b", name: "First" }, { id: "a_b", name: "Second" }, { id: "ingest", name: "Ingest" }]).map((entry) => entry.name);
    expect(names.filter((name) => name === "a_b_state")).toHaveLength(1);
    expect(names.filter((name) => name === "ingest_live")).toHaveLength(1);
  });
});

describe("statusVariables", () => {
  const variables = statusVariables(status, NOW);

  it("names the ingest, the services and the totals", () => {
    expect(variables).toMatchObject({
      ingest_live: true,
      ingest_bitrate: 6000,
      ingest_resolution: "1920x1080",
      ingest_fps: 30,
      ingest_uptime: "10:00",
      nginx_state: "running",
      stunnel_state: "stopped",
      obs_connected: false,
      obs_streaming: false,
      destinations: 3,
      destinations_enabled: 2,
      destinations_live: 1,
      upload_kbps: 6000,
      upload_text: "6.0 Mb/s",
    });
  });

  it("names each destination by its id, with '-' turned into '_'", () => {
    expect(variables).toMatchObject({
      youtube_state: "live",
      youtube_enabled: true,
      youtube_live: true,
      youtube_bitrate: 6100,
      youtube_uptime: "1:30",
      twitch_state: "retrying",
      twitch_retry_in: 4,
      twitch_restarts: 2,
      twitch_error: "Connection refused",
      youtube_rtmps_state: "off",
      youtube_rtmps_uptime: "",
    });
  });

  it("never lets a destination overwrite another name", () => {
    const clash = statusView([destinationView({ id: "a-b", state: "live" }), destinationView({ id: "a_b", state: "off" }), destinationView({ id: "nginx", state: "live" })]);
    const names = statusVariables(clash, NOW);
    expect(names.a_b_state).toBe("live");
    expect(names.nginx_state).toBe("running");
    expect(names.nginx_live).toBe(true);
  });
});
