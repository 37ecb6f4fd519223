import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyImageRoutes, svgToPng } from "../../bridge/http/routes/key-image-routes.js";
import { statusVariables } from "../../presentation/variables.js";
import { renderDestinationKey } from "../../presentation/key-image.js";
import { memoryBridgeApi } from "./memory-bridge-api.js";
import { SAMPLE_NOW, sampleStatus } from "../../rig/status-views.js";
import { serveApp, type ServedApp } from "./serve-app.js";

const NOW = SAMPLE_NOW;
const status = sampleStatus();

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe("key image and variables routes", () => {
  let served: ServedApp;
  let guarded: ServedApp;
  beforeAll(async () => {
    const api = memoryBridgeApi(status);
    served = await serveApp({ api, extraRoutes: [keyImageRoutes(api, { now: () => NOW })] });
    guarded = await serveApp({ api, token: "s3cret-token", extraRoutes: [keyImageRoutes(api, { now: () => NOW })] });
  });
  afterAll(async () => {
    await served.close();
    await guarded.close();
  });

  it("serves a destination key as SVG, the same picture the Stream Deck key shows", async () => {
    const response = await fetch(`${served.url}/api/destinations/youtube/key.svg`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.text();
    expect(body).toBe(renderDestinationKey(status.destinations[0], { now: NOW, reachable: true, size: 72 }));
    expect(body).toMatch(/width="72" height="72"/);
    expect(body).toContain("LIVE");
  });

  it("serves 144 px on ?size=144 and refuses other sizes by field", async () => {
    expect(await (await fetch(`${served.url}/api/destinations/youtube/key.svg?size=144`)).text()).toMatch(/width="144" height="144"/);
    for (const size of ["15", "513", "58.5", "-72", "abc", "1e2"]) {
      const refused = await fetch(`${served.url}/api/destinations/youtube/key.png?size=${size}`);
      expect(refused.status, size).toBe(400);
      expect(await refused.json()).toMatchObject({ error: { code: "invalid_request", field: "size" } });
    }
    expect((await fetch(`${served.url}/api/destinations/youtube/key.png?size=72&size=144`)).status).toBe(400);
  });

  it("draws the key's words in French on ?lang=fr, English without it, and refuses other languages by field", async () => {
    const french = await (await fetch(`${served.url}/api/destinations/twitch/key.svg?lang=fr`)).text();
    expect(french).toBe(renderDestinationKey(status.destinations[1], { now: NOW, reachable: true, size: 72, lang: "fr" }));
    expect(french).toContain(">RELANCE<");
    expect(french).toContain(">dans 4 s<");
    expect(await (await fetch(`${served.url}/api/ingest/key.svg?lang=fr`)).text()).toContain(">ENTRÉE<");
    expect(await (await fetch(`${served.url}/api/destinations/twitch/key.svg?lang=en`)).text()).toContain(">RETRY<");
    expect((await fetch(`${served.url}/api/destinations/twitch/key.png?lang=fr&size=144`)).status).toBe(200);
    const refused = await fetch(`${served.url}/api/destinations/twitch/key.svg?lang=de`);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: "invalid_request", field: "lang" } });
  });

  it("serves a Companion button's size (58 px under its top bar) and the ends of the range", async () => {
    for (const size of [16, 58, 512]) {
      const response = await fetch(`${served.url}/api/destinations/youtube/key.png?size=${size}`);
      expect(response.status).toBe(200);
      expect(pngSize(new Uint8Array(await response.arrayBuffer()))).toEqual({ width: size, height: size });
    }
  });

  it("serves PNGs of 72 and 144 px that differ with the state", async () => {
    const live = new Uint8Array(await (await fetch(`${served.url}/api/destinations/youtube/key.png`)).arrayBuffer());
    const big = await fetch(`${served.url}/api/destinations/youtube/key.png?size=144`);
    expect(big.headers.get("content-type")).toBe("image/png");
    const off = new Uint8Array(await (await fetch(`${served.url}/api/destinations/youtube-rtmps/key.png`)).arrayBuffer());
    expect(pngSize(live)).toEqual({ width: 72, height: 72 });
    expect(pngSize(new Uint8Array(await big.arrayBuffer()))).toEqual({ width: 144, height: 144 });
    expect(Buffer.from(live).equals(Buffer.from(off))).toBe(false);
  });

  it("draws text with the system fonts (a key with text is not the same as one without)", async () => {
    const svg = renderDestinationKey(status.destinations[0], { now: NOW, reachable: true, size: 72 });
    const withoutText = svg.replace(/<text[^>]*>[^<]*<\/text>/g, "");
    expect(withoutText).not.toBe(svg);
    expect((await svgToPng(svg, 72)).equals(await svgToPng(withoutText, 72))).toBe(false);
  });

  it("serves the ingest key", async () => {
    const svg = await (await fetch(`${served.url}/api/ingest/key.svg`)).text();
    expect(svg).toContain("INPUT");
    expect(pngSize(new Uint8Array(await (await fetch(`${served.url}/api/ingest/key.png?size=144`)).arrayBuffer()))).toEqual({ width: 144, height: 144 });
  });

  it("answers 404 for an unknown destination", async () => {
    const response = await fetch(`${served.url}/api/destinations/nope/key.png`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("needs the token when the bridge has one, also as ?token= for Companion", async () => {
    expect((await fetch(`${guarded.url}/api/destinations/youtube/key.png`)).status).toBe(401);
    expect((await fetch(`${guarded.url}/api/variables`)).status).toBe(401);
    expect((await fetch(`${guarded.url}/api/destinations/youtube/key.png?token=s3cret-token`)).status).toBe(200);
    expect((await fetch(`${guarded.url}/api/variables`, { headers: { Authorization: "Bearer s3cret-token" } })).status).toBe(200);
  });

  it("serves the variables as flat JSON", async () => {
    const response = await fetch(`${served.url}/api/variables`);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const variables = await response.json();
    expect(variables).toEqual(statusVariables(status, NOW));
    for (const value of Object.values(variables)) expect(["string", "number", "boolean"]).toContain(typeof value);
  });
});
