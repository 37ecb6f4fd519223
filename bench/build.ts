// The benchmark measures the built programs (dist/relay-bridge.js, the plugin's bin/plugin.js):
// builds them when they are missing or older than their sources, so a run never measures stale code.

import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
const OUTPUTS = ["dist/relay-bridge.js", "com.relay.sdPlugin/bin/plugin.js"];
const SOURCES = ["bridge", "src"];

/** Newest modification time (ms) of the files under `dir`; 0 when there are none. */
function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Runs `npm run build` when an output is missing or older than the sources. */
export async function ensureBuilt(log: (line: string) => void): Promise<void> {
  const sources = Math.max(...SOURCES.map((dir) => newest(join(ROOT, dir))));
  const stale = OUTPUTS.filter((file) => !existsSync(join(ROOT, file)) || statSync(join(ROOT, file)).mtimeMs < sources);
  if (stale.length === 0) return;
  log(`building (${stale.join(", ")} missing or older than the sources)`);
  const result = await execa("npm", ["run", "build", "--silent"], { cwd: ROOT, reject: false, all: true, stdin: "ignore" });
  if (result.exitCode === 0) return;
  const missing = OUTPUTS.filter((file) => !existsSync(join(ROOT, file)));
  if (missing.length > 0) throw new Error(`the build failed and ${missing.join(", ")} is missing:\n${String(result.all).slice(-2000)}`);
  log(`the build failed; measuring the existing build instead:\n${String(result.all).slice(-800)}`);
}
