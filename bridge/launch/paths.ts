// Where the config file and the runtime folder live on each OS.

import { dirname, join, posix, win32 } from "node:path";

export interface PlatformEnv {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  home: string;
}

/** The platform's per-user config folder for Relay. */
export function configDir({ platform, env, home }: PlatformEnv): string {
  // Paths in the target OS's own form, whichever OS computes them (the tests inject the platform).
  if (platform === "win32") return win32.join(env.APPDATA || win32.join(home, "AppData", "Roaming"), "relay");
  if (platform === "darwin") return posix.join(home, "Library", "Application Support", "relay");
  return posix.join(env.XDG_CONFIG_HOME || posix.join(home, ".config"), "relay");
}

/** Default config file path (docs/config.md): `<config dir>/config.json`. */
export function defaultConfigPath(where: PlatformEnv): string {
  return (where.platform === "win32" ? win32 : posix).join(configDir(where), "config.json");
}

/** Runtime folder (rendered nginx.conf, stunnel.conf, logs, pid files): beside the config file. */
export function runtimeDirFor(configFile: string): string {
  return join(dirname(configFile), "run");
}
