// The rules of a settings change (program paths, the ingest's and the bridge's ports), and which
// supervised program a change of the config must restart: whoever made the change (the settings
// form, OBS's set-up, a hand edit of the file), the same rules apply.

import type { Config } from "./schema.js";
import type { ServiceName } from "../domain/bridge-api.js";
import { invalid } from "../domain/errors.js";
import type { ProgramName } from "../shared/api.js";

/** A settings change, read and trimmed (see http/settings-patch.ts). */
export interface SettingsChange {
  binaries: Partial<Record<ProgramName, string>>;
  ingest?: { port?: number };
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
  const ingest = (config: Config) => [config.binaries.nginx, config.ingest.host, config.ingest.port, config.ingest.app].join("\n");
  if (ingest(before) !== ingest(after)) services.push("nginx");
  if (before.binaries.stunnel !== after.binaries.stunnel) services.push("stunnel");
  return services;
}
