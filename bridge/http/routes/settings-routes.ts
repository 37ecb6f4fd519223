// `GET /api/settings` and `PATCH /api/settings`: what a first run needs (each program found or how
// to install it, and what to paste into OBS), setting a program's full path, and the ingest's and the
// bridge's ports. The change is read here and carried out by the core (config/settings-edits.ts: a path
// is checked before it is saved, a new ingest port restarts nginx on it at once; a new bridge port
// applies at the bridge's next start).

import Router from "@koa/router";
import { findBinary } from "../../binaries/find-binary.js";
import { installHint } from "../../binaries/programs.mjs";
import { thisComputerServer } from "../../ingest/obs-address.js";
import { ingestListenHost, isThisComputerOnly } from "../../ingest/ingest-exposure.js";
import type { Config } from "../../config/schema.js";
import type { FindProgram, SettingsChange } from "../../config/settings-edits.js";
import { parseSettingsPatch, PROGRAMS } from "../settings-patch.js";
import type { ProgramName, ProgramView, SettingsView } from "../../../contract/api.js";

export interface SettingsRoutesOptions {
  config: () => Config;
  /** Checks, writes and carries out a settings change; throws RelayError naming the field at fault. */
  apply: (change: SettingsChange) => Promise<void>;
  /** The port this bridge listens on now. */
  listeningPort: () => number;
  /** Finds a program (default: the bridge's own search). */
  find?: FindProgram;
}

/** The routes. */
export function settingsRoutes(options: SettingsRoutesOptions): Router {
  const find = options.find ?? findBinary;
  const router = new Router({ prefix: "/api" });
  const view = async (): Promise<SettingsView> => {
    const config = options.config();
    const entries = await Promise.all(PROGRAMS.map(async (name) => [name, await programView(name, config.binaries[name], find)] as const));
    return {
      binaries: Object.fromEntries(entries) as Record<ProgramName, ProgramView>,
      obs: { server: thisComputerServer(config.ingest), keyRequired: config.ingest.key !== "" },
      ingest: { host: config.ingest.host, port: config.ingest.port, app: config.ingest.app, lan: !isThisComputerOnly(ingestListenHost(config.ingest)) },
      bridge: { host: config.bridge.host, port: config.bridge.port, listeningPort: options.listeningPort(), restartNeeded: config.bridge.port !== options.listeningPort() },
      uplink: { kbps: config.uplink.kbps },
    };
  };
  router.get("/settings", async (ctx) => {
    ctx.body = await view();
  });
  router.patch("/settings", async (ctx) => {
    await options.apply(parseSettingsPatch(ctx.request.body));
    ctx.body = await view();
  });
  return router;
}

async function programView(name: ProgramName, configured: string, find: FindProgram): Promise<ProgramView> {
  const install = installHint(name);
  try {
    return { configured, found: await find(name, configured), problem: null, install };
  } catch (error) {
    return { configured, found: null, problem: (error as Error).message, install };
  }
}
