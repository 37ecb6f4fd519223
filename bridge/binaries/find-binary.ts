// Finds a program: the path set in the config, else the first of its names on PATH (with the
// Windows extensions), else a few well-known install folders.

import { access, constants } from "node:fs/promises";
import which from "which";
import { ServiceUnavailableError } from "../process/service-supervisor.js";
import { installHint, type ProgramName } from "./install-hints.js";

const NAMES: Record<ProgramName, string[]> = {
  nginx: ["nginx"],
  ffmpeg: ["ffmpeg"],
  // Windows: tstunnel.exe is stunnel's console build (stunnel.exe opens a tray window).
  stunnel: process.platform === "win32" ? ["tstunnel", "stunnel"] : ["stunnel", "stunnel4", "stunnel5"],
};

const WELL_KNOWN: Partial<Record<NodeJS.Platform, Record<ProgramName, string[]>>> = {
  // nginx lives in sbin, which an ordinary user's PATH (and a systemd user unit's) leaves out.
  linux: {
    nginx: ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"],
    ffmpeg: ["/usr/local/bin/ffmpeg"],
    stunnel: ["/usr/bin/stunnel4", "/usr/sbin/stunnel", "/usr/local/bin/stunnel"],
  },
  darwin: {
    nginx: ["/opt/homebrew/bin/nginx", "/usr/local/bin/nginx"],
    ffmpeg: ["/opt/homebrew/bin/ffmpeg", "/usr/local/bin/ffmpeg"],
    stunnel: ["/opt/homebrew/bin/stunnel", "/usr/local/bin/stunnel"],
  },
  win32: {
    nginx: ["C:\\nginx\\nginx.exe"],
    ffmpeg: ["C:\\ffmpeg\\bin\\ffmpeg.exe"],
    stunnel: [
      "C:\\Program Files (x86)\\stunnel\\bin\\tstunnel.exe",
      "C:\\Program Files\\stunnel\\bin\\tstunnel.exe",
      "C:\\Program Files (x86)\\stunnel\\bin\\stunnel.exe",
    ],
  },
};

/** Absolute path of `program`, or a ServiceUnavailableError saying how to install it. */
export async function findBinary(program: ProgramName, configured: string): Promise<string> {
  if (configured !== "") {
    if (await isExecutable(configured)) return configured;
    throw new ServiceUnavailableError(
      `${program} not found at binaries.${program} = ${configured}: fix the path or clear it to look on PATH (install: ${installHint(program)})`,
    );
  }
  for (const name of NAMES[program]) {
    const found = await which(name, { nothrow: true });
    if (found) return found;
  }
  for (const candidate of WELL_KNOWN[process.platform]?.[program] ?? []) {
    if (await isExecutable(candidate)) return candidate;
  }
  throw new ServiceUnavailableError(`${program} is not installed or not on PATH: ${installHint(program)}`);
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, process.platform === "win32" ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
