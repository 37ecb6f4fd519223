// Finds the programs the bridge runs (nginx with its RTMP module, ffmpeg, stunnel) the way the
// bridge does: the config's `binaries` paths first, then PATH, then the usual install folders.
// Plain Node with no dependencies: it runs before `npm ci`.

import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";

/** Names each program goes by (Debian calls stunnel `stunnel4`). */
export const PROGRAM_NAMES = {
  nginx: ["nginx"],
  ffmpeg: ["ffmpeg"],
  stunnel: ["stunnel", "stunnel4", "stunnel5"],
};

/**
 * Folders searched after PATH. Debian puts nginx in /usr/sbin, which is not on a normal user's
 * PATH; Homebrew and the Windows installers use their own folders.
 */
export const WELL_KNOWN_FOLDERS = {
  linux: ["/usr/sbin", "/usr/local/sbin", "/usr/local/nginx/sbin"],
  darwin: ["/opt/homebrew/bin", "/opt/homebrew/sbin", "/usr/local/bin", "/usr/local/sbin"],
  win32: ["C:\\nginx", "C:\\ffmpeg\\bin", "C:\\Program Files (x86)\\stunnel\\bin", "C:\\Program Files\\stunnel\\bin"],
};

/** The per-user config file the bridge uses when given no --config (DESIGN.md). */
export function defaultConfigFile(platform, env, home) {
  if (platform === "win32") return join(env.APPDATA ?? join(home, "AppData", "Roaming"), "relay", "config.json");
  if (platform === "darwin") return join(home, "Library", "Application Support", "relay", "config.json");
  return join(env.XDG_CONFIG_HOME || join(home, ".config"), "relay", "config.json");
}

/** The `binaries` section of a config file, or {} when there is no readable file. */
export function configuredBinaries(file) {
  try {
    const binaries = JSON.parse(readFileSync(file, "utf8"))?.binaries;
    return binaries && typeof binaries === "object" ? binaries : {};
  } catch {
    return {};
  }
}

function isExecutable(path, platform) {
  try {
    accessSync(path, platform === "win32" ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Full path of the first of `names` in `folders` (with Windows' executable extensions), or null. */
export function findIn(folders, names, { platform = process.platform, env = process.env } = {}) {
  const extensions = platform === "win32" ? (env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";").filter(Boolean) : [""];
  for (const folder of folders) {
    if (!folder) continue;
    for (const name of names) {
      // Windows and macOS file names ignore case: one spelling of each extension is enough.
      for (const extension of extensions) {
        const candidate = join(folder, name + extension.toLowerCase());
        if (isExecutable(candidate, platform)) return candidate;
      }
    }
  }
  return null;
}

/**
 * Where `program` is: `{ path, from }` with `from` "config", "path" or "folder" (found outside PATH),
 * or `{ path: null, configured }` when it is not found.
 */
export function locateProgram(program, configured, { platform = process.platform, env = process.env } = {}) {
  if (typeof configured === "string" && configured !== "") {
    return isExecutable(configured, platform) ? { path: configured, from: "config" } : { path: null, configured };
  }
  const pathFolders = (env.PATH ?? env.Path ?? "").split(delimiter);
  // Windows: tstunnel.exe is stunnel's console build, the one the bridge runs (stunnel.exe opens a tray window).
  const names = platform === "win32" && program === "stunnel" ? ["tstunnel", "stunnel"] : (PROGRAM_NAMES[program] ?? [program]);
  const onPath = findIn(pathFolders, names, { platform, env });
  if (onPath) return { path: onPath, from: "path" };
  const inFolder = findIn(WELL_KNOWN_FOLDERS[platform] ?? [], names, { platform, env });
  return inFolder ? { path: inFolder, from: "folder" } : { path: null };
}

/** Version and module facts from `nginx -V`. */
export function parseNginxVersionOutput(text) {
  const version = /nginx version: \S+?\/(\S+)/.exec(text)?.[1] ?? null;
  const option = (name) => new RegExp(`--${name}=("[^"]*"|\\S+)`).exec(text)?.[1]?.replace(/^"|"$/g, "") ?? null;
  return {
    version,
    rtmpBuiltIn: /--add-(dynamic-)?module=\S*rtmp/i.test(text),
    modulesPath: option("modules-path"),
    prefix: option("prefix"),
  };
}

/** Whether this nginx has the RTMP module, compiled in or as ngx_rtmp_module.so where the bridge looks. */
export function inspectNginx(nginxPath) {
  const result = spawnSync(nginxPath, ["-V"], { encoding: "utf8", windowsHide: true, timeout: 10_000 });
  const info = parseNginxVersionOutput(`${result.stdout ?? ""}\n${result.stderr ?? ""}`);
  if (info.rtmpBuiltIn) return { version: info.version, rtmp: true };
  const folders = [
    info.modulesPath,
    info.prefix && join(info.prefix, "modules"),
    join(dirname(nginxPath), "..", "lib", "nginx", "modules"),
    join(dirname(nginxPath), "modules"),
    "/usr/lib/nginx/modules",
    "/usr/lib64/nginx/modules",
    "/usr/local/lib/nginx/modules",
    "/opt/homebrew/lib/nginx/modules",
  ].filter(Boolean);
  const module = folders.map((folder) => join(folder, "ngx_rtmp_module.so")).find((file) => existsSync(file));
  return { version: info.version, rtmp: Boolean(module) };
}

/** The first line `ffmpeg -version` prints, e.g. "ffmpeg version 5.1.9 …", or null. */
export function ffmpegVersion(path) {
  const result = spawnSync(path, ["-version"], { encoding: "utf8", windowsHide: true, timeout: 10_000 });
  const line = (result.stdout ?? "").split("\n").find((text) => text.startsWith("ffmpeg version"));
  return line ? line.trim() : null;
}

/** What only the tests need, each `{ piece, ok, where }`: Chromium, openssl, ps, the DejaVu fonts, OBS and Xvfb. */
export function locateTestTools({ platform = process.platform, env = process.env } = {}) {
  const chromium = env.RELAY_CHROMIUM || "/usr/bin/chromium";
  const onPath = (name) => findIn((env.PATH ?? env.Path ?? "").split(delimiter), [name], { platform, env });
  const fonts = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  return [
    { piece: "chromium", name: "Chromium (page tests)", ok: existsSync(chromium), where: chromium },
    { piece: "openssl", name: "openssl (test certificates)", ok: Boolean(onPath("openssl")), where: onPath("openssl") ?? "" },
    { piece: "ps", name: "ps (process checks)", ok: Boolean(onPath("ps")), where: onPath("ps") ?? "" },
    { piece: "fonts", name: "DejaVu fonts (key pictures)", ok: existsSync(fonts), where: fonts },
    { piece: "obs", name: "OBS Studio and Xvfb (OBS tests)", ok: Boolean(onPath("obs") && onPath("Xvfb")), where: [onPath("obs"), onPath("Xvfb")].filter(Boolean).join(", ") },
  ];
}
