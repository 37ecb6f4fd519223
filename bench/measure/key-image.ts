// Bridge state change → SSE event → key image: the built plugin runs against a stand-in for the
// Stream Deck app and a real bridge; a key is pressed, and each state the destination goes through
// (starting, live, stopping, off) is timed from the bridge's own `since` to the event reaching an SSE
// client and to the plugin sending the key's new image. All on one clock (Date.now(), ms).

import { setTimeout as sleep } from "node:timers/promises";
import type { RelayState } from "../../contract/api.js";
import type { Resources } from "../resources.js";
import { watchEvents } from "../../rig/events.js";
import { keyImageTitle, startStreamDeckHost, type StreamDeckHost } from "../../rig/stream-deck-host.js";
import { now } from "../../rig/clock.js";
import { launchBridge, launchPlatform, launchPublisher, waitStates } from "../rig.js";

export interface KeyImageOptions {
  /** The pinned bridge build and plugin folder. */
  bridgeEntry: string;
  pluginDir: string;
  clip: string;
  cycles: number;
  log: (line: string) => void;
}

/** One state change, ms after the bridge's `since`. */
export interface KeyImageSample {
  state: RelayState;
  eventMs: number;
  imageMs: number | null;
}

export interface KeyImageRun {
  samples: KeyImageSample[];
  /** Key down → the key shows the first new state (starting or stopping), ms. */
  pressToImageMs: number[];
}

const ACTION = "com.relay.destination";
const KEY = "bench-key";
const NAME = "YouTube";

export async function measureKeyImages(resources: Resources, options: KeyImageOptions): Promise<KeyImageRun> {
  return resources.scoped(async () => {
    const platform = await launchPlatform(resources);
    const bridge = await launchBridge(resources, options.bridgeEntry, [
      { id: "yt", name: NAME, url: platform.url, key: "bench_key_image_stream", enabled: false, platform: "youtube" },
    ]);
    launchPublisher(resources, { clip: options.clip, url: `${bridge.ingestUrl}/obs` });
    const watch = resources.add("an SSE watch", await watchEvents(bridge.url), (value) => value.close());
    await watch.waitFor((status) => status.ingest.live, { timeoutMs: 15_000, what: "the ingest live" });
    const host = resources.add("the Stream Deck stand-in", await startStreamDeckHost({ pluginDir: options.pluginDir, globalSettings: { bridgeUrl: bridge.url, token: "", runBridge: false } }), (value) => value.stop());
    const settings = { destination: "yt" };
    host.appear(KEY, ACTION, settings);
    await imageSaying(host, "off", 0);

    const samples: KeyImageSample[] = [];
    const pressToImageMs: number[] = [];
    for (let cycle = 0; cycle < options.cycles; cycle += 1) {
      for (const states of [["starting", "live"], ["stopping", "off"]] as const) {
        await sleep(300 + Math.random() * 300);
        // Wall clock to compare with the bridge's `since`; the harness clock to pick what arrived after.
        const pressedAt = Date.now();
        const pressedNow = now();
        host.press(KEY, ACTION, settings);
        for (const [index, state] of states.entries()) {
          const event = await watch
            .waitFor((status) => status.destinations.some((view) => view.id === "yt" && view.state === state), { after: pressedNow - 1, timeoutMs: 15_000, what: `yt ${state}` })
            .catch(() => null);
          const view = event?.status.destinations.find((one) => one.id === "yt");
          if (!event || !view?.since) continue;
          const since = Date.parse(view.since);
          const image = await imageSaying(host, state, pressedNow).catch(() => null);
          samples.push({ state, eventMs: event.wallAt - since, imageMs: image === null ? null : image - since });
          if (index === 0 && image !== null) pressToImageMs.push(image - pressedAt);
        }
        await waitStates(bridge, ["yt"], states[1], 15_000);
      }
      const recent = samples.slice(-4).map((sample) => `${sample.state} ${sample.imageMs === null ? "—" : sample.imageMs.toFixed(0)}`).join(", ");
      options.log(`  key image cycle ${cycle + 1}/${options.cycles}: ms from state change to image: ${recent}`);
    }
    return { samples, pressToImageMs };
  });
}

/** When (wall clock) the plugin sent an image for the key saying `state` (arrived at or after `after`, harness clock). */
async function imageSaying(host: StreamDeckHost, state: string, after: number): Promise<number> {
  const found = await host.waitFor(
    (message) => message.event === "setImage" && message.context === KEY && (keyImageTitle(message.payload?.image) ?? "").startsWith(`${NAME}: ${state}`),
    { after, timeoutMs: 15_000, what: `the key to show ${state}` },
  );
  return found.wallAt;
}
