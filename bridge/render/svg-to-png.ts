// Rasterises key SVGs to PNG with resvg compiled to WebAssembly: one build that runs on every OS and
// CPU, so the bridge can be shipped inside the Stream Deck plugin with no native module. The .wasm
// file sits beside the bundle (dist/, the plugin's bin/); from sources it comes from node_modules.
// This is the renderer itself; key-png.ts runs it off the bridge's main thread.

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

/** Rasterises a key SVG to a `size`×`size` PNG on this thread (the worker's job; also the fallback). */
export async function rasterize(svg: string, size: number): Promise<Buffer> {
  const fontBuffers = await prepareKeyRenderer();
  const resvg = new Resvg(svg, { fitTo: { mode: "width", value: size }, font: { fontBuffers, defaultFontFamily: "DejaVu Sans" } });
  const image = resvg.render();
  const png = Buffer.from(image.asPng());
  image.free();
  resvg.free();
  return png;
}
