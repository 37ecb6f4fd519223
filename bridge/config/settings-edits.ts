// The rules of a settings change (program paths, the ingest's and the bridge's ports), and which
// supervised program a change of the config must restart: whoever made the change (the settings
// form, OBS's set-up, a hand edit of the file), the same rules apply.

import type { Config } from "./schema.js";
import type { ServiceName } from "../domain/bridge-api.js";
import { invalid } from "../domain/errors.js";
import { exposureProblem, ingestListenHost, isThisComputerOnly } from "../ingest/ingest-exposure.js";
import type { ProgramName } from "../../contract/api.js";

/** A settings change, read and trimmed (see http/settings-patch.ts). */
export interface SettingsChange {
  binaries: Partial<Record<ProgramName, string>>;
  ingest?: { port?: number; lan?: boolean; key?: string };
  bridge?: { port?: number };
  uplink?: { kbps?: number };
}

/** Finds a program: its full path, or throws saying why not (binaries/find-binary.ts). */
export type FindProgram = (program: ProgramName, configured: string) => Promise<string>;

/**
 * Checks the paths of `change` (each must name the program, found and runnable) and answers the edit
 * that applies it, which refuses a result where the ingest and the bridge share a port. Both throw
 * RelayError naming the field.
 */
export async function settingsEdit(change: SettingsChange, find: FindProgram): Promise<(draft: Config) => void> {
  for (const [name, path] of Object.entries(change.binaries) as Array<[ProgramName, string]>) {
    if (path === "") continue;
    try {
      await find(name, path);
    } catch (error) {
      throw invalid("invalid_request", `binaries.${name}: ${(error as Error).message}`, `binaries.${name}`);
    }
  }
  return (draft) => {
    const ingestPort = change.ingest?.port ?? draft.ingest.port;
    const bridgePort = change.bridge?.port ?? draft.bridge.port;
    if (ingestPort === bridgePort) {
      throw invalid("invalid_field", `ingest.port: ${ingestPort} is the bridge's port too: pick another one`, "ingest.port");
    }
    Object.assign(draft.binaries, change.binaries);
    draft.ingest.port = ingestPort;
    draft.bridge.port = bridgePort;
    const lan = change.ingest?.lan;
    if (change.ingest?.key !== undefined) draft.ingest.key = change.ingest.key;
    if (lan !== undefined) draft.ingest.host = !lan ? "127.0.0.1" : isThisComputerOnly(draft.ingest.host) ? "0.0.0.0" : draft.ingest.host;
    // Opening the ingest to the network (or taking its key away) needs a key: a stranger's stream never reaches a platform.
    const problem = lan === true || change.ingest?.key !== undefined ? exposureProblem(draft.ingest) : null;
    if (problem) throw invalid("invalid_field", `ingest.${lan === true ? "lan" : "key"}: ${problem}`, `ingest.${lan === true ? "lan" : "key"}`);
    if (change.uplink?.kbps !== undefined) draft.uplink.kbps = change.uplink.kbps;
  };
}

/**
 * The programs to restart for a change of the config: nginx when its program or the ingest it serves
 * moved (address, port, application), stunnel when its program did. The bridge's own port applies at
 * its next start; ffmpeg is picked up by each relay's next start.
 */
export function servicesToRestart(before: Config, after: Config): ServiceName[] {
  const services: ServiceName[] = [];
  const ingest = (config: Config) => [config.binaries.nginx, ingestListenHost(config.ingest), config.ingest.port, config.ingest.app].join("\n");
  if (ingest(before) !== ingest(after)) services.push("nginx");
  if (before.binaries.stunnel !== after.binaries.stunnel) services.push("stunnel");
  return services;
}
