// The plugin as a user installs it: Elgato's own `streamdeck validate` passes offline, `streamdeck
// pack` makes the .streamDeckPlugin, and the package holds the built code, the inspector pages and
// every image the manifest names, in the sizes the manifest schema asks for, each with its @2x.

import { mkdtemp, readFile, rm } from "node:fs/promises";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLUGIN_DIR } from "../../rig/stream-deck-host.js";
import { ensurePluginBuilt } from "./support/plugin-build.js";
import { pngSize, readZip, type ZipEntry } from "./support/zip-reader.js";
import { BUNDLED_BRIDGE_FILES, packPlugin } from "./support/packed-plugin.js";

const CLI = fileURLToPath(new URL("../../node_modules/@elgato/cli/bin/streamdeck.mjs", import.meta.url));
const streamdeck = (...args: string[]) => execa(process.execPath, [CLI, ...args, "--no-update-check"], { reject: false, all: true, env: { NO_COLOR: "1" } });

interface Manifest {
  UUID: string;
  CodePath: string;
  Icon: string;
  CategoryIcon: string;
  SDKVersion: number;
  Software: { MinimumVersion: string };
  Nodejs: { Version: string; Debug?: string };
  URL?: string;
  Actions: Array<{ UUID: string; Icon: string; PropertyInspectorPath?: string; States: Array<{ Image: string }> }>;
}

let outDir: string;
let entries: ZipEntry[];
let manifest: Manifest;
let pkg: { version: string };
const entry = (path: string) => entries.find((one) => one.name === `com.relay.sdPlugin/${path}`);

