// Finds the programs the bridge runs (nginx with its RTMP module, ffmpeg, stunnel) the way the
// bridge does, from the same program table: the config's `binaries` paths first, then PATH, then the
// usual install places. Plain Node with no dependencies: it runs before `npm ci`.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { findIn, parseNginxBuildInfo, rtmpModuleCandidates } from "../../bridge/binaries/programs.mjs";

export { locateProgram } from "../../bridge/binaries/programs.mjs";

/** The per-user config file the bridge uses when given no --config (docs/config.md). */
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

/** Whether this nginx has the RTMP module, compiled in or as ngx_rtmp_module.so where the bridge looks. */
export function inspectNginx(nginxPath) {
  const result = spawnSync(nginxPath, ["-V"], { encoding: "utf8", windowsHide: true, timeout: 10_000 });
  const info = parseNginxBuildInfo(`${result.stdout ?? ""}\n${result.stderr ?? ""}`);
  if (info.rtmpStatic) return { version: info.version, rtmp: true };
  return { version: info.version, rtmp: rtmpModuleCandidates(info, nginxPath).some((file) => existsSync(file)) };
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
