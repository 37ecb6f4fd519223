import { describe, expect, it } from "vitest";
import { changedValues, formatUptime, variableDefinitions, variableValues } from "../../companion/variables.js";
import { destinationView, statusView } from "../page/memory-bridge-api.js";
import { initialObsState } from "../../bridge/obs/obs-state.js";

const NOW = Date.parse("2025-01-01T12:00:00Z");

describe("Companion variables", () => {
  it("formats a live destination's time on air, and nothing otherwise", () => {
    expect(formatUptime({ state: "live", since: "2025-01-01T11:56:33Z" }, NOW)).toBe("3:27");
    expect(formatUptime({ state: "live", since: "2025-01-01T10:57:57Z" }, NOW)).toBe("1:02:03");
    expect(formatUptime({ state: "live", since: "2025-01-01T12:00:05Z" }, NOW)).toBe("0:00");
    // A destination held on the stand-in keeps its platform session: it stays on air.
    expect(formatUptime({ state: "holding" as never, since: "2025-01-01T11:59:50Z" }, NOW)).toBe("0:10");
    for (const state of ["off", "waiting", "starting", "retrying", "failed", "stopping"] as const) {
      expect(formatUptime({ state, since: "2025-01-01T11:00:00Z" }, NOW), state).toBe("");
    }
    expect(formatUptime({ state: "live", since: null }, NOW)).toBe("");
    expect(formatUptime({ state: "live", since: "not a time" }, NOW)).toBe("");
  });

  it("names each destination's variables after its id, as /api/variables does", () => {
    const ids = variableDefinitions([
      { id: "youtube-rtmps", name: "YouTube" },
      { id: "twitch", name: "Twitch" },
    ]).map((definition) => definition.variableId);
    expect(ids).toEqual([
      "ingest_live",
      "ingest_bitrate",
      "obs_connected",
      "obs_streaming",
      "youtube_rtmps_name",
      "youtube_rtmps_state",
      "youtube_rtmps_bitrate",
      "youtube_rtmps_uptime",
      "youtube_rtmps_quality",
      "twitch_name",
      "twitch_state",
      "twitch_bitrate",
      "twitch_uptime",
      "twitch_quality",
    ]);
  });

  it("keeps a name for what came first when two ids spell it alike", () => {
    const destinations = [destinationView({ id: "a-b", name: "First", state: "live", since: "2025-01-01T11:59:00Z" }), destinationView({ id: "a_b", name: "Second" })];
    const ids = variableDefinitions(destinations).map((definition) => definition.variableId);
    expect(ids.filter((id) => id === "a_b_state")).toHaveLength(1);
    expect(variableValues(statusView(destinations), NOW)).toMatchObject({ a_b_name: "First", a_b_state: "live" });
    // An id named "ingest" never takes the ingest's own variables.
    const ingest = statusView([destinationView({ id: "ingest", bitrateKbps: 99 })], { live: true, bitrateKbps: 6000 });
    expect(variableValues(ingest, NOW)).toMatchObject({ ingest_live: true, ingest_bitrate: 6000, ingest_state: "off" });
  });

  it("gives every value: ingest, then state, bitrate (kb/s, whole), uptime and quality per destination", () => {
    const status = statusView(
      [
        destinationView({ id: "youtube", name: "YouTube", state: "live", since: "2025-01-01T11:58:30Z", bitrateKbps: 6123.6 }),
        { ...destinationView({ id: "kick", name: "Kick", state: "retrying" }), encodeLabel: "720p60 · 4.5M" },
      ],
      { live: true, bitrateKbps: 6200.4 },
    );
    expect(variableValues(status, NOW)).toEqual({
      ingest_live: true,
      ingest_bitrate: 6200,
      obs_connected: false,
      obs_streaming: false,
      youtube_name: "YouTube",
      youtube_state: "live",
      youtube_bitrate: 6124,
      youtube_uptime: "1:30",
      youtube_quality: "copy",
      kick_name: "Kick",
      kick_state: "retrying",
      kick_bitrate: 0,
      kick_uptime: "",
      kick_quality: "720p60 · 4.5M",
    });
  });

  it("says whether OBS is linked and streaming (false without OBS)", () => {
    const base = statusView([]);
    const obs = { ...initialObsState(true).view, connected: true, streaming: true };
    expect(variableValues({ ...base, obs }, NOW)).toMatchObject({ obs_connected: true, obs_streaming: true });
    expect(variableValues({ ...base, obs: { ...obs, connected: false } }, NOW)).toMatchObject({ obs_connected: false, obs_streaming: false });
    expect(variableValues(base, NOW)).toMatchObject({ obs_connected: false, obs_streaming: false });
  });

  it("sends only what changed", () => {
    expect(changedValues({ a: 1, b: "x", c: true }, { a: 1, b: "y", c: true, d: 0 })).toEqual({ b: "y", d: 0 });
    expect(changedValues({ a: 1 }, { a: 1 })).toEqual({});
  });
});
