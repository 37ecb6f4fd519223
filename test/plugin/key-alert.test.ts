// The built plugin under the Stream Deck app's stand-in, against a real bridge: a destination key
// flashes the app's alert (showAlert) once when its platform goes failed, and not when the key
// appears on a destination already failed.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";
import { startObs, type Obs } from "../../rig/obs-stand-in.js";
import { freePort } from "../../rig/ports.js";
import { startStreamDeckHost, type StreamDeckHost } from "../../rig/stream-deck-host.js";
import { watchEvents, type EventWatch } from "../../rig/events.js";
import { ensurePluginBuilt } from "./support/plugin-build.js";

const DESTINATION = "com.relay.destination";
const RELAYS = { retryInitialMs: 300, retryMaxMs: 600, maxFailures: 2, stallTimeoutMs: 2000 };

let bridge: RunningBridge;
let host: StreamDeckHost;
let watch: EventWatch;
let obs: Obs | undefined;

beforeAll(async () => {
  await ensurePluginBuilt();
  bridge = await startBridge({
    extra: { relays: RELAYS },
    // Nothing listens on this port: every try is refused, and after two the destination fails.
    destinations: [{ id: "bad", name: "Broken", url: `rtmp://127.0.0.1:${await freePort()}/app`, key: "bad-secret-key-9", platform: "custom", enabled: false, transport: "direct" }],
  });
  watch = await watchEvents(bridge.url);
  obs = startObs({ url: `${bridge.ingestUrl}/obs` });
  await watch.waitFor((status) => status.ingest.live, { timeoutMs: 30_000, what: "the ingest live" });
  host = await startStreamDeckHost({ globalSettings: { bridgeUrl: bridge.url, runBridge: false } });
}, 120_000);

afterAll(async () => {
  watch?.close();
  await obs?.stop();
  await host?.stop();
  await bridge?.stop();
});

const alertsOn = (context: string) => host.inbox.filter((entry) => entry.message.event === "showAlert" && entry.message.context === context);

describe("a destination key when its platform fails", () => {
  it("flashes the Stream Deck's alert once when the platform goes failed", async () => {
    host.appear("key-bad", DESTINATION, { destination: "bad" });
    await host.waitFor((message) => message.event === "setImage" && message.context === "key-bad", { what: "the key's first image" });
    expect((await bridge.api("/api/destinations/bad/start", { method: "POST" })).status).toBe(200);
    const failed = await watch.waitFor((status) => status.destinations[0]?.state === "failed", { timeoutMs: 60_000, what: "bad failed" });
    const alert = await host.waitFor((message) => message.event === "showAlert" && message.context === "key-bad", { timeoutMs: 10_000, what: "the key's alert" });
    console.log(`showAlert reached the key ${alert.wallAt - failed.wallAt} ms after the failed state was sent`);
    // Two more status events (the numbers' period) later it was still flashed only once.
    await watch.waitForCount(2, { after: alert.at, timeoutMs: 10_000 }).catch(() => undefined);
    expect(alertsOn("key-bad").length).toBe(1);
  });

  it("does not flash a key that appears on a destination already failed", async () => {
    host.appear("key-bad-2", DESTINATION, { destination: "bad" });
    const image = await host.waitFor((message) => message.event === "setImage" && message.context === "key-bad-2", { what: "the second key's image" });
    await watch.waitForCount(2, { after: image.at, timeoutMs: 10_000 }).catch(() => undefined);
    expect(alertsOn("key-bad-2")).toEqual([]);
  });
});
