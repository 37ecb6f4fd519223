// The one table of the programs Relay runs (nginx with its RTMP module, ffmpeg, stunnel) and of the
// tools its tests use: the names each goes by per OS, where to look after PATH, and how to install it
// per OS (apt, Homebrew, Windows, anything else). The bridge reads it (rollup bundles it) and so does
// the set-up script (`npm run relay`), which runs before `npm ci` and any build: so this is plain
// JavaScript with no dependencies, and its types are in programs.d.mts.

import { accessSync, constants } from "node:fs";
import { delimiter, dirname, join, posix, win32 } from "node:path";

/**
 * Each program: `names` (most wanted first; Windows adds .exe), `places` (files tried after PATH, per
 * OS; `%LOCALAPPDATA%` is filled in from the environment, and a place under an unset variable is
 * skipped) and `install` (Debian/Ubuntu packages, the Homebrew formula or command, the Windows step,
 * the step for any other OS).
 */
export const PROGRAMS = {
  nginx: {
    label: "nginx with the RTMP module",
    names: { posix: ["nginx"], win32: ["nginx"] },
    places: {
      // nginx lives in sbin, which an ordinary user's PATH (and a systemd user unit's) leaves out.
      linux: ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"],
      // Homebrew on Apple silicon (/opt/homebrew) first, then Homebrew on Intel (/usr/local), then MacPorts.
      darwin: [
        "/opt/homebrew/bin/nginx", "/opt/homebrew/sbin/nginx", "/usr/local/bin/nginx", "/usr/local/sbin/nginx",
        "/opt/local/sbin/nginx", "/opt/local/bin/nginx",
      ],
      win32: ["C:\\nginx\\nginx.exe"],
    },
    install: {
      apt: ["nginx", "libnginx-mod-rtmp"],
      brew: { command: "brew tap denji/nginx && brew install nginx-full --with-rtmp-module" },
      windows:
        "download a Windows build of nginx with the RTMP module compiled in (e.g. https://github.com/illuspas/nginx-rtmp-win32," +
        " Code → Download ZIP) and unzip it so that C:\\nginx\\nginx.exe exists (or set binaries.nginx in the config to its nginx.exe)",
      other:
        "install nginx and its RTMP module from your distribution (the module's package is usually named libnginx-mod-rtmp or" +
        " nginx-mod-rtmp), or nginx built with https://github.com/arut/nginx-rtmp-module, and set binaries.nginx when it is not on PATH",
    },
  },
  ffmpeg: {
    label: "ffmpeg",
    names: { posix: ["ffmpeg"], win32: ["ffmpeg"] },
    places: {
      linux: ["/usr/local/bin/ffmpeg"],
      darwin: ["/opt/homebrew/bin/ffmpeg", "/usr/local/bin/ffmpeg", "/opt/local/bin/ffmpeg"],
      // winget puts a link to each program it installs in this folder.
      win32: ["C:\\ffmpeg\\bin\\ffmpeg.exe", "%LOCALAPPDATA%\\Microsoft\\WinGet\\Links\\ffmpeg.exe"],
    },
    install: {
      apt: ["ffmpeg"],
      brew: { formula: "ffmpeg" },
      windows:
        "winget install --exact --id Gyan.FFmpeg (then open a new terminal so ffmpeg is on PATH; or unzip an ffmpeg build and set" +
        " binaries.ffmpeg to its ffmpeg.exe)",
      other: "install ffmpeg from your distribution (Fedora: enable RPM Fusion first), and set binaries.ffmpeg when it is not on PATH",
    },
  },
  stunnel: {
    label: "stunnel",
    // Debian calls it stunnel4. Windows: tstunnel.exe is stunnel's console build (stunnel.exe opens a tray window).
    names: { posix: ["stunnel", "stunnel4", "stunnel5"], win32: ["tstunnel", "stunnel"] },
    places: {
      linux: ["/usr/bin/stunnel4", "/usr/sbin/stunnel", "/usr/local/bin/stunnel"],
      darwin: ["/opt/homebrew/bin/stunnel", "/usr/local/bin/stunnel", "/opt/local/bin/stunnel"],
      win32: [
        "C:\\Program Files (x86)\\stunnel\\bin\\tstunnel.exe",
        "C:\\Program Files\\stunnel\\bin\\tstunnel.exe",
        "C:\\Program Files (x86)\\stunnel\\bin\\stunnel.exe",
      ],
    },
    install: {
      apt: ["stunnel4"],
      brew: { formula: "stunnel" },
      windows: "run the win64 installer from https://www.stunnel.org/downloads.html (it installs to C:\\Program Files (x86)\\stunnel, where the bridge looks)",
      other: "install stunnel from your distribution (package stunnel), and set binaries.stunnel when it is not on PATH",
    },
  },
  // Not run by the bridge: the set-up script looks for it on macOS to say how to install the others.
  brew: {
    label: "Homebrew",
    names: { posix: ["brew"], win32: [] },
    places: { darwin: ["/opt/homebrew/bin/brew", "/usr/local/bin/brew"] },
    install: {},
  },
};

