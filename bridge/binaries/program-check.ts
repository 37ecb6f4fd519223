// Checks a program path set by hand (binaries.nginx, .ffmpeg, .stunnel, from the config file or the
// API) before the bridge runs it with anything of the streamer's: it must be a regular executable file
// whose version banner is the program's own. Only the version is asked (no stream key, no config); the
// answer is kept per file (path, size and time of change), so a replaced file is checked again.

import { stat, access, constants } from "node:fs/promises";
import { spawnChild } from "../process/child-process.js";
import type { ProgramName } from "./programs.mjs";

/** What each program is asked, and the first words of its own answer. */
const BANNERS: Record<ProgramName, { args: string[]; pattern: RegExp; looksLike: string }> = {
  nginx: { args: ["-v"], pattern: /^nginx version: (?:nginx|openresty|freenginx)\//m, looksLike: '"nginx version: nginx/…" (nginx -v)' },
  ffmpeg: { args: ["-hide_banner", "-version"], pattern: /^ffmpeg version \S/m, looksLike: '"ffmpeg version …" (ffmpeg -version)' },
  stunnel: { args: ["-version"], pattern: /^stunnel \d+\.\d+/m, looksLike: '"stunnel 5.x on …" (stunnel -version)' },
};

/** How long a program may take to say its version. */
const BANNER_TIMEOUT_MS = 10_000;
/** The most of its answer read. */
const MAX_BANNER_LINES = 200;

/** Why `path` is not a runnable regular file, or null when it is. */
export async function programFileProblem(path: string, platform: NodeJS.Platform = process.platform): Promise<string | null> {
  let info;
  try {
    info = await stat(path);
  } catch {
    return "does not exist";
  }
  if (info.isDirectory()) return "is a folder, not a program: give the full path of the program file inside it";
  if (!info.isFile()) return "is not a regular file (a device, pipe or socket): give the full path of the program file";
  if (platform !== "win32") {
    try {
      await access(path, constants.X_OK);
    } catch {
      return "is not executable: make it executable (chmod +x) or give the right program";
    }
  }
  return null;
}

/** Asks `path` for its version; why it is not `program`, or null when its banner is the program's own. */
export async function programBannerProblem(program: ProgramName, path: string): Promise<string | null> {
  const banner = BANNERS[program];
  const lines: string[] = [];
  let child;
  try {
    child = spawnChild({ command: path, args: banner.args, onLine: (line) => void (lines.length < MAX_BANNER_LINES && lines.push(line)) });
    // Nothing to read: a shell given by mistake ends at once rather than wait for commands.
    child.stdin?.end();
  } catch {
    return `could not be started to ask its version: give the path of ${program} itself`;
  }
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void child.kill();
  }, BANNER_TIMEOUT_MS);
  try {
    await child.exited;
  } catch {
    return `could not be started to ask its version: give the path of ${program} itself`;
  } finally {
    clearTimeout(timer);
  }
  if (banner.pattern.test(lines.join("\n"))) return null;
  if (timedOut) return `did not say its version within ${BANNER_TIMEOUT_MS / 1000} s: it is not ${program}; give the path of ${program} itself`;
  return `is not ${program}: asked its version, it did not answer ${banner.looksLike}; give the path of ${program} itself`;
}

const checked = new Map<string, Promise<string | null>>();

/**
 * Why the program file at `path` must not be run as `program`, or null when it is that program: a
 * regular executable file whose version banner is the program's own. Kept per file version.
 */
export async function configuredProgramProblem(program: ProgramName, path: string): Promise<string | null> {
  const fileProblem = await programFileProblem(path);
  if (fileProblem) return fileProblem;
  const info = await stat(path);
  const key = `${program}\n${path}\n${info.size}\n${info.mtimeMs}\n${info.ino}`;
  let answer = checked.get(key);
  if (!answer) {
    answer = programBannerProblem(program, path);
    checked.set(key, answer);
  }
  return answer;
}
