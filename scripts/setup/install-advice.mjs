// What to install when programs are missing, per OS: the apt-get commands to run (Debian/Ubuntu
// as root), or the exact steps to show. Pure: the set-up script decides, this only says.

/** Debian/Ubuntu packages for each missing piece ("rtmp": nginx is there, its module is not). */
const APT_PACKAGES = {
  nginx: ["nginx", "libnginx-mod-rtmp"],
  rtmp: ["libnginx-mod-rtmp"],
  ffmpeg: ["ffmpeg"],
  stunnel: ["stunnel4"],
  // What only the tests use: the browser for the page tests, certificates made at test time,
  // `ps` to look for processes left behind, and the fonts the pictures are checked with.
  chromium: ["chromium"],
  openssl: ["openssl"],
  ps: ["procps"],
  fonts: ["fonts-dejavu-core"],
  // The real OBS Studio, headless under Xvfb with software rendering, for the OBS tests.
  obs: ["obs-studio", "xvfb", "xauth", "libgl1-mesa-dri"],
};

/** Pieces only the tests need. */
export const TEST_PIECES = ["chromium", "openssl", "ps", "fonts", "obs"];

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
  if (platform === "darwin") return { steps: [...macSteps(missing, hasBrew), ...testsOnly] };
  if (platform === "win32") return { steps: [...windowsSteps(missing), ...testsOnly] };
  return { steps: [...otherSteps(missing), ...testsOnly] };
}

function macSteps(missing, hasBrew) {
  const steps = hasBrew ? [] : ["Install Homebrew first (https://brew.sh), then:"];
  if (missing.includes("rtmp")) steps.push("brew uninstall nginx   # the Homebrew nginx has no RTMP module; nginx-full below replaces it");
  if (missing.includes("nginx") || missing.includes("rtmp")) {
    steps.push("brew tap denji/nginx && brew install nginx-full --with-rtmp-module");
  }
  const plain = ["ffmpeg", "stunnel"].filter((name) => missing.includes(name));
  if (plain.length > 0) steps.push(`brew install ${plain.join(" ")}`);
  return steps;
}

function windowsSteps(missing) {
  const steps = [];
  if (missing.includes("nginx") || missing.includes("rtmp")) {
    steps.push(
      "nginx with the RTMP module: download a Windows build that has it compiled in (e.g. https://github.com/illuspas/nginx-rtmp-win32," +
        " Code → Download ZIP) and unzip it so that C:\\nginx\\nginx.exe exists (or set binaries.nginx in the config to its nginx.exe)",
    );
  }
  if (missing.includes("ffmpeg")) steps.push("winget install --exact --id Gyan.FFmpeg   (then open a new terminal so ffmpeg is on PATH)");
  if (missing.includes("stunnel")) {
    steps.push("stunnel: run the win64 installer from https://www.stunnel.org/downloads.html (it installs to C:\\Program Files (x86)\\stunnel)");
  }
  return steps;
}

function otherSteps(missing) {
  const steps = [];
  if (missing.includes("nginx") || missing.includes("rtmp")) {
    steps.push(
      "nginx and its RTMP module from your distribution (the module's package is usually named libnginx-mod-rtmp or nginx-mod-rtmp)," +
        " or nginx built with https://github.com/arut/nginx-rtmp-module",
    );
  }
  if (missing.includes("ffmpeg")) steps.push("ffmpeg from your distribution (Fedora: enable RPM Fusion first)");
  if (missing.includes("stunnel")) steps.push("stunnel from your distribution (package stunnel)");
  return steps;
}
