// The property inspector pages in a real Chromium, connected the way the Stream Deck app connects
// them (through the fake host) to the built plugin, which talks to a real bridge: the dropdown fills
// from the bridge, choices reach the key, and an unreachable bridge is said so on the page.

import { readFile, stat } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import which from "which";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../../rig/chromium.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DestinationView } from "../../contract/api.js";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";
import { freePort } from "../../rig/ports.js";
import { now } from "../../rig/clock.js";
import { waitFor } from "../../rig/processes.js";
import { decodeImage, DEVICE, imageTitle, PLUGIN_DIR, startStreamDeckHost, type StreamDeckHost } from "../../rig/stream-deck-host.js";
import { ensurePluginBuilt } from "./support/plugin-build.js";

const TOKEN = "inspector-token-31";

let bridge: RunningBridge;
let host: StreamDeckHost;
let browser: Browser;
const outsideRequests: string[] = [];

/** Opens `ui/<page>.html` as the app would for the key `context`. */
async function openInspector(pageName: string, context: string, action: string, settings: Record<string, unknown>): Promise<Page> {
  const page = await browser.newPage();
  page.on("request", (request) => {
    if (!request.url().startsWith("file:")) outsideRequests.push(request.url());
  });
  await page.goto(pathToFileURL(`${PLUGIN_DIR}/ui/${pageName}.html`).href);
  const connected = host.expectInspector(context, action);
  const actionInfo = JSON.stringify({ action, context, device: DEVICE, payload: { settings, coordinates: { column: 1, row: 0 } } });
  await page.evaluate(
    ([port, uuid, info]) => (window as unknown as { connectElgatoStreamDeckSocket: (...args: unknown[]) => void }).connectElgatoStreamDeckSocket(port, uuid, "registerPropertyInspector", "{}", info),
    [host.port, context, actionInfo] as const,
  );
  await connected;
  return page;
}

const optionValues = (page: Page) => page.$$eval("#destination option", (options) => options.map((option) => (option as HTMLOptionElement).value));

beforeAll(async () => {
  await ensurePluginBuilt();
  // No OBS publishes in these tests, so no relay ever starts: the server URL only has to be valid.
  const server = `rtmp://127.0.0.1:${await freePort()}/app`;
  bridge = await startBridge({
    token: TOKEN,
    destinations: [
      { id: "yt", name: "YouTube", url: server, key: "k-yt-secret", platform: "youtube", enabled: false },
      { id: "tw", name: "Twitch", url: server, key: "k-tw-secret", platform: "twitch", enabled: false },
    ],
  });
  // This bridge is started by the test: the plugin must never start one of its own here.
  host = await startStreamDeckHost({ globalSettings: { bridgeUrl: bridge.url, token: TOKEN, runBridge: false } });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await bridge?.stop();
});

