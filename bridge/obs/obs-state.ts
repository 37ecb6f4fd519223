// OBS's state as the bridge shows it, built purely from what obs-websocket says: connection changes,
// StreamStateChanged events and GetStreamStatus answers. No sockets here; obs-link.ts feeds it.

import type { ObsOutputState, ObsView } from "../../contract/api.js";

/** What the bridge knows about OBS between two updates (the view plus the last byte sample). */
export interface ObsState {
  view: ObsView;
  /** Last GetStreamStatus byte counter and when it was read, for the bitrate. */
  lastSample?: { bytes: number; atMs: number };
}

/** obs-websocket's `StreamStateChanged` event data. */
export interface StreamStateChangedEvent {
  outputActive: boolean;
  outputState: string;
}

/** obs-websocket's `GetStreamStatus` answer (the fields used). */
export interface StreamStatusReply {
  outputActive: boolean;
  outputReconnecting: boolean;
  outputDuration: number;
  outputCongestion: number;
  outputBytes: number;
  outputSkippedFrames: number;
  outputTotalFrames: number;
}

/** The state before any contact with OBS. */
export function initialObsState(configured: boolean): ObsState {
  return {
    view: {
      configured,
      connected: false,
      streaming: false,
      reconnecting: false,
      outputState: "stopped",
      since: null,
      bitrateKbps: 0,
      congestion: 0,
      skippedFrames: 0,
      totalFrames: 0,
      pointsAtRelay: null,
      canRestore: false,
    },
  };
}

/** The link to OBS came up (`version`: OBS's own version). Stream fields follow from GetStreamStatus. */
export function obsConnected(state: ObsState, version: string | undefined): ObsState {
  const { error: _error, ...view } = state.view;
  return { view: { ...view, connected: true, ...(version ? { version } : {}) } };
}

/** The link to OBS is gone (or never came): nothing about OBS's stream is known any more. */
export function obsDisconnected(state: ObsState, error: string | undefined): ObsState {
  const fresh = initialObsState(state.view.configured).view;
  return { view: { ...fresh, canRestore: state.view.canRestore, ...(error ? { error } : {}) } };
}

/** obs-websocket's output state names → the view's. Unknown names leave the state as it was. */
export function outputStateFromEvent(name: string): ObsOutputState | undefined {
  switch (name) {
    case "OBS_WEBSOCKET_OUTPUT_STARTING":
      return "starting";
    case "OBS_WEBSOCKET_OUTPUT_STARTED":
    case "OBS_WEBSOCKET_OUTPUT_RECONNECTED":
    case "OBS_WEBSOCKET_OUTPUT_RESUMED":
      return "started";
    case "OBS_WEBSOCKET_OUTPUT_STOPPING":
      return "stopping";
    case "OBS_WEBSOCKET_OUTPUT_STOPPED":
      return "stopped";
    case "OBS_WEBSOCKET_OUTPUT_RECONNECTING":
      return "reconnecting";
    default:
      return undefined;
  }
}

/** Applies a StreamStateChanged event at `nowMs`. */
export function applyStreamStateChanged(state: ObsState, event: StreamStateChangedEvent, nowMs: number): ObsState {
  const outputState = outputStateFromEvent(event.outputState) ?? state.view.outputState;
  const streaming = event.outputActive || outputState === "reconnecting";
  const view: ObsView = { ...state.view, outputState, streaming, reconnecting: outputState === "reconnecting" };
  if (streaming && !state.view.streaming) view.since = new Date(nowMs).toISOString();
  if (!streaming) return { view: { ...view, since: null, bitrateKbps: 0, congestion: 0 } };
  return { view, ...(state.lastSample ? { lastSample: state.lastSample } : {}) };
}

/** Applies a GetStreamStatus answer read at `nowMs`: the numbers, and the state when an event was missed. */
export function applyStreamStatus(state: ObsState, reply: StreamStatusReply, nowMs: number): ObsState {
  if (!reply.outputActive) {
    const stopped = state.view.outputState === "starting" ? "starting" : "stopped";
    return {
      view: { ...state.view, streaming: false, reconnecting: false, outputState: stopped, since: null, bitrateKbps: 0, congestion: 0 },
    };
  }
  const previous = state.lastSample;
  let bitrateKbps = state.view.bitrateKbps;
  if (previous && nowMs > previous.atMs && reply.outputBytes >= previous.bytes) {
    bitrateKbps = Math.round(((reply.outputBytes - previous.bytes) * 8) / (nowMs - previous.atMs));
  } else if (!previous && reply.outputDuration > 0) {
    bitrateKbps = Math.round((reply.outputBytes * 8) / reply.outputDuration);
  }
  const reconnecting = reply.outputReconnecting;
  const view: ObsView = {
    ...state.view,
    streaming: true,
    reconnecting,
    outputState: reconnecting ? "reconnecting" : "started",
    since: state.view.since ?? new Date(nowMs - Math.max(0, reply.outputDuration)).toISOString(),
    bitrateKbps: reconnecting ? 0 : bitrateKbps,
    congestion: Math.round(Math.min(1, Math.max(0, reply.outputCongestion || 0)) * 100) / 100,
    skippedFrames: reply.outputSkippedFrames,
    totalFrames: reply.outputTotalFrames,
  };
  return { view, lastSample: { bytes: reply.outputBytes, atMs: nowMs } };
}

/** Sets what is known of OBS's stream settings and output mode. */
export function withSettings(
  state: ObsState,
  settings: { pointsAtRelay?: boolean | null; outputMode?: "Simple" | "Advanced"; canRestore?: boolean; configured?: boolean },
): ObsState {
  const view: ObsView = { ...state.view };
  if (settings.pointsAtRelay !== undefined) view.pointsAtRelay = settings.pointsAtRelay;
  if (settings.outputMode !== undefined) view.outputMode = settings.outputMode;
  if (settings.canRestore !== undefined) view.canRestore = settings.canRestore;
  if (settings.configured !== undefined) view.configured = settings.configured;
  return { ...state, view };
}

/** Two views differ in a way a key, page or Companion shows at once (not only numbers). */
export function obsStateChanged(before: ObsView, after: ObsView): boolean {
  return (
    before.connected !== after.connected ||
    before.streaming !== after.streaming ||
    before.reconnecting !== after.reconnecting ||
    before.outputState !== after.outputState ||
    before.error !== after.error ||
    before.pointsAtRelay !== after.pointsAtRelay ||
    before.canRestore !== after.canRestore ||
    before.configured !== after.configured ||
    before.outputMode !== after.outputMode
  );
}
