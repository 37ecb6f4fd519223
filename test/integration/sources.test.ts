// A destination may relay another ingest stream than the main one (e.g. a vertical canvas for
// TikTok): each destination gets the stream it names, and follows it alone.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";
import { startPlatform, type Platform } from "../../rig/platform.js";
import { startObs, type Obs } from "../../rig/obs-stand-in.js";
import { waitFor } from "../../rig/processes.js";
import type { DestinationView, StatusView } from "../../contract/api.js";

describe("ingest sources", () => {
  let platform: Platform;
  let bridge: RunningBridge;
  let main: Obs | undefined;
  let vertical: Obs | undefined;
  const state = async (id: string) => (await bridge.json<DestinationView>(`/api/destinations/${id}`)).state;
  const waitState = (id: string, wanted: string) => waitFor(async () => (await state(id)) === wanted, { what: `${id} ${wanted}`, timeoutMs: 20_000, intervalMs: 50 });
  const video = async (key: string) => (await platform.streams()).find((stream) => stream.name === key)?.video;

  beforeAll(async () => {
    platform = await startPlatform();
    bridge = await startBridge({
      // Routing only: a source that ends ends its relays (no stand-in).
      ingest: { holdSeconds: 0 },
      destinations: [
        { id: "wide", name: "YouTube", url: platform.url, key: "wide_key_1a", enabled: true },
        { id: "tall", name: "TikTok", url: platform.url, key: "tall_key_2b", enabled: true, source: "vertical" },
      ],
    });
  });
  afterAll(async () => {
    await Promise.all([main?.stop(), vertical?.stop()]);
    await bridge?.stop();
    await platform?.stop();
  });

  it("relays each destination's own stream", async () => {
    main = startObs({ url: `${bridge.ingestUrl}/obs`, size: "640x360" });
    await waitState("wide", "live");
    expect(await state("tall")).toBe("waiting");
    vertical = startObs({ url: `${bridge.ingestUrl}/vertical`, size: "360x640" });
    await waitState("tall", "live");
    expect(await waitFor(() => video("wide_key_1a"), { what: "wide video" })).toMatchObject({ width: 640, height: 360 });
    expect(await waitFor(() => video("tall_key_2b"), { what: "tall video" })).toMatchObject({ width: 360, height: 640 });
    // The main stream shown is OBS's main canvas, not the vertical one.
    const status = await bridge.json<StatusView>("/api/status");
    expect(status.ingest).toMatchObject({ live: true, name: "obs" });
  });

  it("a source that ends sends only its destinations back to waiting", async () => {
    await vertical!.stop();
    vertical = undefined;
    await waitState("tall", "waiting");
    expect(await state("wide")).toBe("live");
  });
});
