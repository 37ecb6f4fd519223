// `npm start` and `npm run demo`: build what the program needs and is out of date (nothing, when no
// source, lock file or build config changed since the last build), then run the program in THIS process. npm starts a script
// through a shell and forwards SIGINT/SIGTERM to that shell only; the shell dies of it and the program
// below it would run on, orphaned. So the program runs here, in the process the shell started, and
// when the shell goes away (it was signalled) the program gets the SIGTERM itself and stops cleanly.
//
//   node scripts/run-after-build.mjs dist/relay-bridge.js [its arguments]
//   node scripts/run-after-build.mjs scripts/demo.ts [its arguments]     (TypeScript through tsx)
//
// RELAY_NO_BUILD=1 skips the check and the build (the tests' way to run what is built already).

import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { bundlesFor } from "./build/bundles.mjs";
import { buildLine, staleBundles } from "./build/build-freshness.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

const [program, ...args] = process.argv.slice(2);
if (!program) {
  process.stderr.write("usage: node scripts/run-after-build.mjs PROGRAM [ARGS…]\n");
  process.exit(2);
}

if (process.env.RELAY_NO_BUILD !== "1") {
  const stale = staleBundles(ROOT, bundlesFor(relative(ROOT, resolve(program))));
  if (stale.length > 0) {
    process.stdout.write(`${buildLine(stale)}\n`);
    const rollup = createRequire(import.meta.url).resolve("rollup/dist/bin/rollup");
    const build = spawnSync(process.execPath, [rollup, "-c", "rollup.config.mjs", "--silent"], {
      cwd: ROOT,
      stdio: "inherit",
      env: { ...process.env, RELAY_BUNDLES: stale.map((bundle) => bundle.name).join(",") },
    });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
}

// The shell between npm and this process dies of the signal npm forwards: pass it on. (On Windows a
// process's parent id never changes, and npm stops its children itself.)
const parent = process.ppid;
const parentWatch = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(parentWatch);
  process.kill(process.pid, "SIGTERM");
}, 200);
parentWatch.unref();

// The program reads its arguments from process.argv as if started directly.
const file = resolve(program);
process.argv = [process.argv[0], file, ...args];
if (file.endsWith(".ts")) {
  const { register } = await import("tsx/esm/api");
  register();
}
await import(pathToFileURL(file).href);
