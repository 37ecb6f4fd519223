// A Debian 13 (trixie) root for the tests that need newer programs than the machine's Debian 12: ffmpeg 7.1
// (Enhanced RTMP: HEVC and AV1 over RTMP, an RTMP listener that records them) and OBS Studio 30.2 (it sends
// AV1). Built once with debootstrap from the Debian mirror apt already uses, into a cache folder outside
// the checkout (about 1.2 GB), checked at every run and built again when broken. Its programs run on the
// host's paths through small wrappers: a private mount namespace binds /tmp into the root, then chroot.
// Linux, as root only. Plain JavaScript: the set-up script runs it before any build; the tests' harness
// reads the same paths.

import { execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** What the tests install in the root (Debian package names). */
export const ROOT_PACKAGES = ["ffmpeg", "obs-studio", "xvfb", "xauth", "libgl1-mesa-dri"];

/** The cache folder: $RELAY_TEST_CACHE, else $XDG_CACHE_HOME/relay-tests, else ~/.cache/relay-tests. */
export function testCacheDir(env = process.env) {
  if (env.RELAY_TEST_CACHE) return env.RELAY_TEST_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "relay-tests");
}

/** Where the root, the folder it is built in, and its wrappers live. */
export function debian13Paths(cache = testCacheDir()) {
  const bin = join(cache, "debian13-bin");
  return {
    root: join(cache, "debian13-root"),
    building: join(cache, "debian13-root.build"),
    bin,
    ffmpeg: join(bin, "ffmpeg7"),
    ffprobe: join(bin, "ffprobe7"),
    obs: join(bin, "obs7"),
  };
}

/** The wrapper's text: runs /usr/bin/NAME of the root (NAME = its own name less the trailing 7) on host paths. */
export function wrapperScript(root) {
  return `#!/bin/sh
# Runs the Debian 13 root's program of this name (less its trailing 7) on the host's paths: a private mount
# namespace binds /tmp into the root (nothing stays mounted), then chroot; the caller's pid is the program's.
ROOT='${root.replace(/'/g, "'\\''")}'
PROG=$(basename "$0"); PROG=\${PROG%7}
exec /usr/bin/unshare --mount --propagation private /bin/sh -c '
  R=$1; shift
  mount -t proc proc "$R/proc" && mount --bind /tmp "$R/tmp" || exit 126
  exec /usr/sbin/chroot "$R" /bin/sh -c "cd \\"\\$1\\" 2>/dev/null || cd /; shift; exec \\"\\$@\\"" sh "$@"
' sh "$ROOT" "$PWD" "/usr/bin/$PROG" "$@"
`;
}

/** The first Debian mirror in apt's sources (deb822 `URIs:` or a `deb URL suite` line); null when none. */
export function debianMirror(texts) {
  for (const text of texts) {
    for (const match of text.matchAll(/^URIs:\s*(\S+)/gim)) if (!/security/.test(match[1])) return match[1];
    for (const match of text.matchAll(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+\S+/gm)) if (!/security/.test(match[1])) return match[1];
  }
  return null;
}

function aptSources() {
  const texts = [];
  const dir = "/etc/apt/sources.list.d";
  if (existsSync(dir)) for (const name of readdirSync(dir).sort()) if (/\.(sources|list)$/.test(name)) texts.push(readFileSync(join(dir, name), "utf8"));
  if (existsSync("/etc/apt/sources.list")) texts.push(readFileSync("/etc/apt/sources.list", "utf8"));
  return texts;
}

/** Why the root cannot be used as it is, or null when it is ready (its wrappers written). */
export function checkDebian13Root(paths = debian13Paths()) {
  if (process.platform !== "linux") return "the Debian 13 test root runs on Linux only";
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return "the Debian 13 test root needs root (it runs its programs through chroot)";
  for (const program of ["ffmpeg", "ffprobe", "obs", "Xvfb"]) {
    if (!existsSync(join(paths.root, "usr/bin", program))) return `the Debian 13 test root at ${paths.root} has no ${program}`;
  }
  writeWrappers(paths);
  try {
    const text = execFileSync(paths.ffmpeg, ["-hide_banner", "-version"], { encoding: "utf8", timeout: 20_000 });
    const major = Number(/^ffmpeg version n?(\d+)\./m.exec(text)?.[1] ?? 0);
    if (major < 7) return `the Debian 13 test root's ffmpeg is not 7 or newer (${text.split("\n")[0]})`;
  } catch (error) {
    return `the Debian 13 test root's ffmpeg does not run: ${error.message.split("\n")[0]}`;
  }
  return null;
}

function writeWrappers(paths) {
  mkdirSync(paths.bin, { recursive: true });
  writeFileSync(paths.ffmpeg, wrapperScript(paths.root));
  chmodSync(paths.ffmpeg, 0o755);
  for (const link of [paths.ffprobe, paths.obs]) {
    rmSync(link, { force: true });
    symlinkSync("ffmpeg7", link);
  }
}

/**
 * Makes the root ready: checked, and built (debootstrap, then the packages) when missing or broken.
 * `say` prints a line; resolves to null when ready, else why not.
 */
export async function ensureDebian13Root({ say = (line) => process.stdout.write(`${line}\n`), paths = debian13Paths() } = {}) {
  const problem = checkDebian13Root(paths);
  if (problem === null) return null;
  if (/Linux only|needs root/.test(problem)) return problem;
  say(`  building the Debian 13 test root (${problem}); once, about 1.2 GB, several minutes`);
  const mirror = debianMirror(aptSources());
  if (!mirror) return "no Debian mirror found in apt's sources (/etc/apt/sources.list.d): cannot build the Debian 13 test root";
  if (!existsSync("/usr/sbin/debootstrap")) {
    const code = await run("apt-get", ["install", "-y", "--no-install-recommends", "debootstrap"], say);
    if (code !== 0) return "could not install debootstrap (apt-get install debootstrap)";
  }
  rmSync(paths.building, { recursive: true, force: true });
  mkdirSync(paths.building, { recursive: true });
  const steps = [
    ["/usr/sbin/debootstrap", ["--variant=minbase", "trixie", paths.building, mirror]],
    [
      "/usr/bin/unshare",
      [
        "--mount", "--propagation", "private", "/bin/sh", "-c",
        'R=$1; shift; mount -t proc proc "$R/proc" && chroot "$R" apt-get update && DEBIAN_FRONTEND=noninteractive chroot "$R" apt-get install -y --no-install-recommends "$@"',
        "sh", paths.building, ...ROOT_PACKAGES,
      ],
    ],
  ];
  for (const [command, args] of steps) {
    const code = await run(command, args, say);
    if (code !== 0) return `building the Debian 13 test root failed (${command} exited with ${code}): see its messages above`;
  }
  // Built aside and renamed when whole, so a half-built root is never taken for one.
  const shelf = `${paths.root}.old`;
  rmSync(shelf, { recursive: true, force: true });
  if (existsSync(paths.root)) renameSync(paths.root, shelf);
  renameSync(paths.building, paths.root);
  rmSync(shelf, { recursive: true, force: true });
  return checkDebian13Root(paths);
}

function run(command, args, say) {
  say(`$ ${command} ${args.join(" ")}`);
  return new Promise((done) => {
    const child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    child.once("error", (error) => {
      say(`could not run ${command}: ${error.message}`);
      done(127);
    });
    child.once("exit", (code) => done(code ?? 1));
  });
}
