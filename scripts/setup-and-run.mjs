#!/usr/bin/env node
// `npm run relay`: from a fresh clone to a running bridge. Checks for nginx with the RTMP module,
// ffmpeg and stunnel (on Debian/Ubuntu as root it installs what is missing with apt-get; elsewhere
// it says exactly what to install and stops), runs `npm ci` when node_modules is missing, builds
// when the build is missing or older than the sources, then runs the bridge with the arguments
// given (`npm run relay -- --port 9000`) and exits with its exit code.
// `--check` only reports and installs nothing. `--test` sets up what the tests need as well
// (Chromium, openssl, ps, fonts) and runs `npm test` instead of the bridge.
// Plain Node, no dependencies: it runs before `npm ci`.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { configuredBinaries, defaultConfigFile, ffmpegVersion, inspectNginx, locateProgram, locateTestTools } from "./setup/find-programs.mjs";
import { installAdvice } from "../bridge/binaries/programs.mjs";
import { BRIDGE_NODE_FLAGS } from "../bridge/launch/node-flags.mjs";
import { npmCommand } from "./setup/npm-command.mjs";
import { debian13Paths, ensureDebian13Root } from "./setup/debian13-root.mjs";
import { bundlesFor } from "./build/bundles.mjs";
import { buildLine, staleBundles } from "./build/build-freshness.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const BRIDGE = join(ROOT, "dist", "relay-bridge.js");

const say = (text) => process.stdout.write(`${text}\n`);

