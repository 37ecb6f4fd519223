// A BridgeApi held in memory, for route unit tests only (browser tests run the real bridge).

import type { BridgeApi } from "../../bridge/domain/bridge-api.js";
import { notFound } from "../../bridge/domain/errors.js";
import type { StatusView } from "../../contract/api.js";

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
