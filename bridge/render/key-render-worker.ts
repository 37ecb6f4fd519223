// The key renderer's worker process: rasterises the SVGs the bridge sends over its IPC channel, so a PNG
// (a millisecond or more of resvg) never holds up the bridge's HTTP answers, events or ingest
// notifications, and so everything it used is given back to the OS when it ends. Bundled beside the
// bridge as key-render-worker.js; started by key-png.ts. It ends when the bridge closes the channel or
// goes away.

import { rasterize } from "./svg-to-png.js";

/** A request: render `svg` at `size` pixels; answered with the same `id`. */
export interface RenderRequest {
  id: number;
  svg: string;
  size: number;
}

/** The answer: the PNG's bytes, or why it could not be drawn. */
export type RenderAnswer = { id: number; png: Uint8Array } | { id: number; error: string };

function answer(message: RenderAnswer): void {
  // The bridge may have gone between the request and its answer: nothing is left to tell.
  if (process.connected) process.send!(message);
}

if (process.send) {
  process.on("message", (request: RenderRequest) => {
    rasterize(request.svg, request.size).then(
      (png) => answer({ id: request.id, png: new Uint8Array(png.buffer, png.byteOffset, png.byteLength) }),
      (error: unknown) => answer({ id: request.id, error: (error as Error)?.message ?? String(error) }),
    );
  });
  process.once("disconnect", () => process.exit(0));
}
