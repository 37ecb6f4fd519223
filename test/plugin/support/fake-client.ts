// A BridgeCommands for handler tests: a snapshot the test sets, and a record of every command.

import { vi } from "vitest";
import type { DestinationView, RelayState, StatusView } from "../../../contract/api.js";
import type { BridgeCommands, BridgeSnapshot, DestinationVerb } from "../../../src/bridge-client.js";
import type { KeyFeedback } from "../../../src/actions/key-feedback.js";

export function destinationView(id: string, state: RelayState, extra: Partial<DestinationView> = {}): DestinationView {
  return {
    id,
    name: id.toUpperCase(),
    url: "rtmp://127.0.0.1/app",
    hasKey: true,
    enabled: state !== "off",
    state,
    since: null,
    bitrateKbps: 0,
    fps: 0,
    restarts: 0,
    lastError: null,
    transport: "direct",
    ...extra,
  };
}

export function statusWith(destinations: DestinationView[]): StatusView {
  return {
    version: "test",
    ingest: { live: false, name: "", since: null, bitrateKbps: 0 },
    services: { nginx: { state: "running" }, stunnel: { state: "stopped" } },
    destinations,
  };
}

export interface FakeClient extends BridgeCommands {
  calls: Array<[string, DestinationVerb]>;
  /** OBS stream commands sent, in order. */
  obsCalls: Array<"start" | "stop">;
  setDestinations(views: DestinationView[]): void;
  /** Makes the next commands (or the listing) fail with this message. */
  failWith(message: string | undefined): void;
  current: BridgeSnapshot;
}

export function fakeClient(views: DestinationView[] = []): FakeClient {
  let failure: string | undefined;
  // What the bridge holds; the snapshot is what the plugin last heard, and may lag or be empty.
  let truth = views;
  const client: FakeClient = {
    calls: [],
    obsCalls: [],
    current: { reachable: true, status: statusWith(views), problem: undefined },
    snapshot: () => client.current,
    setDestinations(next) {
      truth = next;
      client.current = { reachable: true, status: statusWith(next), problem: undefined };
    },
    failWith(message) {
      failure = message;
    },
    command: vi.fn(async (id: string, verb: DestinationVerb) => {
      client.calls.push([id, verb]);
      if (failure) throw new Error(failure);
      const view = truth.find((one) => one.id === id);
      if (!view) throw new Error(`Destination "${id}" not found`);
      return view;
    }),
    listDestinations: vi.fn(async () => {
      if (failure) throw new Error(failure);
      return truth;
    }),
    obsStream: vi.fn(async (verb: "start" | "stop") => {
      client.obsCalls.push(verb);
      if (failure) throw new Error(failure);
      const obs = client.current.status?.obs;
      if (!obs) throw new Error("OBS is not connected");
      return { ...obs, streaming: verb === "start" };
    }),
  };
  return client;
}

export function fakeKey(id = "ctx-1"): KeyFeedback & { alerts: number } {
  const key = {
    id,
    alerts: 0,
    showAlert: async () => {
      key.alerts++;
    },
  };
  return key;
}
