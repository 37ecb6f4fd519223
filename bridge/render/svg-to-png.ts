// Rasterises key SVGs to PNG with resvg compiled to WebAssembly: one build that runs on every OS and
// CPU, so the bridge can be shipped inside the Stream Deck plugin with no native module. The .wasm
// file sits beside the bundle (dist/, the plugin's bin/); from sources it comes from node_modules.

import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { initWasm, Resvg } from "@resvg/resvg-wasm";
import { keyFontCandidates, loadKeyFonts } from "./key-fonts.js";

/** File name of the renderer's WebAssembly module beside the bundled bridge. */
export const RESVG_WASM_FILE = "resvg.wasm";

/** Where the .wasm is: beside this module when bundled, else the package's own copy. */
export function resvgWasmPath(moduleUrl: string = import.meta.url): string {
  const beside = fileURLToPath(new URL(`./${RESVG_WASM_FILE}`, moduleUrl));
  if (existsSync(beside)) return beside;
  try {
    return createRequire(moduleUrl).resolve("@resvg/resvg-wasm/index_bg.wasm");
  } catch {
    throw new Error(`The key image renderer is missing: ${beside} not found (rebuild with "npm run build")`);
  }
}

let ready: Promise<Uint8Array[]> | undefined;

/** Loads the WebAssembly module and the fonts once (about a second); later calls share the first load. */
export function prepareKeyRenderer(): Promise<Uint8Array[]> {
  ready ??= (async () => {
    await initWasm(await readFile(resvgWasmPath()));
    return loadKeyFonts(keyFontCandidates(process.platform, process.env));
  })();
  ready.catch(() => (ready = undefined));
  return ready;
}

// Companion polls each button's image on a timer and keys often look the same between two polls:
// a few recent renderings spare resvg the work.
const PNG_CACHE_LIMIT = 64;
const pngCache = new Map<string, Buffer>();

/** Rasterises a key SVG to a `size`×`size` PNG with the OS's fonts (DejaVu Sans when a family is missing). */
export async function svgToPng(svg: string, size: number): Promise<Buffer> {
  const cacheKey = `${size}\n${svg}`;
  const cached = pngCache.get(cacheKey);
  if (cached) {
    pngCache.delete(cacheKey);
    pngCache.set(cacheKey, cached);
    return cached;
  }
  const fontBuffers = await prepareKeyRenderer();
  const resvg = new Resvg(svg, { fitTo: { mode: "width", value: size }, font: { fontBuffers, defaultFontFamily: "DejaVu Sans" } });
  const image = resvg.render();
  const png = Buffer.from(image.asPng());
  image.free();
  resvg.free();
  pngCache.set(cacheKey, png);
  if (pngCache.size > PNG_CACHE_LIMIT) pngCache.delete(pngCache.keys().next().value!);
  return png;
}
