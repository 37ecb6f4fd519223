// Key PNGs for Companion's button images and the stand-in card, drawn off the main thread: a worker
// (key-render-worker.js beside the bundle) runs resvg, so the bridge keeps answering while it draws.
// From sources (no built worker beside this module) it draws on this thread, as the tests of the
// routes do. Companion polls each button's image on a timer and keys often look the same between
// two polls: a few recent renderings spare the work.

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { prepareKeyRenderer, rasterize } from "./svg-to-png.js";
import type { RenderAnswer, RenderRequest } from "./key-render-worker.js";

/** File name of the bundled worker, beside the bundled bridge. */
export const KEY_RENDER_WORKER_FILE = "key-render-worker.js";

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
  const worker = renderWorker();
  const png = worker ? await worker.render(svg, size) : await rasterize(svg, size);
  pngCache.set(cacheKey, png);
  if (pngCache.size > PNG_CACHE_LIMIT) pngCache.delete(pngCache.keys().next().value!);
  return png;
}

/** Loads the renderer (WebAssembly and fonts, about a second) ahead of the first PNG. */
export async function prepareKeyPngs(): Promise<void> {
  const worker = renderWorker();
  if (worker) await worker.render(`<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>`, 1);
  else await prepareKeyRenderer();
}

/** One worker for the bridge's life, started at the first PNG; requests queue in its message port. */
class RenderWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (png: Buffer) => void; reject: (error: Error) => void }>();
  #nextId = 1;

  constructor(file: string, onGone: () => void) {
    this.#worker = new Worker(file);
    // The bridge's exit never waits for an idle renderer.
    this.#worker.unref();
    this.#worker.on("message", (answer: RenderAnswer) => {
      const waiting = this.#pending.get(answer.id);
      if (!waiting) return;
      this.#pending.delete(answer.id);
      if ("png" in answer) waiting.resolve(Buffer.from(answer.png.buffer, answer.png.byteOffset, answer.png.byteLength));
      else waiting.reject(new Error(answer.error));
    });
    const fail = (error: Error) => {
      onGone();
      for (const waiting of this.#pending.values()) waiting.reject(error);
      this.#pending.clear();
    };
    this.#worker.on("error", fail);
    this.#worker.on("exit", (code) => fail(new Error(`the key renderer stopped (code ${code})`)));
  }

  render(svg: string, size: number): Promise<Buffer> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, svg, size } satisfies RenderRequest);
    });
  }
}

let worker: RenderWorker | undefined;
let workerFile: string | null | undefined;

/** The running worker, started if need be; undefined when no built worker sits beside this module. */
function renderWorker(): RenderWorker | undefined {
  if (workerFile === undefined) {
    const beside = fileURLToPath(new URL(`./${KEY_RENDER_WORKER_FILE}`, import.meta.url));
    workerFile = existsSync(beside) ? beside : null;
  }
  if (workerFile === null) return undefined;
  // A worker that died is started again at the next request (the request that saw it die failed).
  worker ??= new RenderWorker(workerFile, () => (worker = undefined));
  return worker;
}