/**
 * The pieces `npm run relay` may find missing, in the order their Debian/Ubuntu packages are installed:
 * the programs, "rtmp" (nginx is there, its module is not) and what only the tests use (the browser
 * for the page tests, certificates made at test time, `ps` to look for processes left behind, the
 * fonts the pictures are checked with, and the real OBS Studio headless under Xvfb).
 */
const APT_PACKAGES = {
  nginx: PROGRAMS.nginx.install.apt,
  rtmp: ["libnginx-mod-rtmp"],
  ffmpeg: PROGRAMS.ffmpeg.install.apt,
  stunnel: PROGRAMS.stunnel.install.apt,
  chromium: ["chromium"],
  openssl: ["openssl"],
  ps: ["procps"],
  fonts: ["fonts-dejavu-core"],
  obs: ["obs-studio", "xvfb", "xauth", "libgl1-mesa-dri"],
};

/** Pieces only the tests need. */
export const TEST_PIECES = ["chromium", "openssl", "ps", "fonts", "obs"];

/** The names `program` goes by on `platform`, most wanted first (without Windows' .exe). */
export function binaryNames(program, platform) {
  const names = PROGRAMS[program]?.names;
  if (!names) return [program];
  return platform === "win32" ? names.win32 : names.posix;
}

/**
 * Files tried after PATH, for a bridge started with a short PATH (a launchd agent, a systemd user
 * unit, the Stream Deck app's Node started before an install changed PATH).
 */
export function wellKnownPaths(program, { platform, env }) {
  const places = PROGRAMS[program]?.places?.[platform] ?? [];
  const pathOf = platform === "win32" ? win32 : posix;
  return places.flatMap((place) => {
    const variable = /^%(\w+)%/.exec(place);
    if (!variable) return [place];
    const value = env[variable[1]];
    return value ? [pathOf.join(value, place.slice(variable[0].length))] : [];
  });
}

/** The install command or step for `program` on `platform`: one line, shown wherever it is missing. */
export function installHint(program, platform = process.platform) {
  const install = PROGRAMS[program].install;
  if (platform === "linux") return `sudo apt-get install ${install.apt.join(" ")} (Debian/Ubuntu)`;
  if (platform === "darwin") return install.brew.command ?? `brew install ${install.brew.formula}`;
  if (platform === "win32") return install.windows;
  return install.other;
}

/** The Debian/Ubuntu packages that provide `missing`, without repeats, in a stable order. */
export function aptPackages(missing) {
  const packages = [];
  for (const piece of Object.keys(APT_PACKAGES)) {
    if (!missing.includes(piece)) continue;
    for (const name of APT_PACKAGES[piece]) if (!packages.includes(name)) packages.push(name);
  }
  return packages;
}

/**
 * The advice for `missing` (some of "nginx", "rtmp", "ffmpeg", "stunnel" and, for the tests,
 * "chromium", "openssl", "ps", "fonts", "obs") on this machine:
 * `{ run: [[command, ...args], …] }` when the set-up may install them itself, else `{ steps: [text, …] }`.
 */
