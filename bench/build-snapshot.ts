// One build for the whole run: the built bridge and plugin are copied aside at the start, so a
// rebuild in the checkout during a long run cannot mix two builds in one set of results.

import { createHash } from "node:crypto";
import { cp, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Where the copied build is, and which build it is. */
export interface BuildSnapshot {
  dir: string;
  bridgeEntry: string;
  pluginDir: string;
  /** sha256 of the bridge bundle, first 12 hex digits. */
  bridgeId: string;
  remove(): Promise<void>;
}

/** Copies dist/, the plugin folder and package.json from `root`; node_modules is linked, not copied. */
export async function snapshotBuild(root: string): Promise<BuildSnapshot> {
  const dir = await mkdtemp(join(tmpdir(), "relay-bench-build-"));
  await cp(join(root, "dist"), join(dir, "dist"), { recursive: true });
  await cp(join(root, "com.relay.sdPlugin"), join(dir, "com.relay.sdPlugin"), { recursive: true });
  await cp(join(root, "package.json"), join(dir, "package.json"));
  await symlink(join(root, "node_modules"), join(dir, "node_modules"), "junction");
  const bridgeEntry = join(dir, "dist", "relay-bridge.js");
  const bridgeId = createHash("sha256").update(await readFile(bridgeEntry)).digest("hex").slice(0, 12);
  return { dir, bridgeEntry, pluginDir: join(dir, "com.relay.sdPlugin"), bridgeId, remove: () => rm(dir, { recursive: true, force: true }) };
}
