// What Companion does, against the real bridge: POST start/stop/toggle, poll key images and read
// variables, with the token in a header or in the query. A real relay runs to a real platform.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";
import { startObs, type Obs } from "../../rig/obs-stand-in.js";
import { startPlatform, type Platform } from "../../rig/platform.js";
import { waitFor } from "../../rig/processes.js";

const TOKEN = "companion-token-7Yx";
const KEY = "cmp-key-N2vT5sQ8";

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe("Companion triggers and feedback on the real bridge", () => {
  let platform: Platform;
  let bridge: RunningBridge;
  let obs: Obs;

  beforeAll(async () => {
    platform = await startPlatform();
    bridge = await startBridge({
      token: TOKEN,
      destinations: [{ id: "youtube-main", name: "YouTube", url: platform.url, key: KEY, platform: "youtube", transport: "direct" }],
    });
    obs = startObs({ url: `${bridge.ingestUrl}/obs` });
    await waitFor(async () => (await bridge.json("/api/status")).ingest.live, { what: "the ingest to go live" });
  });
  afterAll(async () => {
    await obs?.stop();
    await bridge?.stop();
    await platform?.stop();
  });

  // Companion's generic HTTP module: full URL, JSON body "{}", token as set in its header field or URL.
  const companion = (path: string, init: RequestInit = {}) => fetch(`${bridge.url}${path}`, init);
  const variables = async () => (await companion(`/api/variables?token=${TOKEN}`)).json();

  it("refuses every Companion route without the token", async () => {
    for (const path of ["/api/variables", "/api/destinations/youtube-main/key.png", "/api/ingest/key.svg"]) {
      expect((await companion(path)).status).toBe(401);
    }
    expect((await companion("/api/destinations/youtube-main/toggle", { method: "POST", body: "{}", headers: { "Content-Type": "application/json" } })).status).toBe(401);
  });

  it("switches a real relay with toggle, shows it in the key image and the variables, and stops it", async () => {
    const offSvg = await (await companion(`/api/destinations/youtube-main/key.svg?token=${TOKEN}`)).text();
    expect(offSvg).toContain(">OFF<");
    expect(await variables()).toMatchObject({ youtube_main_state: "off", youtube_main_enabled: false, ingest_live: true, destinations_live: 0 });

    const toggled = await companion("/api/destinations/youtube-main/toggle", {
      method: "POST",
      body: "{}",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${TOKEN}` },
    });
    expect(toggled.status).toBe(200);
    expect(await toggled.json()).toMatchObject({ id: "youtube-main", enabled: true });
    await waitFor(async () => (await platform.streams()).some((stream) => stream.name === KEY), { what: "the platform to receive the relay" });
    await waitFor(async () => (await variables()).youtube_main_state === "live", { what: "the variables to say live" });
    const live = await variables();
    expect(live).toMatchObject({ youtube_main_live: true, destinations_live: 1 });
    expect(live.upload_kbps).toBeGreaterThan(0);
    expect(live.youtube_main_uptime).toMatch(/^\d+:\d\d$/);

    const liveSvg = await (await companion(`/api/destinations/youtube-main/key.svg?size=144&token=${TOKEN}`)).text();
    expect(liveSvg).toMatch(/width="144" height="144"/);
    expect(liveSvg).toContain(">LIVE<");
    const png = await companion("/api/destinations/youtube-main/key.png?size=144", { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(png.headers.get("content-type")).toBe("image/png");
    expect(pngSize(new Uint8Array(await png.arrayBuffer()))).toEqual({ width: 144, height: 144 });
    const ingestSvg = await (await companion(`/api/ingest/key.svg?token=${TOKEN}`)).text();
    expect(ingestSvg).toContain(">INPUT<");

    const stopped = await companion(`/api/destinations/youtube-main/stop?token=${TOKEN}`, { method: "POST", body: "{}", headers: { "Content-Type": "application/json" } });
    expect(stopped.status).toBe(200);
    await waitFor(async () => !(await platform.streams()).some((stream) => stream.name === KEY), { what: "the relay to end" });
    // The platform may see the stream end a moment before the bridge sees its relay exit.
    await waitFor(async () => (await variables()).youtube_main_state === "off", { what: "the destination to be off" });
    expect(await variables()).toMatchObject({ youtube_main_state: "off", destinations_live: 0 });
  });

  it("never puts the stream key in an image or a variable", async () => {
    const bodies = [
      JSON.stringify(await variables()),
      await (await companion(`/api/destinations/youtube-main/key.svg?token=${TOKEN}`)).text(),
      await (await companion(`/api/ingest/key.svg?token=${TOKEN}`)).text(),
    ];
    for (const body of bodies) expect(body).not.toContain(KEY);
  });
});
