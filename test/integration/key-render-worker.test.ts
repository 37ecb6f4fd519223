// The built key renderer's worker process (dist/key-render-worker.js, beside the bundled bridge): it
// draws the PNGs Companion asks for outside the bridge's process, survives an SVG it cannot draw, and
// ends when the bridge closes its channel or ends itself.

import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fork, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderDestinationKey } from "../../presentation/key-image.js";
import type { RenderAnswer } from "../../bridge/render/key-render-worker.js";
import { getPriority } from "node:os";
import { KEY_RENDERER_PRIORITY, RenderProcess } from "../../bridge/render/key-png.js";
import { KEY_RENDERER_NODE_FLAGS } from "../../bridge/launch/node-flags.mjs";

const WORKER = resolve("dist/key-render-worker.js");
let worker: ChildProcess;

beforeAll(() => {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run "npm run build" first (npm test does)`);
  worker = fork(WORKER, [], { execArgv: [...KEY_RENDERER_NODE_FLAGS], serialization: "advanced", stdio: ["ignore", "ignore", "inherit", "ipc"] });
});
afterAll(async () => {
  worker?.kill();
});

let nextId = 1;
function render(svg: string, size: number): Promise<RenderAnswer> {
  const id = nextId++;
  return new Promise((done) => {
    const onAnswer = (answer: RenderAnswer) => {
      if (answer.id !== id) return;
      worker.off("message", onAnswer);
      done(answer);
    };
    worker.on("message", onAnswer);
    worker.send({ id, svg, size });
  });
}

function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = Buffer.from(bytes);
  expect(view.subarray(1, 4).toString()).toBe("PNG");
  return { width: view.readUInt32BE(16), height: view.readUInt32BE(20) };
}

describe("the key renderer's worker process", () => {
  it("draws a destination key as a PNG of the size asked", async () => {
    const svg = renderDestinationKey(undefined, { now: 0, reachable: false });
    const answer = await render(svg, 144);
    expect("png" in answer && pngSize(answer.png)).toEqual({ width: 144, height: 144 });
  }, 30_000);

  it("answers an SVG it cannot draw with an error, and keeps drawing", async () => {
    const bad = await render("<svg this is not svg", 72);
    expect("error" in bad && bad.error.length > 0).toBe(true);
    const good = await render(renderDestinationKey(undefined, { now: 0, reachable: true }), 72);
    expect("png" in good && pngSize(good.png)).toEqual({ width: 72, height: 72 });
  }, 30_000);
});

describe("the bridge's key renderer", () => {
  it("ends its process after a while without work, and a new one draws the next request", async () => {
    let gone = 0;
    const idle = new RenderProcess(WORKER, () => (gone += 1), 200);
    const svg = renderDestinationKey(undefined, { now: 0, reachable: true });
    expect(pngSize(await idle.render(svg, 72))).toEqual({ width: 72, height: 72 });
    expect(gone).toBe(0);
    // Ends by itself once its channel is closed (exit code 0, not a kill), having said it takes no more work.
    expect(await idle.exited()).toBe(0);
    expect(gone).toBe(1);
    const next = new RenderProcess(WORKER, () => {}, 60_000);
    // Below the bridge's and the relays' priority: Companion's bursts of keys wait for the media path.
    // (A test run already below that keeps its own: a process may not raise its child above itself.)
    expect(getPriority(next.pid!)).toBe(Math.max(KEY_RENDERER_PRIORITY, getPriority()));
    expect(pngSize(await next.render(svg, 144))).toEqual({ width: 144, height: 144 });
  });

  it("fails what it was asked when its process dies, and says so", async () => {
    let gone = 0;
    const dying = new RenderProcess(WORKER, () => (gone += 1), 60_000);
    const svg = renderDestinationKey(undefined, { now: 0, reachable: true });
    expect(pngSize(await dying.render(svg, 72))).toEqual({ width: 72, height: 72 });
    // Stopped first, so it cannot answer before it dies.
    process.kill(dying.pid!, "SIGSTOP");
    const asked = dying.render(svg, 144);
    process.kill(dying.pid!, "SIGKILL");
    await expect(asked).rejects.toThrow(/the key renderer stopped \(SIGKILL\)/);
    expect(gone).toBe(1);
  });
});
