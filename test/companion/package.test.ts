// The module as users install it: the folder `npm run build` writes, copied away from this repository's
// node_modules, and the package `npm run pack:companion` makes with @companion-module/tools, unpacked as
// Companion's import does. Both must start under the host stand-in and follow a real bridge.

import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";
import { startPlatform, type Platform } from "../../rig/platform.js";
import { ensureModuleAndBridgeBuilt } from "./support/module-build.js";
import { COMPANION_MODULE_DIR, startModule } from "./support/module-host.js";
import { readTgz } from "./support/tar-reader.js";

const BASE_VERSION = (createRequire(import.meta.url)("@companion-module/base/package.json") as { version: string }).version;

describe("Companion module folder and package", () => {
  let platform: Platform;
  let bridge: RunningBridge;
  const temp: string[] = [];

  beforeAll(async () => {
    await ensureModuleAndBridgeBuilt();
    platform = await startPlatform();
    bridge = await startBridge({ destinations: [{ id: "youtube", name: "YouTube", url: platform.url, key: "pack-key-Lw7" }] });
  });
  afterAll(async () => {
    await bridge?.stop();
    await platform?.stop();
    for (const dir of temp) rmSync(dir, { recursive: true, force: true });
  });

  const followsBridge = async (moduleDir: string) => {
    const module = await startModule({ moduleDir, config: { host: "127.0.0.1", port: bridge.port, token: "" } });
    try {
      await module.waitFor(() => module.status()?.status === "ok" && module.presets().has("destination_youtube"), "ok and the destination's preset");
      await module.waitFor(() => module.variables().youtube_state === "off", "the destination's variables");
    } finally {
      await module.stop();
    }
  };

  it("has a manifest Companion accepts: node22, nodejs-ipc, the base's version, the entrypoint beside it", () => {
    const manifest = JSON.parse(readFileSync(join(COMPANION_MODULE_DIR, "companion", "manifest.json"), "utf8"));
    expect(manifest).toMatchObject({ id: "relay", runtime: { type: "node22", api: "nodejs-ipc", apiVersion: BASE_VERSION, entrypoint: "../main.js" } });
    expect(manifest.version).toBe(JSON.parse(readFileSync("package.json", "utf8")).version);
    expect(readFileSync(join(COMPANION_MODULE_DIR, "companion", "HELP.md"), "utf8")).toMatch(/Relay/);
  });

  it("runs the built folder with no node_modules beside or above it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "relay-companion-folder-"));
    temp.push(dir);
    cpSync(COMPANION_MODULE_DIR, dir, { recursive: true });
    expect(readdirSync(dir)).not.toContain("node_modules");
    await followsBridge(dir);
  });

  it("packs with @companion-module/tools into a .tgz that runs once unpacked", async () => {
    const packed = spawnSync(process.execPath, ["scripts/pack-companion.mjs"], { encoding: "utf8" });
    expect(packed.status, packed.stderr + packed.stdout).toBe(0);
    const tgz = /Companion module package: (.+\.tgz)/.exec(packed.stdout)?.[1];
    expect(tgz).toBeDefined();
    const files = readTgz(readFileSync(tgz!));
    expect([...files.keys()].sort()).toEqual(["pkg/companion/HELP.md", "pkg/companion/manifest.json", "pkg/main.js", "pkg/package.json"]);
    const manifest = JSON.parse(files.get("pkg/companion/manifest.json")!.toString());
    expect(manifest).toMatchObject({ id: "relay", runtime: { api: "nodejs-ipc", apiVersion: BASE_VERSION, entrypoint: "../main.js" } });

    const dir = mkdtempSync(join(tmpdir(), "relay-companion-package-"));
    temp.push(dir);
    for (const [path, data] of files) {
      const target = join(dir, path.replace(/^pkg\//, ""));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, data);
    }
    await followsBridge(dir);
  }, 120_000);
});
