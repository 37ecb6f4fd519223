// Finds a program: the path set in the config, else the first of its names on PATH (with the
// Windows extensions), else a few well-known install folders.

import { access, constants } from "node:fs/promises";
import { posix, win32 } from "node:path";
import which from "which";
import { ServiceUnavailableError } from "../process/service-supervisor.js";
import { installHint, type ProgramName } from "./install-hints.js";

/** Where programs are looked for: the OS and its environment (injected in tests). */
export interface SearchPlace {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
}

/** The names `program` goes by on `platform`, most wanted first. */
export function binaryNames(program: ProgramName, platform: NodeJS.Platform): string[] {
  if (program !== "stunnel") return [program];
  // Windows: tstunnel.exe is stunnel's console build (stunnel.exe opens a tray window).
  return platform === "win32" ? ["tstunnel", "stunnel"] : ["stunnel", "stunnel4", "stunnel5"];
}

/**
 * Install folders tried after PATH, for a bridge started with a short PATH (a launchd agent, a systemd
 * user unit, the Stream Deck app's Node started before an install changed PATH).
 */
export function wellKnownPaths(program: ProgramName, { platform, env }: SearchPlace): string[] {
  if (platform === "darwin") {
    // Homebrew on Apple silicon (/opt/homebrew) first, then Homebrew on Intel (/usr/local), then MacPorts.
    const dirs =
      program === "nginx"
        ? ["/opt/homebrew/bin", "/opt/homebrew/sbin", "/usr/local/bin", "/usr/local/sbin", "/opt/local/sbin", "/opt/local/bin"]
        : ["/opt/homebrew/bin", "/usr/local/bin", "/opt/local/bin"];
    return dirs.map((dir) => posix.join(dir, program));
  }
  if (platform === "win32") {
    const links = env.LOCALAPPDATA ? [win32.join(env.LOCALAPPDATA, "Microsoft", "WinGet", "Links")] : [];
    if (program === "nginx") return ["C:\\nginx\\nginx.exe"];
    if (program === "ffmpeg") return ["C:\\ffmpeg\\bin\\ffmpeg.exe", ...links.map((dir) => win32.join(dir, "ffmpeg.exe"))];
    return [
      "C:\\Program Files (x86)\\stunnel\\bin\\tstunnel.exe",
      "C:\\Program Files\\stunnel\\bin\\tstunnel.exe",
      "C:\\Program Files (x86)\\stunnel\\bin\\stunnel.exe",
    ];
  }
  if (platform === "linux") {
    // nginx lives in sbin, which an ordinary user's PATH (and a systemd user unit's) leaves out.
    if (program === "nginx") return ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"];
    if (program === "ffmpeg") return ["/usr/local/bin/ffmpeg"];
    return ["/usr/bin/stunnel4", "/usr/sbin/stunnel", "/usr/local/bin/stunnel"];
  }
  return [];
}

/** Absolute path of `program`, or a ServiceUnavailableError saying how to install it. */
export async function findBinary(
  program: ProgramName,
  configured: string,
  where: SearchPlace = { platform: process.platform, env: process.env },
): Promise<string> {
  if (configured !== "") {
    if (await isExecutable(configured)) return configured;
    throw new ServiceUnavailableError(
      `${program} not found at binaries.${program} = ${configured}: fix the path or clear it to look on PATH (install: ${installHint(program, where.platform)})`,
    );
  }
  for (const name of binaryNames(program, where.platform)) {
    const found = await which(name, { nothrow: true });
    if (found) return found;
  }
  for (const candidate of wellKnownPaths(program, where)) {
    if (await isExecutable(candidate)) return candidate;
  }
  throw new ServiceUnavailableError(`${program} is not installed or not on PATH: ${installHint(program, where.platform)}`);
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, process.platform === "win32" ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
