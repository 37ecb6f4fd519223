// `GET` and `PATCH /api/settings`: the ingest's and the bridge's ports, changed from the page. A new
// ingest port restarts nginx on it at once; a new bridge port applies at the bridge's next start.

import Router from "@koa/router";
import type { ConfigStore } from "../../config/store.js";
import { parseSettingsPatch, type SettingsView } from "../../config/settings-input.js";
import { ApiError } from "../errors.js";

export interface SettingsRouteOptions {
  store: ConfigStore;
  /** The port this bridge listens on now. */
  listeningPort: () => number;
  /** Restarts nginx so it listens on the new ingest port. */
  restartIngest: () => Promise<void>;
}

export function settingsRoutes(options: SettingsRouteOptions): Router {
  const router = new Router({ prefix: "/api" });
  const view = (): SettingsView => {
    const { ingest, bridge } = options.store.current;
    const listeningPort = options.listeningPort();
    return {
      ingest: { host: ingest.host, port: ingest.port, app: ingest.app },
      bridge: { host: bridge.host, port: bridge.port, listeningPort, restartNeeded: bridge.port !== listeningPort },
    };
  };
  router.get("/settings", (ctx) => {
    ctx.body = view();
  });
  router.patch("/settings", async (ctx) => {
    const patch = parseSettingsPatch(ctx.request.body);
    const before = options.store.current;
    const ingestPort = patch.ingest?.port ?? before.ingest.port;
    const bridgePort = patch.bridge?.port ?? before.bridge.port;
    if (ingestPort === bridgePort) {
      throw new ApiError(400, "invalid_field", `ingest.port: ${ingestPort} is the bridge's port too: pick another one`, "ingest.port");
    }
    const after = await options.store.update((draft) => {
      draft.ingest.port = ingestPort;
      draft.bridge.port = bridgePort;
    });
    if (after.ingest.port !== before.ingest.port) await options.restartIngest();
    ctx.body = view();
  });
  return router;
}
