import { describe, expect, it } from "vitest";
import {
  applyStreamStateChanged,
  applyStreamStatus,
  initialObsState,
  obsConnected,
  obsDisconnected,
  obsStateChanged,
  outputStateFromEvent,
  withSettings,
  type StreamStatusReply,
} from "../../../bridge/obs/obs-state.js";

const T0 = Date.parse("2026-01-01T12:00:00Z");
const status = (over: Partial<StreamStatusReply> = {}): StreamStatusReply => ({
  outputActive: true,
  outputReconnecting: false,
  outputDuration: 0,
  outputCongestion: 0,
  outputBytes: 0,
  outputSkippedFrames: 0,
  outputTotalFrames: 0,
  ...over,
});

describe("OBS state from obs-websocket", () => {
  it("starts not connected, configured or not", () => {
    expect(initialObsState(true).view).toMatchObject({ configured: true, connected: false, streaming: false, reconnecting: false, outputState: "stopped" });
    expect(initialObsState(false).view.configured).toBe(false);
  });

  it("maps every output state name of StreamStateChanged", () => {
    expect(outputStateFromEvent("OBS_WEBSOCKET_OUTPUT_STARTING")).toBe("starting");
    expect(outputStateFromEvent("OBS_WEBSOCKET_OUTPUT_STARTED")).toBe("started");
    expect(outputStateFromEvent("OBS_WEBSOCKET_OUTPUT_STOPPING")).toBe("stopping");
    expect(outputStateFromEvent("OBS_WEBSOCKET_OUTPUT_STOPPED")).toBe("stopped");
    expect(outputStateFromEvent("OBS_WEBSOCKET_OUTPUT_RECONNECTING")).toBe("reconnecting");
    expect(outputStateFromEvent("OBS_WEBSOCKET_OUTPUT_RECONNECTED")).toBe("started");
    expect(outputStateFromEvent("SOMETHING_NEW")).toBeUndefined();
  });

  it("follows a stream through start, reconnect and stop", () => {
    let state = obsConnected(initialObsState(true), "29.0.2");
    expect(state.view).toMatchObject({ connected: true, version: "29.0.2" });
    state = applyStreamStateChanged(state, { outputActive: false, outputState: "OBS_WEBSOCKET_OUTPUT_STARTING" }, T0);
    expect(state.view).toMatchObject({ streaming: false, outputState: "starting" });
    state = applyStreamStateChanged(state, { outputActive: true, outputState: "OBS_WEBSOCKET_OUTPUT_STARTED" }, T0 + 500);
    expect(state.view).toMatchObject({ streaming: true, reconnecting: false, outputState: "started", since: new Date(T0 + 500).toISOString() });
    state = applyStreamStateChanged(state, { outputActive: false, outputState: "OBS_WEBSOCKET_OUTPUT_RECONNECTING" }, T0 + 5_000);
    expect(state.view).toMatchObject({ streaming: true, reconnecting: true, outputState: "reconnecting", since: new Date(T0 + 500).toISOString() });
    state = applyStreamStateChanged(state, { outputActive: true, outputState: "OBS_WEBSOCKET_OUTPUT_RECONNECTED" }, T0 + 8_000);
    expect(state.view).toMatchObject({ streaming: true, reconnecting: false, outputState: "started" });
    state = applyStreamStateChanged(state, { outputActive: false, outputState: "OBS_WEBSOCKET_OUTPUT_STOPPED" }, T0 + 9_000);
    expect(state.view).toMatchObject({ streaming: false, reconnecting: false, outputState: "stopped", since: null, bitrateKbps: 0 });
  });

  it("measures the bitrate from GetStreamStatus's byte counter and keeps its frame counts", () => {
    let state = obsConnected(initialObsState(true), "29.0.2");
    state = applyStreamStatus(state, status({ outputDuration: 2_000, outputBytes: 250_000, outputTotalFrames: 60 }), T0);
    expect(state.view.bitrateKbps).toBe(1000); // 250 kB in 2 s
    expect(state.view.since).toBe(new Date(T0 - 2_000).toISOString());
    state = applyStreamStatus(state, status({ outputDuration: 3_000, outputBytes: 250_000 + 140_000, outputCongestion: 0.4567, outputSkippedFrames: 3, outputTotalFrames: 90 }), T0 + 1_000);
    expect(state.view).toMatchObject({ streaming: true, bitrateKbps: 1120, congestion: 0.46, skippedFrames: 3, totalFrames: 90, outputState: "started" });
  });

  it("sees a reconnect or a stop that it missed as an event", () => {
    let state = obsConnected(initialObsState(true), undefined);
    state = applyStreamStatus(state, status({ outputBytes: 1000, outputDuration: 1000 }), T0);
    state = applyStreamStatus(state, status({ outputReconnecting: true, outputBytes: 1000 }), T0 + 1000);
    expect(state.view).toMatchObject({ streaming: true, reconnecting: true, outputState: "reconnecting", bitrateKbps: 0 });
    state = applyStreamStatus(state, status({ outputActive: false }), T0 + 2000);
    expect(state.view).toMatchObject({ streaming: false, reconnecting: false, outputState: "stopped", since: null });
  });

  it("forgets the stream when the link goes, keeps what is known from the config", () => {
    let state = withSettings(obsConnected(initialObsState(true), "29.0.2"), { canRestore: true, pointsAtRelay: true, outputMode: "Advanced" });
    state = applyStreamStatus(state, status({ outputBytes: 5000, outputDuration: 1000 }), T0);
    state = obsDisconnected(state, "OBS closed the connection");
    expect(state.view).toMatchObject({ connected: false, streaming: false, canRestore: true, pointsAtRelay: null, error: "OBS closed the connection", configured: true });
    expect(state.view.version).toBeUndefined();
    expect(obsConnected(state, "29.0.2").view.error).toBeUndefined();
  });

  it("tells state changes from number changes", () => {
    const a = obsConnected(initialObsState(true), "29").view;
    expect(obsStateChanged(a, { ...a, bitrateKbps: 999 })).toBe(false);
    expect(obsStateChanged(a, { ...a, streaming: true })).toBe(true);
    expect(obsStateChanged(a, { ...a, error: "x" })).toBe(true);
  });
});
