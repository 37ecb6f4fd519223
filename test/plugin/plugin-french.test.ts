// The plugin with the Stream Deck app in French: the built plugin, started by the stand-in for the
// app with application.language "fr", against a real bridge. Its keys say their state in French, and
// so does a settings panel the app opens with the same registration info.

import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../rig/chromium.js";
import type { DestinationView } from "../../contract/api.js";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";
import { freePort } from "../../rig/ports.js";
import { waitFor } from "../../rig/processes.js";
import { DEVICE, imageTitle, INFO, PLUGIN_DIR, startStreamDeckHost, type StreamDeckHost } from "../../rig/stream-deck-host.js";
import { ensurePluginBuilt } from "./support/plugin-build.js";

const DESTINATION = "com.relay.destination";
const INGEST = "com.relay.ingest";

let bridge: RunningBridge;
let host: StreamDeckHost;
let browser: Browser | undefined;

/** The words drawn on a key image (its <text> elements, XML character references read back). */
const wordsOn = (svg: string | undefined) =>
  [...(svg ?? "").matchAll(/<text [^>]*>(.*?)<\/text>/g)].map((match) => match[1]!.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))));

async function imageWhere(context: string, match: (svg: string) => boolean, what: string): Promise<string> {
  await waitFor(() => match(host.lastImage(context) ?? ""), { what: `${what} (last: ${imageTitle(host.lastImage(context))})`, timeoutMs: 20_000 });
  return host.lastImage(context)!;
}

beforeAll(async () => {
  await ensurePluginBuilt();
  bridge = await startBridge({
    // No OBS publishes here: nothing ever reaches this server, it only has to be a valid URL.
    destinations: [{ id: "yt", name: "YouTube", url: `rtmp://127.0.0.1:${await freePort()}/app`, key: "fr-plugin-key-71", platform: "youtube", enabled: false }],
  });
  host = await startStreamDeckHost({ language: "fr", globalSettings: { bridgeUrl: bridge.url, runBridge: false } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await bridge?.stop();
});

describe("the plugin in French", () => {
  it("draws a destination key's state in French, and follows a press", async () => {
    host.appear("key-yt", DESTINATION, { destination: "yt" });
    const off = await imageWhere("key-yt", (svg) => imageTitle(svg) === "YouTube : éteinte", "the off image in French");
    expect(wordsOn(off)).toEqual(["YT", "ARRÊT"]);
    host.keyDown("key-yt", DESTINATION);
    host.keyUp("key-yt", DESTINATION);
    await waitFor(async () => (await bridge.json<DestinationView>("/api/destinations/yt")).enabled, { what: "yt enabled" });
    const waiting = await imageWhere("key-yt", (svg) => wordsOn(svg).includes("ATTENTE"), "the waiting image in French");
    expect(wordsOn(waiting)).toEqual(["YT", "ATTENTE", "démarre", "avec OBS"]);
    expect(imageTitle(waiting)).toBe("YouTube : en attente, démarre, avec OBS");
  });

  it("draws the ingest key in French", async () => {
    host.appear("key-ingest", INGEST);
    const idle = await imageWhere("key-ingest", (svg) => wordsOn(svg).includes("SANS OBS"), "the ingest idle image in French");
    expect(wordsOn(idle)).toEqual(["OBS", "SANS OBS", "n'envoie rien"]);
  });

  it("says in French, in its settings panel, what it says in English elsewhere", async () => {
    browser = await launchChromium();
    const page: Page = await browser.newPage();
    await page.goto(pathToFileURL(`${PLUGIN_DIR}/ui/destination.html`).href);
    const connected = host.expectInspector("key-yt", DESTINATION);
    const info = JSON.stringify({ ...INFO, application: { ...INFO.application, language: "fr" } });
    const actionInfo = JSON.stringify({ action: DESTINATION, context: "key-yt", device: DEVICE, payload: { settings: { destination: "yt" }, coordinates: { column: 0, row: 0 } } });
    await page.evaluate(
      ([port, uuid, registration, action]) =>
        (window as unknown as { connectElgatoStreamDeckSocket: (...args: unknown[]) => void }).connectElgatoStreamDeckSocket(port, uuid, "registerPropertyInspector", registration, action),
      [host.port, "key-yt", info, actionInfo] as const,
    );
    await connected;
    await waitFor(async () => (await page.textContent("#status")) === "Connecté au bridge : 1 destination.", { what: "the French status line" });
    expect(await page.getAttribute("html", "lang")).toBe("fr");
    expect(await page.textContent("label[for=press]")).toBe("Appui");
    expect(await page.textContent("#press option[value=toggle]")).toBe("Allumer / éteindre");
    expect(await page.textContent("#showToken")).toBe("Afficher");
    expect(await page.getAttribute("#token", "placeholder")).toBe("seulement si le bridge en a un");
    expect(await page.textContent("#destination option[value='']")).toBe("Choisir une destination…");
    await page.close();
  });

  it("says the bridge is offline in French when it stops", async () => {
    await bridge.stop();
    const offline = await imageWhere("key-yt", (svg) => wordsOn(svg).includes("HORS LIGNE"), "the offline image in French");
    expect(imageTitle(offline)).toBe("YouTube : bridge hors ligne");
    expect(wordsOn(offline)).toEqual(["YT", "HORS LIGNE", "sans bridge"]);
  });
});