describe("the property inspector", () => {
  it("fills the destination dropdown from the bridge and shows the saved choice", async () => {
    host.appear("key-1", "com.relay.destination", { destination: "yt" });
    const page = await openInspector("destination", "key-1", "com.relay.destination", { destination: "yt" });
    await waitFor(async () => (await optionValues(page)).length === 3, { what: "the dropdown to fill" });
    expect(await optionValues(page)).toEqual(["", "yt", "tw"]);
    expect(await page.$eval("#destination", (select) => (select as HTMLSelectElement).value)).toBe("yt");
    expect(await page.$eval("#destination option[value=tw]", (option) => option.textContent)).toBe("Twitch");
    expect(await page.textContent("#status")).toBe("Connected to the bridge: 2 destinations.");
    expect(await page.inputValue("#bridgeUrl")).toBe(bridge.url);
    expect(await page.getAttribute("#token", "type")).toBe("password");
    await page.close();
  });

  it("sends a new choice to the key, and the press mode to the press", async () => {
    const page = await openInspector("destination", "key-1", "com.relay.destination", { destination: "yt" });
    await waitFor(async () => (await optionValues(page)).includes("tw"), { what: "the dropdown" });
    const before = now();
    await page.selectOption("#destination", "tw");
    await host.waitFor((message) => message.event === "setImage" && message.context === "key-1" && imageTitle(decodeImage(message.payload?.image))?.startsWith("Twitch: off") === true, { after: before, what: "the Twitch image" });
    const tw = async () => (await bridge.json<DestinationView>("/api/destinations/tw")).enabled;
    const press = async (mode: string) => {
      await waitFor(() => host.settingsOf("key-1")?.press === mode, { what: `press mode ${mode} saved` });
      host.keyDown("key-1", "com.relay.destination");
      host.keyUp("key-1", "com.relay.destination");
    };
    await page.selectOption("#press", "start");
    await press("start");
    await waitFor(tw, { what: "tw started by the key" });
    // A second press of a start-only key leaves it on (a toggle would have switched it off). The bridge
    // writes the wish of every start, stop or toggle to its config, a new file renamed over the old one,
    // before it answers: a new file is the second press carried out, and it must still say tw is on.
    const configFile = async () => (await stat(bridge.configFile)).ino;
    const beforeSecond = await configFile();
    await press("start");
    await waitFor(async () => (await configFile()) !== beforeSecond, { what: "the bridge to write the second press's wish", timeoutMs: 10_000, intervalMs: 20 });
    const saved = JSON.parse(await readFile(bridge.configFile, "utf8")) as { destinations: Array<{ id: string; enabled?: boolean }> };
    expect(saved.destinations.find((destination) => destination.id === "tw")?.enabled).toBe(true);
    expect(await tw()).toBe(true);
    await page.selectOption("#press", "stop");
    await press("stop");
    await waitFor(async () => !(await tw()), { what: "tw stopped by the key" });
    expect(host.settingsOf("key-1")).toEqual({ destination: "tw", press: "stop" });
    await page.close();
  });

  it("says on the page when the bridge cannot be reached, and recovers when the address is fixed", async () => {
    const page = await openInspector("destination", "key-1", "com.relay.destination", { destination: "tw", press: "start" });
    await waitFor(async () => (await page.textContent("#status"))?.startsWith("Connected"), { what: "connected" });
    await waitFor(async () => (await page.locator("#openStatusPage").count()) === 1, { what: "the status page offered" });
    const dead = `http://127.0.0.1:${await freePort()}`;
    await page.fill("#bridgeUrl", dead);
    await page.press("#bridgeUrl", "Enter");
    await page.locator("#bridgeUrl").blur();
    await waitFor(async () => (await page.textContent("#status"))?.includes(`Nothing answers at ${dead}`), { what: "the unreachable message" });
    expect(await page.getAttribute("#status", "data-state")).toBe("error");
    expect(host.globalSettings.bridgeUrl).toBe(dead);
    // No bridge, no status page to open.
    await waitFor(async () => (await page.locator("#openStatusPage").count()) === 0, { what: "the status page no longer offered" });
    await waitFor(() => imageTitle(host.lastImage("key-1"))?.endsWith("bridge offline"), { what: "the key offline" });
    await page.fill("#bridgeUrl", bridge.url);
    await page.locator("#bridgeUrl").blur();
    await waitFor(async () => (await page.textContent("#status"))?.startsWith("Connected"), { what: "connected again" });
    await waitFor(() => imageTitle(host.lastImage("key-1"))?.startsWith("Twitch: "), { what: "the key back" });
    await page.close();
  });

  it("lets the all key pick destinations with checkboxes", async () => {
    host.appear("key-all", "com.relay.all", {});
    const page = await openInspector("all", "key-all", "com.relay.all", {});
    await waitFor(async () => (await page.$$("#destinations input[type=checkbox]")).length === 2, { what: "the checkboxes" });
    await page.check("#destinations input[value=yt]");
    await waitFor(() => JSON.stringify(host.settingsOf("key-all")) === JSON.stringify({ destinations: ["yt"] }), { what: "the chosen list saved" });
    await waitFor(() => imageTitle(host.lastImage("key-all"))?.includes("1 dest."), { what: "the all key counting one destination" });
    await page.close();
  });

  it("shows what a first run needs: programs with their install command and path, OBS's server, the status page", async () => {
    host.appear("key-setup", "com.relay.ingest", {});
    const page = await openInspector("ingest", "key-setup", "com.relay.ingest", {});
    await waitFor(async () => (await page.textContent("#obs-server")) === bridge.ingestUrl, { what: "the OBS server URL" });
    // The same example key as the status page gives.
    expect(await page.textContent("#obs-key")).toBe("obs");
    expect(await page.isChecked("#runBridge")).toBe(false);
    expect(await page.textContent("#setup")).toContain("✓ ffmpeg");
    expect(await page.locator("#openStatusPage").count()).toBe(1);

    // A wrong path is refused by the bridge with its reason, and the config file keeps the old value.
    await page.fill("#path-ffmpeg", "/nowhere/ffmpeg");
    await page.click("#save-ffmpeg");
    await waitFor(async () => /not found at .*\/nowhere\/ffmpeg/.test((await page.textContent("#result-ffmpeg", { timeout: 1_000 }).catch(() => "")) ?? ""), { what: "the refusal" });
    const config = async () => JSON.parse(await readFile(bridge.configFile, "utf8")) as { binaries?: { ffmpeg?: string } };
    expect((await config()).binaries?.ffmpeg ?? "").toBe("");

    const ffmpeg = await which("ffmpeg");
    await page.fill("#path-ffmpeg", ffmpeg);
    await page.click("#save-ffmpeg");
    await waitFor(async () => (await page.textContent("#result-ffmpeg", { timeout: 1_000 }).catch(() => "")) === "ffmpeg: saved", { what: "the saved answer" });
    expect((await config()).binaries?.ffmpeg).toBe(ffmpeg);

    // The status page button asks the app to open the bridge's page.
    const before = now();
    await page.click("#openStatusPage");
    const opened = await host.waitFor((message) => message.event === "openUrl" && message.fromInspector === "key-setup", { after: before, what: "openUrl from the inspector" });
    expect(opened.message.payload).toEqual({ url: `${bridge.url}/` });
    await page.close();
  });

  it("loads nothing from the network", () => {
    expect(outsideRequests).toEqual([]);
  });
});
