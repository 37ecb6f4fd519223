// Key PNGs for Companion's button images and the stand-in card, drawn in a process of their own: a
// worker process (key-render-worker.js beside the bundle, with Node's IPC channel) runs resvg,
// so the bridge keeps answering while it draws. From sources (no built worker beside this module) it
// draws on this thread, as the tests of the routes do. Companion polls each button's image on a timer
// and keys often look the same between two polls: a few recent renderings spare the work. The worker
// (Node, its WebAssembly and fonts: 65 MB RSS ready, about 115 MB once it has drawn a few hundred
// keys) ends after a minute without work and starts again at the next request; being a process, all
// of its memory goes back to the OS when it ends (a worker thread's did not: glibc kept what its
// compiling threads had used). Most bridges draw one stand-in card per stream format and no key PNG:
// the Stream Deck plugin draws its own keys.

import { existsSync } from "node:fs";
import { constants, setPriority } from "node:os";
import { fileURLToPath } from "node:url";
import { spawn, type ChildProcess } from "node:child_process";
import { prepareKeyRenderer, rasterize } from "./svg-to-png.js";
import { KEY_RENDERER_NODE_FLAGS } from "../launch/node-flags.mjs";
import type { RenderAnswer, RenderRequest } from "./key-render-worker.js";

/** File name of the bundled worker process, beside the bundled bridge. */
export const KEY_RENDER_WORKER_FILE = "key-render-worker.js";

const PNG_CACHE_LIMIT = 64;

/** The worker process ends after this long with nothing to draw. */
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
  const renderer = runningRenderer();
  const png = renderer ? await renderer.render(svg, size) : await rasterize(svg, size);
  pngCache.set(cacheKey, png);
  if (pngCache.size > PNG_CACHE_LIMIT) pngCache.delete(pngCache.keys().next().value!);
  return png;
}

/** Loads the renderer (WebAssembly and fonts, about a second) ahead of the first PNG. */
export async function prepareKeyPngs(): Promise<void> {
  const renderer = runningRenderer();
  if (renderer) await renderer.render(`<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>`, 1);
  else await prepareKeyRenderer();
}

/** How long an ending renderer is given to exit by itself before it is killed. */
const RENDERER_EXIT_GRACE_MS = 5_000;

/** The renderer's process, started at a PNG when none runs; requests queue in its IPC channel. */
export class RenderProcess {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve: (png: Buffer) => void; reject: (error: Error) => void }>();
  readonly #onGone: () => void;
  readonly #idleMs: number;
  readonly #exited: Promise<number | null>;
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
    // Its own Node options (not the bridge's profiler or inspector); structured clone for the PNG bytes;
    // its stderr is the bridge's, so a crash of the renderer is in the bridge's output.
    // spawn, as fork does (whose options have no windowsHide): Node's own binary, the script, an IPC channel.
    this.#child = spawn(process.execPath, [...KEY_RENDERER_NODE_FLAGS, file], {
      serialization: "advanced",
      stdio: ["ignore", "ignore", "inherit", "ipc"],
      windowsHide: true,
    });
    lowerPriority(this.#child.pid);
    this.#exited = new Promise((resolve) => this.#child.once("exit", (code) => resolve(code)));
    // The bridge's exit never waits for an idle renderer; the renderer ends when the channel closes.
    this.#child.unref();
    this.#child.channel?.unref();
    this.#child.on("message", (answer: RenderAnswer) => {
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
    this.#child.on("error", (error) => fail(new Error(`the key renderer could not run: ${error.message}`)));
    this.#child.on("exit", (code, signal) => fail(new Error(`the key renderer stopped (${signal ?? `code ${code}`})`)));
  }

  render(svg: string, size: number): Promise<Buffer> {
    clearTimeout(this.#idle);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#child.send({ id, svg, size } satisfies RenderRequest, (error) => {
        if (!error || !this.#pending.delete(id)) return;
        reject(new Error(`the key renderer could not be asked: ${error.message}`));
      });
    });
  }

  #endWhenIdle(): void {
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => {
      // Gone for new requests at once; the next one starts a new process. Closing the channel ends it.
      this.#onGone();
      this.#child.disconnect();
      setTimeout(() => this.#child.exitCode === null && this.#child.signalCode === null && this.#child.kill(), RENDERER_EXIT_GRACE_MS).unref();
    }, this.#idleMs);
    this.#idle.unref();
  }

  /** The renderer's process id (undefined when it could not be started). */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Resolves with the process's exit code once it has ended (null when a signal ended it). */
  exited(): Promise<number | null> {
    return this.#exited;
  }
}

/**
 * Key images are for the eye; the media path and the API are not. Companion redraws every key at once,
 * twice a second: drawn at the OS's normal priority, those bursts took a core from the bridge and the
 * relays on a 2-core machine. Below normal (nice 10; Windows' BELOW_NORMAL class) they wait for them.
 */
export const KEY_RENDERER_PRIORITY = constants.priority.PRIORITY_BELOW_NORMAL;

function lowerPriority(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    setPriority(pid, KEY_RENDERER_PRIORITY);
  } catch {
    // Not allowed here (or the process is already gone): it draws at normal priority, as before.
  }
}

let renderer: RenderProcess | undefined;
let workerFile: string | null | undefined;

/** The running renderer, started if need be; undefined when no built renderer sits beside this module. */
function runningRenderer(): RenderProcess | undefined {
  if (workerFile === undefined) {
    const beside = fileURLToPath(new URL(`./${KEY_RENDER_WORKER_FILE}`, import.meta.url));
    workerFile = existsSync(beside) ? beside : null;
  }
  if (workerFile === null) return undefined;
  // A renderer that died is started again at the next request (the request that saw it die failed), and
  // so is one that ended when idle.
  if (!renderer) {
    const started: RenderProcess = new RenderProcess(workerFile, () => {
      if (renderer === started) renderer = undefined;
    });
    renderer = started;
  }
  return renderer;
}
