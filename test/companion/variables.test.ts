import { describe, expect, it } from "vitest";
import { changedValues, variableDefinitions, variableValues } from "../../companion/variables.js";
import { statusVariables, variableList } from "../../presentation/variables.js";
import { destinationView, statusView } from "../../rig/status-views.js";
import { initialObsState } from "../../bridge/obs/obs-state.js";

const NOW = Date.parse("2025-01-01T12:00:00Z");

describe("Companion variables", () => {
  const status = statusView(
    [
      destinationView({ id: "youtube-rtmps", name: "YouTube", state: "live", since: "2025-01-01T11:58:30Z", bitrateKbps: 6123.6 }),
      { ...destinationView({ id: "kick", name: "Kick", state: "retrying" }), encodeLabel: "720p60 · 4.5M" },
    ],
    { live: true, bitrateKbps: 6200.4 },
  );

  it("are the bridge's /api/variables: the same names, meanings and values", () => {
    const definitions = variableDefinitions(status.destinations);
    expect(definitions).toEqual(variableList(status.destinations).map(({ name, meaning }) => ({ variableId: name, name: meaning })));
    expect(variableValues(status, NOW)).toEqual(statusVariables(status, NOW));
    expect(Object.keys(variableValues(status, NOW)).sort()).toEqual(definitions.map((definition) => definition.variableId).sort());
    expect(variableValues(status, NOW)).toMatchObject({
      ingest_live: true,
      ingest_bitrate: 6200,
      youtube_rtmps_state: "live",
      youtube_rtmps_bitrate: 6124,
      youtube_rtmps_uptime: "1:30",
      youtube_rtmps_quality: "copy",
      kick_state: "retrying",
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
