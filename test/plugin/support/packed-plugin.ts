// The plugin as a streamer installs it: `npm run pack`'s .streamDeckPlugin (packed here into a temp
// folder with Elgato's CLI, as the pack script does), unzipped into a temp folder that has no
// node_modules anywhere above it.

import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { PLUGIN_DIR } from "../../../rig/stream-deck-host.js";
import { readZip, type ZipEntry } from "./zip-reader.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const CLI = join(ROOT, "node_modules", "@elgato", "cli", "bin", "streamdeck.mjs");

/** The files a full build puts into the plugin's bin/ besides plugin.js. */
export const BUNDLED_BRIDGE_FILES = ["bin/relay-bridge.js", "bin/key-render-worker.js", "bin/resvg.wasm", "bin/page/index.html", "bin/page/app.js", "bin/page/style.css"];

/** Builds when the plugin's bundled bridge is missing, then packs; resolves with the archive's path. */
export async function packPlugin(outDir: string): Promise<string> {
  if (!BUNDLED_BRIDGE_FILES.every((file) => existsSync(join(PLUGIN_DIR, file)))) {
    await execa("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "inherit" });
  }
  const { version } = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { version: string };
  const result = await execa(process.execPath, [CLI, "pack", PLUGIN_DIR, "-o", outDir, "-f", "--no-update-check", "--version", version], {
    reject: false,
    all: true,
    env: { NO_COLOR: "1" },
  });
  if (result.exitCode !== 0) throw new Error(`streamdeck pack failed:\n${result.all}`);
  return join(outDir, "com.relay.streamDeckPlugin");
}

/** Unzips `archive` into a new temp folder; resolves with the .sdPlugin folder and the entries. */
export async function unpackPlugin(archive: string): Promise<{ root: string; pluginDir: string; entries: ZipEntry[] }> {
  const root = await mkdtemp(join(tmpdir(), "relay-installed-"));
  const entries = readZip(await readFile(archive));
  for (const entry of entries) {
    if (entry.name.endsWith("/")) continue;
    const target = join(root, entry.name);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, entry.data);
  }
  return { root, pluginDir: join(root, "com.relay.sdPlugin"), entries };
}

/** True when a `node_modules` folder is reachable from `dir` (in it or any folder above). */
export function nodeModulesReachable(dir: string): boolean {
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(join(current, "node_modules"))) return true;
    if (dirname(current) === current) return false;
  }
}
