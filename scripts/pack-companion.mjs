#!/usr/bin/env node
// `npm run pack:companion`: the Companion module package (`dist/companion-module-relay-VERSION.tgz`) for
// Companion's "Import module package", made by @companion-module/tools' own build from the module
// folder `npm run build` wrote (dist/companion-module-relay/). It works in a temporary copy because the
// tools write `pkg/` and the .tgz into the folder they build.

import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const MODULE_DIR = join(ROOT, "dist", "companion-module-relay");

if (!existsSync(join(MODULE_DIR, "companion", "manifest.json"))) {
  console.error(`${MODULE_DIR} is missing: run npm run build first`);
  process.exit(1);
}

const require = createRequire(import.meta.url);
const toolsPackageFile = require.resolve("@companion-module/tools/package.json");
const tools = JSON.parse(readFileSync(toolsPackageFile, "utf8"));
const buildScript = join(dirname(toolsPackageFile), tools.bin["companion-module-build"]);

const work = mkdtempSync(join(tmpdir(), "relay-companion-pack-"));
try {
  for (const name of ["main.js", "package.json", "companion"]) cpSync(join(MODULE_DIR, name), join(work, name), { recursive: true });
  const built = spawnSync(process.execPath, [buildScript], { cwd: work, stdio: "inherit" });
  if (built.status !== 0) {
    console.error(`companion-module-build failed (exit ${built.status ?? built.signal})`);
    process.exit(1);
  }
  const tgz = readdirSync(work).find((name) => name.endsWith(".tgz"));
  if (!tgz) throw new Error("companion-module-build wrote no .tgz");
  const { version } = JSON.parse(readFileSync(join(MODULE_DIR, "package.json"), "utf8"));
  const target = join(ROOT, "dist", `companion-module-relay-${version}.tgz`);
  renameSync(join(work, tgz), target);
  console.log(`Companion module package: ${target}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