export function installAdvice({ missing, platform, isRoot = false, hasAptGet = false, hasBrew = false }) {
  if (missing.length === 0) return { steps: [] };
  if (platform === "linux" && hasAptGet) {
    const packages = aptPackages(missing);
    if (isRoot) return { run: [["apt-get", "update"], ["apt-get", "install", "-y", ...packages]] };
    return { steps: [`sudo apt-get update && sudo apt-get install -y ${packages.join(" ")}`] };
  }
  const testsOnly = missing.some((piece) => TEST_PIECES.includes(piece))
    ? ["The tests drive Debian's nginx RTMP module, /usr/bin/chromium, OBS Studio under Xvfb, openssl and ps: run them on Debian or Ubuntu (a VM or a container will do)"]
    : [];
  const programs = ["nginx", "ffmpeg", "stunnel"].filter((program) => missing.includes(program) || (program === "nginx" && missing.includes("rtmp")));
  if (platform === "darwin") {
    const steps = hasBrew ? [] : ["Install Homebrew first (https://brew.sh), then:"];
    if (missing.includes("rtmp")) steps.push("brew uninstall nginx   # the Homebrew nginx has no RTMP module; nginx-full below replaces it");
    const brews = programs.map((program) => PROGRAMS[program].install.brew);
    for (const brew of brews) if (brew.command) steps.push(brew.command);
    const formulae = brews.flatMap((brew) => (brew.formula ? [brew.formula] : []));
    if (formulae.length > 0) steps.push(`brew install ${formulae.join(" ")}`);
    return { steps: [...steps, ...testsOnly] };
  }
  const step = (program) => `${PROGRAMS[program].label}: ${platform === "win32" ? PROGRAMS[program].install.windows : PROGRAMS[program].install.other}`;
  return { steps: [...programs.map(step), ...testsOnly] };
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
 * Where `program` is, looked for as the bridge does (synchronously, for scripts): `{ path, from }` with
 * `from` "config" (the `configured` path), "path" or "place" (a well-known file outside PATH), or
 * `{ path: null, configured }` when a configured path points at nothing, or `{ path: null }`.
 */
export function locateProgram(program, configured, { platform = process.platform, env = process.env } = {}) {
  if (typeof configured === "string" && configured !== "") {
    return isExecutable(configured, platform) ? { path: configured, from: "config" } : { path: null, configured };
  }
  const pathFolders = (env.PATH ?? env.Path ?? "").split(delimiter);
  const onPath = findIn(pathFolders, binaryNames(program, platform), { platform, env });
  if (onPath) return { path: onPath, from: "path" };
  const place = wellKnownPaths(program, { platform, env }).find((candidate) => isExecutable(candidate, platform));
  return place ? { path: place, from: "place" } : { path: null };
}

/** Version and build facts from `nginx -V`: whether the RTMP module is compiled in, its modules path and prefix. */
export function parseNginxBuildInfo(text) {
  const version = /nginx version: \S+?\/(\S+)/.exec(text)?.[1] ?? null;
  const option = (name) => new RegExp(`--${name}=("[^"]*"|\\S+)`).exec(text)?.[1]?.replace(/^"|"$/g, "") ?? null;
  // A module added with --add-dynamic-module is a file to load, looked for below like Debian's.
  const rtmpStatic = /--add-module=\S*rtmp/i.test(text);
  return { version, rtmpStatic, modulesPath: option("modules-path"), prefix: option("prefix") };
}

/** Files a dynamic ngx_rtmp_module.so may be, most likely first, for the nginx at `nginxBinary`. */
export function rtmpModuleCandidates(info, nginxBinary) {
  const folders = [
    info.modulesPath,
    info.prefix ? join(info.prefix, "modules") : null,
    join(dirname(nginxBinary), "..", "lib", "nginx", "modules"),
    join(dirname(nginxBinary), "modules"),
    "/usr/lib/nginx/modules",
    "/usr/lib64/nginx/modules",
    "/usr/local/lib/nginx/modules",
    "/opt/homebrew/lib/nginx/modules",
  ];
  return [...new Set(folders.filter(Boolean).map((folder) => join(folder, "ngx_rtmp_module.so")))];
}
