// `GET /api/settings` and `PATCH /api/settings`: what a first run needs (each program found or how
// to install it, and what to paste into OBS), setting a program's full path, and the ingest's and the
// bridge's ports. A path is checked before it is saved; the config file is written like every other
// change (validated, atomic, 0600). A new ingest port restarts nginx on it at once; a new bridge port
// applies at the bridge's next start.

import Router from "@koa/router";
import { findBinary } from "../../binaries/find-binary.js";
import { installHint } from "../../binaries/programs.mjs";
import { thisComputerServer } from "../../ingest/obs-address.js";
import type { Config } from "../../config/schema.js";
import type { ServiceName } from "../bridge-api.js";
import { ApiError, badRequest } from "../errors.js";
import { parseSettingsPatch, PROGRAMS } from "../settings-patch.js";
import type { ProgramName, ProgramView, SettingsView } from "../../shared/api.js";

export interface SettingsRoutesOptions {
  config: () => Config;
  update: (change: (draft: Config) => void) => Promise<Config>;
  restartService: (name: ServiceName) => Promise<void>;
  /** The port this bridge listens on now. */
  listeningPort: () => number;
  /** Finds a program (default: the bridge's own search). */
  find?: (program: ProgramName, configured: string) => Promise<string>;
}

/** The routes; nginx and stunnel restart when their path changes, ffmpeg is picked up by the next relay. */
export function settingsRoutes(options: SettingsRoutesOptions): Router {
  const find = options.find ?? findBinary;
  const router = new Router({ prefix: "/api" });
  const view = async (): Promise<SettingsView> => {
    const config = options.config();
    const entries = await Promise.all(PROGRAMS.map(async (name) => [name, await programView(name, config.binaries[name], find)] as const));
    return {
      binaries: Object.fromEntries(entries) as Record<ProgramName, ProgramView>,
      obs: { server: thisComputerServer(config.ingest), keyRequired: config.ingest.key !== "" },
      ingest: { host: config.ingest.host, port: config.ingest.port, app: config.ingest.app },
      bridge: { host: config.bridge.host, port: config.bridge.port, listeningPort: options.listeningPort(), restartNeeded: config.bridge.port !== options.listeningPort() },
    };
  };
  router.get("/settings", async (ctx) => {
    ctx.body = await view();
  });
  router.patch("/settings", async (ctx) => {
    const patch = parseSettingsPatch(ctx.request.body);
    for (const [name, path] of Object.entries(patch.binaries) as Array<[ProgramName, string]>) {
      if (path === "") continue;
      try {
        await find(name, path);
      } catch (error) {
        throw badRequest(`binaries.${name}: ${(error as Error).message}`, `binaries.${name}`);
      }
    }
    const before = options.config();
    const ingestPort = patch.ingest?.port ?? before.ingest.port;
    const bridgePort = patch.bridge?.port ?? before.bridge.port;
    if (ingestPort === bridgePort) {
      throw new ApiError(400, "invalid_field", `ingest.port: ${ingestPort} is the bridge's port too: pick another one`, "ingest.port");
    }
    const after = await options.update((draft) => {
      Object.assign(draft.binaries, patch.binaries);
      draft.ingest.port = ingestPort;
      draft.bridge.port = bridgePort;
    });
    const nginxChanged = after.binaries.nginx !== before.binaries.nginx || after.ingest.port !== before.ingest.port;
    if (nginxChanged) await options.restartService("nginx");
    if (after.binaries.stunnel !== before.binaries.stunnel) await options.restartService("stunnel");
    ctx.body = await view();
  });
  return router;
}

async function programView(name: ProgramName, configured: string, find: NonNullable<SettingsRoutesOptions["find"]>): Promise<ProgramView> {
  const install = installHint(name);
  try {
    return { configured, found: await find(name, configured), problem: null, install };
  } catch (error) {
    return { configured, found: null, problem: (error as Error).message, install };
  }
}
