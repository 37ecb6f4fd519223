// Where the config file and the runtime folder live on each OS.

import { join, dirname } from "node:path";

export interface PlatformEnv {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  home: string;
}

/** The platform's per-user config folder for Relay. */
export function configDir({ platform, env, home }: PlatformEnv): string {
  if (platform === "win32") return join(env.APPDATA ?? join(home, "AppData", "Roaming"), "relay");
  if (platform === "darwin") return join(home, "Library", "Application Support", "relay");
  return join(env.XDG_CONFIG_HOME || join(home, ".config"), "relay");
}

/** Default config file path (DESIGN.md): `<config dir>/config.json`. */
export function defaultConfigPath(where: PlatformEnv): string {
  return join(configDir(where), "config.json");
}

/** Runtime folder (rendered nginx.conf, stunnel.conf, logs, pid files): beside the config file. */
export function runtimeDirFor(configFile: string): string {
  return join(dirname(configFile), "run");
}
