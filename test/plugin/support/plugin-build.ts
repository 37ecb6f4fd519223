// Makes sure the built plugin exists: `npm test` builds it first; a targeted run of one plugin test
// file builds it here (only the plugin's entries of the repo's rollup config: its code and its
// settings panels' script).

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PLUGIN_DIR, PLUGIN_ENTRY } from "../../../rig/stream-deck-host.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const BUILT = [
  { input: "src/plugin.ts", file: PLUGIN_ENTRY },
  { input: "src/inspector-ui/inspector-page.ts", file: `${PLUGIN_DIR}/ui/inspector.js` },
];

export async function ensurePluginBuilt(): Promise<void> {
  const missing = BUILT.filter((one) => !existsSync(one.file));
  if (missing.length === 0) return;
  const { rollup } = await import("rollup");
  const configs = (await import(/* @vite-ignore */ new URL("../../../rollup.config.mjs", import.meta.url).href)).default as Array<{ input: string; output: object }>;
  // The config's paths are relative to the repository root, where vitest runs.
  if (process.cwd().replace(/[\\/]+$/, "") !== ROOT.replace(/[\\/]+$/, "")) throw new Error(`Run the tests from ${ROOT}`);
  for (const { input } of missing) {
    const config = configs.find((one) => one.input === input);
    if (!config) throw new Error(`rollup.config.mjs has no entry for ${input}`);
    const bundle = await rollup(config as never);
    await bundle.write(config.output as never);
    await bundle.close();
  }
}
