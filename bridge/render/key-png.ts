// Key PNGs for Companion's button images and the stand-in card, drawn off the main thread: a worker
// (key-render-worker.js beside the bundle) runs resvg, so the bridge keeps answering while it draws.
// From sources (no built worker beside this module) it draws on this thread, as the tests of the
// routes do. Companion polls each button's image on a timer and keys often look the same between
// two polls: a few recent renderings spare the work. The worker (its WebAssembly, its fonts: about
// 45 MB) ends after a minute without work and starts again at the next request: most bridges draw one
// stand-in card per stream format and no key PNG (the Stream Deck plugin draws its own keys).

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { prepareKeyRenderer, rasterize } from "./svg-to-png.js";
import type { RenderAnswer, RenderRequest } from "./key-render-worker.js";

/** File name of the bundled worker, beside the bundled bridge. */
export const KEY_RENDER_WORKER_FILE = "key-render-worker.js";

const PNG_CACHE_LIMIT = 64;

/** The worker ends after this long with nothing to draw. */
export const RENDER_WORKER_IDLE_MS = 60_000;
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

/** The worker, started at a PNG when none runs; requests queue in its message port. */
export class RenderWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (png: Buffer) => void; reject: (error: Error) => void }>();
  readonly #onGone: () => void;
  readonly #idleMs: number;
  readonly #exited: Promise<number>;
  #nextId = 1;
  #idle: NodeJS.Timeout | undefined;

  /** `onGone`: it takes no more requests (it died, or ended when idle). */
  constructor(file: string, onGone: () => void, idleMs = RENDER_WORKER_IDLE_MS) {
    let gone = false;
    this.#onGone = () => {
      if (gone) return;
      gone = true;
      onGone();
    };
    this.#idleMs = idleMs;
    this.#worker = new Worker(file);
    this.#exited = new Promise((resolve) => this.#worker.once("exit", resolve));
    // The bridge's exit never waits for an idle renderer.
    this.#worker.unref();
    this.#worker.on("message", (answer: RenderAnswer) => {
      const waiting = this.#pending.get(answer.id);
      if (!waiting) return;
      this.#pending.delete(answer.id);
      if (this.#pending.size === 0) this.#endWhenIdle();
      if ("png" in answer) waiting.resolve(Buffer.from(answer.png.buffer, answer.png.byteOffset, answer.png.byteLength));
      else waiting.reject(new Error(answer.error));
    });
    const fail = (error: Error) => {
      clearTimeout(this.#idle);
      this.#onGone();
      for (const waiting of this.#pending.values()) waiting.reject(error);
      this.#pending.clear();
    };
    this.#worker.on("error", fail);
    this.#worker.on("exit", (code) => fail(new Error(`the key renderer stopped (code ${code})`)));
  }

  render(svg: string, size: number): Promise<Buffer> {
    clearTimeout(this.#idle);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, svg, size } satisfies RenderRequest);
    });
  }

  #endWhenIdle(): void {
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => {
      // Gone for new requests at once; the next one starts a new worker.
      this.#onGone();
      void this.#worker.terminate();
    }, this.#idleMs);
    this.#idle.unref();
  }

  /** Resolves with the thread's exit code once it has ended. */
  exited(): Promise<number> {
    return this.#exited;
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
  // A worker that died is started again at the next request (the request that saw it die failed), and
  // so is one that ended when idle.
  if (!worker) {
    const started: RenderWorker = new RenderWorker(workerFile, () => {
      if (worker === started) worker = undefined;
    });
    worker = started;
  }
  return worker;
}
