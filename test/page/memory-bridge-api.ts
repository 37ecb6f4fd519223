// A BridgeApi held in memory, for route unit tests only (browser tests run the real bridge).

import type { BridgeApi } from "../../bridge/domain/bridge-api.js";
import { notFound } from "../../bridge/domain/errors.js";
import type { DestinationView, StatusView } from "../../bridge/shared/api.js";

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

/** Serves `status` as is; changes are not modelled (these tests only read). */
export function memoryBridgeApi(status: StatusView): BridgeApi {
  const find = (id: string) => status.destinations.find((destination) => destination.id === id);
  const unsupported = () => Promise.reject(new Error("not modelled in route tests"));
  return {
    status: () => status,
    onChange: () => () => {},
    listDestinations: () => status.destinations,
    getDestination: find,
    createDestination: unsupported,
    updateDestination: unsupported,
    deleteDestination: unsupported,
    setEnabled: unsupported,
    retryNow: unsupported,
    destinationLog: (id) => {
      if (!find(id)) throw notFound(id);
      return [];
    },
    restartService: unsupported,
  };
}
