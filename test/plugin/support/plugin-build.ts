// Makes sure the built plugin exists: `npm test` builds it first; a targeted run of one plugin test
// file builds it here (only the plugin entry of the repo's rollup config).

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PLUGIN_ENTRY } from "../../harness/stream-deck-host.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

export async function ensurePluginBuilt(): Promise<void> {
  if (existsSync(PLUGIN_ENTRY)) return;
  const { rollup } = await import("rollup");
  const configs = (await import(/* @vite-ignore */ new URL("../../../rollup.config.mjs", import.meta.url).href)).default as Array<{ input: string; output: object }>;
  const plugin = configs.find((config) => config.input === "src/plugin.ts");
  if (!plugin) throw new Error("rollup.config.mjs has no entry for src/plugin.ts");
  // The config's paths are relative to the repository root, where vitest runs.
  if (process.cwd().replace(/[\\/]+$/, "") !== ROOT.replace(/[\\/]+$/, "")) throw new Error(`Run the tests from ${ROOT}`);
  const bundle = await rollup(plugin as never);
  await bundle.write(plugin.output as never);
  await bundle.close();
}
