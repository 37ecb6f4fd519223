// Makes sure the built Companion module and bridge exist: `npm test` builds them first; a targeted run
// of one Companion test file builds what is missing here (only those entries of the repo's rollup config).

import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BRIDGE_ENTRY } from "../../../rig/bridge.js";
import { COMPANION_MODULE_DIR } from "./module-host.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

export async function ensureModuleAndBridgeBuilt(): Promise<void> {
  const missing = [
    ...(existsSync(join(COMPANION_MODULE_DIR, "main.js")) ? [] : ["companion/main.ts"]),
    ...(existsSync(BRIDGE_ENTRY) ? [] : ["bridge/main.ts"]),
  ];
  if (missing.length === 0) return;
  const { rollup } = await import("rollup");
  const configs = (await import(/* @vite-ignore */ new URL("../../../rollup.config.mjs", import.meta.url).href)).default as Array<{ input: string; output: object }>;
  // The config's paths are relative to the repository root, where vitest runs.
  if (process.cwd().replace(/[\\/]+$/, "") !== ROOT.replace(/[\\/]+$/, "")) throw new Error(`Run the tests from ${ROOT}`);
  for (const input of missing) {
    const config = configs.find((entry) => entry.input === input);
    if (!config) throw new Error(`rollup.config.mjs has no entry for ${input}`);
    const bundle = await rollup(config as never);
    await bundle.write(config.output as never);
    await bundle.close();
  }
}