/** Runs a program with the terminal attached; resolves with its exit code. */
function run(command, args, options = {}) {
  say(`$ ${[command, ...args].map((part) => (/[\s"]/.test(part) ? JSON.stringify(part) : part)).join(" ")}`);
  return new Promise((done) => {
    const child = spawn(command, args, { stdio: "inherit", windowsHide: false, ...options });
    child.once("error", (error) => {
      process.stderr.write(`${command}: ${error.message}\n`);
      done(127);
    });
    child.once("exit", (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

/**
 * Runs a program with its output held back; on success prints it, on failure only its first
 * error lines (npm ci follows its one-line reason with its whole usage text).
 */
function runHeld(command, args, options = {}) {
  say(`$ ${[command, ...args].join(" ")}`);
  return new Promise((done) => {
    let output = "";
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], windowsHide: true, ...options });
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.once("error", (error) => {
      process.stderr.write(`${command}: ${error.message}\n`);
      done(127);
    });
    child.once("close", (code, signal) => {
      const status = code ?? (signal ? 1 : 0);
      if (status === 0) process.stdout.write(output);
      else {
        const lines = output.split(/\r?\n/);
        const reason = lines.filter((line) => /^npm (error|ERR!) \S/.test(line)).slice(0, 6);
        say((reason.length > 0 ? reason : lines.slice(-10)).join("\n"));
      }
      done(status);
    });
  });
}

/** The config file the bridge will read, for its `binaries` paths. */
function configFileFor(args) {
  const index = args.findIndex((arg) => arg === "--config" || arg.startsWith("--config="));
  if (index >= 0) return resolve(args[index].includes("=") ? args[index].slice("--config=".length) : (args[index + 1] ?? ""));
  if (process.env.RELAY_CONFIG) return resolve(process.env.RELAY_CONFIG);
  return defaultConfigFile(process.platform, process.env, homedir());
}

/**
 * Looks for each program. Returns what is missing (to install), the `binaries` paths of the config
 * that point at nothing (to fix), and folders to add to the bridge's PATH.
 */
function checkPrograms(binaries, forTests) {
  const missing = [];
  const broken = [];
  const extraPath = new Set();
  const report = (ok, name, text = "") => say(`  ${ok ? "ok     " : "missing"}  ${name}${text ? `  ${text}` : ""}`);
  const where = (found) => {
    if (found.from === "place") extraPath.add(dirname(found.path));
    return found.from === "config" ? `${found.path} (binaries.${found.program} in the config)` : found.path;
  };
  const locate = (program) => {
    const found = { ...locateProgram(program, binaries[program]), program };
    if (found.configured) broken.push(`binaries.${program} is "${found.configured}", which does not exist: fix the path or set it to "" to look on PATH`);
    return found;
  };

  const nginx = locate("nginx");
  if (!nginx.path) {
    if (!nginx.configured) missing.push("nginx");
    report(false, "nginx with the RTMP module");
  } else {
    const info = inspectNginx(nginx.path);
    if (info.rtmp) report(true, `nginx ${info.version ?? ""} with the RTMP module`, where(nginx));
    else {
      missing.push("rtmp");
      report(false, "nginx with the RTMP module", `${where(nginx)} has no RTMP module`);
    }
  }

  const ffmpeg = locate("ffmpeg");
  if (ffmpeg.path) report(true, (ffmpegVersion(ffmpeg.path) ?? "ffmpeg").replace(/^ffmpeg version (\S+).*/, "ffmpeg $1"), where(ffmpeg));
  else {
    if (!ffmpeg.configured) missing.push("ffmpeg");
    report(false, "ffmpeg");
  }

  const stunnel = locate("stunnel");
  if (stunnel.path) report(true, "stunnel", where(stunnel));
  else {
    if (!stunnel.configured) missing.push("stunnel");
    report(false, "stunnel", forTests ? "" : "(needed only by RTMPS destinations that go through stunnel)");
  }
  if (forTests) {
    for (const tool of locateTestTools()) {
      report(tool.ok, tool.name, tool.ok ? tool.where : "");
      if (!tool.ok) missing.push(tool.piece);
    }
  }
  return { missing, broken, extraPath: [...extraPath] };
}

/** Why the bridge must be built first, or null when what it needs is built and up to date. */
function buildReason() {
  const stale = staleBundles(ROOT, bundlesFor("dist/relay-bridge.js"));
  return stale.length === 0 ? null : buildLine(stale).replace(/^building /, "").replace(/…$/, "");
}

async function main() {
  const args = process.argv.slice(2);
  const checkOnly = args.includes("--check");
  const forTests = args.includes("--test");
  const bridgeArgs = args.filter((arg) => arg !== "--check" && arg !== "--test");

  const command = forTests ? "npm run relay -- --test" : "npm run relay";
  say(`Relay: checking what the bridge${forTests ? " and its tests" : ""} need${forTests ? "" : "s"}`);
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  if (major < 20 || (major === 20 && minor < 5)) {
    say(`  missing  Node.js 20.5 or newer (this is ${process.version}): https://nodejs.org`);
    return 1;
  }
  say(`  ok       Node.js ${process.version}`);

  const configFile = configFileFor(bridgeArgs);
  const binaries = configuredBinaries(configFile);
  let { missing, broken, extraPath } = checkPrograms(binaries, forTests);
  const advice = installAdvice({
    missing,
    platform: process.platform,
    isRoot: typeof process.getuid === "function" && process.getuid() === 0,
    hasAptGet: process.platform === "linux" && existsSync("/usr/bin/apt-get"),
    hasBrew: process.platform === "darwin" && Boolean(locateProgram("brew", "").path),
  });

  if (advice.run && checkOnly) {
    say(`\nMissing programs: \`${command}\` would install them (as root) with:`);
    for (const [command, ...rest] of advice.run) say(`  ${command} ${rest.join(" ")}`);
    return 1;
  }
  if (advice.run) {
    say("\nInstalling the missing programs with apt-get:");
    for (const [command, ...rest] of advice.run) {
      const code = await run(command, rest, { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
      if (code !== 0) {
        say(`\n${command} ${rest.join(" ")} failed (exit code ${code}): see its messages above.`);
        return code;
      }
    }
    say("\nChecking again:");
    ({ missing, broken, extraPath } = checkPrograms(binaries, forTests));
  }

  // The bridge runs without stunnel (only RTMPS through stunnel needs it); the tests do not.
  const blocking = forTests ? missing : missing.filter((piece) => piece !== "stunnel");
  if (broken.length > 0) {
    say(`\nIn ${configFile}:`);
    for (const problem of broken) say(`  ${problem}`);
  }
  if (missing.length > 0 && !advice.run) {
    say(`\n${blocking.length > 0 ? "Install" : "Optional (RTMPS through stunnel): install"} what is missing${blocking.length > 0 ? `, then run \`${command}\` again` : ""}:`);
    for (const step of advice.steps) say(`  ${step}`);
    say("Every OS in detail: docs/install.md");
  }
  if (blocking.length > 0 || broken.some((problem) => !problem.startsWith("binaries.stunnel"))) return 1;

  if (checkOnly) {
    const reason = existsSync(join(ROOT, "node_modules")) ? buildReason() : "node_modules is missing";
    const first = !reason ? "" : reason.startsWith("node_modules") ? "first installs the dependencies, then " : `first builds (${reason}), then `;
    say(`\nReady: \`${command}\` ${first}${forTests ? "runs the tests" : "starts the bridge"}.`);
    return 0;
  }

  const env = { ...process.env };
  if (extraPath.length > 0) {
    // nginx in /usr/sbin is not on a normal user's PATH: let the bridge (and the tests) find it where it was found here.
    const key = Object.keys(env).find((name) => name.toUpperCase() === "PATH") ?? "PATH";
    env[key] = [env[key], ...extraPath].filter(Boolean).join(delimiter);
  }
  const npm = npmCommand();
  if (!existsSync(join(ROOT, "node_modules"))) {
    say("\nInstalling the dependencies (npm ci; it also builds):");
    let code = await runHeld(npm[0], [...npm.slice(1), "ci", "--no-audit", "--no-fund"], { cwd: ROOT });
    if (code !== 0) {
      // npm ci refuses a lock file that lacks other platforms' optional packages; npm install copes.
      say("\nnpm ci refused (above); installing with npm install instead:");
      code = await run(npm[0], [...npm.slice(1), "install", "--no-audit", "--no-fund"], { cwd: ROOT });
      if (code !== 0) return code;
    }
  }
  if (forTests && process.platform === "linux") {
    // HEVC, AV1 and the real OBS 30.2 are tested with Debian 13's ffmpeg and OBS (Debian 12's cannot send them).
    say("\nThe Debian 13 test root (ffmpeg 7.1, OBS 30.2):");
    const problem = await ensureDebian13Root({ say });
    say(problem === null ? `  ok       ${debian13Paths().root}` : `  missing  ${problem}: the tests that need it fail in CI and are skipped, said, elsewhere`);
  }
  if (forTests) {
    say("\nRunning every test (npm test builds first):");
    return run(npm[0], [...npm.slice(1), "test"], { cwd: ROOT, env });
  }
  const stale = staleBundles(ROOT, bundlesFor("dist/relay-bridge.js"));
  if (stale.length > 0) {
    say(`\n${buildLine(stale)}`);
    const rollup = join(ROOT, "node_modules", "rollup", "dist", "bin", "rollup");
    const only = { ...process.env, RELAY_BUNDLES: stale.map((bundle) => bundle.name).join(",") };
    const code = await run(process.execPath, [rollup, "-c", "rollup.config.mjs", "--silent"], { cwd: ROOT, env: only });
    if (code !== 0) return code;
  }

  say("\nStarting the bridge (Ctrl-C stops it):");
  const child = spawn(process.execPath, [...BRIDGE_NODE_FLAGS, BRIDGE, ...bridgeArgs], { stdio: "inherit", env, cwd: ROOT });
  // A terminal's Ctrl-C reaches the bridge directly; signals sent to this process alone are passed on.
  // Windows has no such signals: the console's Ctrl-C reaches both processes.
  const forward = (signal) => {
    if (process.platform !== "win32" && child.exitCode === null) child.kill(signal);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => forward(signal));
  return new Promise((done) => {
    child.once("error", (error) => {
      process.stderr.write(`could not start the bridge: ${error.message}\n`);
      done(1);
    });
    child.once("exit", (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`relay set-up: ${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