beforeAll(async () => {
  await ensurePluginBuilt();
  outDir = await mkdtemp(join(tmpdir(), "relay-pack-"));
  manifest = JSON.parse(await readFile(join(PLUGIN_DIR, "manifest.json"), "utf8")) as Manifest;
  pkg = JSON.parse(await readFile(join(PLUGIN_DIR, "..", "package.json"), "utf8")) as { version: string };
}, 120_000);

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe("the Stream Deck package", () => {
  it("passes streamdeck validate, offline", async () => {
    const result = await streamdeck("validate", PLUGIN_DIR);
    expect(result.all).toContain("Validation successful");
    expect(result.all).not.toMatch(/warning/i);
    expect(result.exitCode).toBe(0);
  });

  it("keeps the manifest within the project's rules", () => {
    expect(manifest.UUID).toBe("com.relay");
    expect(manifest.SDKVersion).toBe(3);
    expect(manifest.Nodejs.Version).toBe("20");
    expect(Number(manifest.Software.MinimumVersion)).toBeGreaterThanOrEqual(6.9);
    expect(manifest.URL).toBeUndefined();
    expect(manifest.Actions.map((action) => action.UUID).sort()).toEqual(["com.relay.all", "com.relay.destination", "com.relay.ingest"]);
  });

  it("packs into a .streamDeckPlugin holding the bundle, pages and images, without logs or maps", async () => {
    entries = readZip(await readFile(await packPlugin(outDir)));
    expect(entries.every((one) => one.name.startsWith("com.relay.sdPlugin/"))).toBe(true);
    expect(entry(manifest.CodePath)?.data.length).toBeGreaterThan(10_000);
    expect(JSON.parse(entry("bin/package.json")!.data.toString())).toEqual({ type: "module", version: pkg.version });
    for (const action of manifest.Actions) expect(entry(action.PropertyInspectorPath!), action.PropertyInspectorPath).toBeDefined();
    expect(entry("ui/inspector.js")).toBeDefined();
    expect(entry("ui/inspector.css")).toBeDefined();
    expect(entries.filter((one) => /\/logs\/|\.log$|\.map$/.test(one.name))).toEqual([]);
    const packed = JSON.parse(entry("manifest.json")!.data.toString()) as Manifest & { Version: string };
    expect(packed.Nodejs.Debug).toBeUndefined();
    expect(packed.Version).toBe(`${pkg.version}.0`);
  });

  it("is named and described in English and French by Stream Deck's own localization files, packed with it", async () => {
    const full = JSON.parse(await readFile(join(PLUGIN_DIR, "manifest.json"), "utf8")) as { Name: string; Description: string; Category: string; Actions: Array<{ UUID: string; Name: string; Tooltip: string }> };
    const files = { en: entry("en.json"), fr: entry("fr.json") };
    for (const [lang, file] of Object.entries(files)) {
      expect(file, `${lang}.json`).toBeDefined();
      const strings = JSON.parse(file!.data.toString()) as Record<string, unknown> & { Localization?: unknown };
      // The SDK reads <language>.json and wants its own strings under "Localization".
      expect(strings.Localization, lang).toEqual({});
      expect(Object.keys(strings).sort(), lang).toEqual(["Category", "Description", "Localization", "Name", ...full.Actions.map((action) => action.UUID)].sort());
      for (const action of full.Actions) expect(Object.keys(strings[action.UUID] as object).sort(), `${lang} ${action.UUID}`).toEqual(["Name", "Tooltip"]);
    }
    // English says what the manifest says; French says it in French.
    const english = JSON.parse(files.en!.data.toString());
    expect({ Name: english.Name, Description: english.Description, Category: english.Category }).toEqual({ Name: full.Name, Description: full.Description, Category: full.Category });
    for (const action of full.Actions) expect(english[action.UUID]).toEqual({ Name: action.Name, Tooltip: action.Tooltip });
    const french = JSON.parse(files.fr!.data.toString());
    expect(french.Description).toMatch(/^Envoyez un seul flux depuis OBS/);
    expect(french["com.relay.all"].Name).toBe("Toutes les destinations");
    for (const action of full.Actions) expect(french[action.UUID].Tooltip, action.UUID).not.toBe(action.Tooltip);
  });

  it("holds the bridge with its status page and renderer, and no native module", () => {
    for (const file of BUNDLED_BRIDGE_FILES) expect(entry(file)?.data.length, file).toBeGreaterThan(1_000);
    // WebAssembly, loaded from beside the bundle: the same file on every OS and CPU.
    expect(entry("bin/resvg.wasm")!.data.subarray(0, 4)).toEqual(Buffer.from([0x00, 0x61, 0x73, 0x6d]));
    expect(entries.filter((one) => one.name.endsWith(".node"))).toEqual([]);
    // No import of a package: everything the bridge and the plugin run is inside the bundles.
    for (const bundle of ["bin/plugin.js", "bin/relay-bridge.js", "bin/key-render-worker.js"]) {
      const code = entry(bundle)!.data.toString();
      const imports = [...code.matchAll(/(?:^|;)[ \t]*import\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+)["']/gm)].map((match) => match[1]!);
      expect(imports.length, bundle).toBeGreaterThan(3);
      expect(imports.filter((name) => !name.startsWith("node:") && !builtinModules.includes(name.split("/")[0]!)), bundle).toEqual([]);
    }
  });

  it("has every image the manifest names, at the schema's size and at @2x", () => {
    const expected: Array<[string, number]> = [
      [manifest.Icon, 256],
      [manifest.CategoryIcon, 28],
      ...manifest.Actions.flatMap((action): Array<[string, number]> => [[action.Icon, 20], ...action.States.map((state): [string, number] => [state.Image, 72])]),
    ];
    for (const [path, size] of expected) {
      for (const [suffix, scale] of [["", 1], ["@2x", 2]] as const) {
        const image = entry(`${path}${suffix}.png`);
        expect(image, `${path}${suffix}.png`).toBeDefined();
        expect(pngSize(image!.data), `${path}${suffix}.png`).toEqual({ width: size * scale, height: size * scale });
      }
    }
  });

  it("loads nothing from a CDN in the inspector pages", () => {
    const pages = entries.filter((one) => /\.(html|js|css)$/.test(one.name) && one.name.includes("/ui/"));
    expect(pages.length).toBeGreaterThanOrEqual(5);
    for (const page of pages) {
      // Remote scripts, styles, fonts or modules; the bridge's default address is not a fetch.
      expect(page.data.toString(), page.name).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\/|url\(\s*["']?(https?:)?\/\/|@import|from\s+["']https?:|import\(\s*["']https?:/i);
    }
  });
});
