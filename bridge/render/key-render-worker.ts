// The key renderer's worker thread: rasterises the SVGs it is sent, so a PNG (tens of ms of resvg)
// never holds up the bridge's HTTP answers, events or ingest notifications. Bundled beside the bridge
// as key-render-worker.js; started by key-png.ts.

import { parentPort } from "node:worker_threads";
import { rasterize } from "./svg-to-png.js";

/** A request: render `svg` at `size` pixels; answered with the same `id`. */
export interface RenderRequest {
  id: number;
  svg: string;
  size: number;
}

/** The answer: the PNG's bytes, or why it could not be drawn. */
export type RenderAnswer = { id: number; png: Uint8Array } | { id: number; error: string };

parentPort?.on("message", (request: RenderRequest) => {
  rasterize(request.svg, request.size).then(
    (png) => {
      const bytes = new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
      parentPort!.postMessage({ id: request.id, png: bytes } satisfies RenderAnswer);
    },
    (error: unknown) => parentPort!.postMessage({ id: request.id, error: (error as Error)?.message ?? String(error) } satisfies RenderAnswer),
  );
});
