// The status page in a real browser against the real bridge: real nginx ingest, an OBS stand-in
// publishing, and a second nginx-rtmp as the platform the relays push to.

import { readFile } from "node:fs/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page, Response } from "playwright-core";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";
import { freePort } from "../../rig/ports.js";
import { startObs, type Obs } from "../../rig/obs-stand-in.js";
import { startPlatform, type Platform } from "../../rig/platform.js";
import { waitFor } from "../../rig/processes.js";
import { launchBrowser, screenshot, watchProblems } from "./browser.js";
import type { DestinationView } from "../../contract/api.js";

// Stream names on the test platform are the keys, so each relay can be told apart there.
const YOUTUBE_KEY = "yt-key-Q7fW2pLx9";
const TWITCH_KEY = "live_twitch_8Hs3kD0qZ";
const FORM_KEY = "form-key-M4nB6vC1x";
const DEAD_KEY = "dead-key-Zp3Rt8Wq";
const KEYS = [YOUTUBE_KEY, TWITCH_KEY, FORM_KEY, DEAD_KEY];

/** Where the browser opens the page the bridge serves. */
function pageUrl(bridge: RunningBridge): string {
  return `${bridge.url}/`;
}

describe("status page", () => {
  let platform: Platform;
  let bridge: RunningBridge;
  let obs: Obs;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  const apiBodies: string[] = [];

  beforeAll(async () => {
    platform = await startPlatform();
    // Nothing listens there: ffmpeg fails and prints the URL it pushes to, key included.
    const deadPort = await freePort();
    bridge = await startBridge({
      destinations: [
        { id: "youtube", name: "YouTube", url: platform.url, key: YOUTUBE_KEY, platform: "youtube", transport: "direct" },
        { id: "twitch", name: "Twitch", url: platform.url, key: TWITCH_KEY, platform: "twitch", transport: "direct" },
        { id: "dead", name: "Dead server", url: `rtmp://127.0.0.1:${deadPort}/app`, key: DEAD_KEY, platform: "custom", transport: "direct" },
      ],
    });
    obs = startObs({ url: `${bridge.ingestUrl}/obs` });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    problems = watchProblems(page);
    // Every answer the page reads is kept, to prove no key ever reaches the browser.
    page.on("response", (response: Response) => {
      if (!new URL(response.url()).pathname.startsWith("/api/") || response.url().includes("/api/events")) return;
      void response.text().then((text) => apiBodies.push(text), () => {});
    });
    await page.goto(pageUrl(bridge));
  });

  // A failure here says what the bridge and the OBS stand-in saw (a run that never went live is
  // otherwise silent about why).
  afterEach(({ task }) => {
    if (task.result?.state !== "fail") return;
    console.error(`bridge output (tail):\n${bridge?.output().slice(-6_000)}\nOBS stand-in: ${obs?.output().slice(-2_000)}`);
  });

  afterAll(async () => {
    await browser?.close();
    await obs?.stop();
    const code = await bridge?.stop();
    await platform?.stop();
    expect(code).toBe(0);
  });

  const card = (id: string) => page.locator(`article.card[data-id="${id}"]`);
  const stateOf = (id: string) => card(id).getAttribute("data-state");
  const streamNames = async () => (await platform.streams()).map((stream) => stream.name);

  it("lists the destinations with their state, and the ingest once OBS sends", async () => {
    await expect.poll(() => card("youtube").count()).toBe(1);
    await expect.poll(() => card("twitch").count()).toBe(1);
    expect(await card("youtube").locator(".dest-name").textContent()).toBe("YouTube");
    expect(await card("youtube").locator(".state-badge").textContent()).toBe("OFF");
    expect(await stateOf("twitch")).toBe("off");
    expect(await card("youtube").locator("[role=switch]").getAttribute("aria-checked")).toBe("false");
    await expect.poll(() => page.locator("#ingest").getAttribute("data-live"), { timeout: 20_000 }).toBe("true");
    await expect.poll(() => page.locator("#ingest .media").textContent(), { timeout: 10_000 }).toMatch(/640×360/);
    expect(await page.locator("#ingest .badge").textContent()).toBe("LIVE");
    expect(await page.locator('[data-service="nginx"] .service-state').textContent()).toBe("running");
    await screenshot(page, "01-destinations-listed");
  });

  it("starts a real relay from the switch and stops it from the keyboard", async () => {
    const marker = await page.evaluate(() => ((window as unknown as { marker: number }).marker = Math.random()));
    const pressedAt = Date.now();
    await card("youtube").locator("[role=switch]").click();
    await expect.poll(() => card("youtube").locator("[role=switch]").getAttribute("aria-checked")).toBe("true");
    await waitFor(async () => (await streamNames()).includes(YOUTUBE_KEY), { what: "the platform to receive YouTube's relay", timeoutMs: 20_000 });
    const receivingAfterMs = Date.now() - pressedAt;
    await expect.poll(() => stateOf("youtube"), { timeout: 20_000 }).toBe("live");
    await expect.poll(() => card("youtube").locator(".bitrate").textContent(), { timeout: 10_000 }).toMatch(/[1-9][\d.]* [kM]b\/s/);
    await expect.poll(() => page.locator("#upload .upload-total").textContent()).toMatch(/to 1 destination$/);
    const bytes = (await platform.streams()).find((stream) => stream.name === YOUTUBE_KEY)!.bytesIn;
    await waitFor(async () => (await platform.streams()).find((stream) => stream.name === YOUTUBE_KEY)!.bytesIn > bytes, { what: "media to keep flowing" });
    expect(await streamNames()).not.toContain(TWITCH_KEY);
    await page.waitForTimeout(2500); // let the sparkline draw a few samples for the screenshot
    await screenshot(page, "02-youtube-live-from-switch");
    console.log(`page switch → platform receiving: ${receivingAfterMs} ms`);

    await card("youtube").locator("[role=switch]").focus();
    await page.keyboard.press("Space");
    await expect.poll(() => stateOf("youtube"), { timeout: 10_000 }).toBe("off");
    await waitFor(async () => !(await streamNames()).includes(YOUTUBE_KEY), { what: "the relay to end on the platform", timeoutMs: 10_000 });
    expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(marker);
  });

  it("shows changes made through the API without a reload", async () => {
    const marker = await page.evaluate(() => ((window as unknown as { marker: number }).marker = Math.random()));
    expect((await bridge.api("/api/destinations/twitch/start", { method: "POST" })).status).toBe(200);
    await expect.poll(() => card("twitch").locator("[role=switch]").getAttribute("aria-checked")).toBe("true");
    await expect.poll(() => stateOf("twitch"), { timeout: 20_000 }).toBe("live");
    await waitFor(async () => (await streamNames()).includes(TWITCH_KEY), { what: "the platform to receive Twitch's relay" });

    const created = await bridge.api("/api/destinations", { method: "POST", body: JSON.stringify({ name: "Backup", url: platform.url, platform: "custom" }) });
    expect(created.status).toBe(201);
    await expect.poll(() => card("backup").count()).toBe(1);
    expect(await stateOf("backup")).toBe("off");
    await screenshot(page, "03-changes-from-api");

    expect((await bridge.api("/api/destinations/backup", { method: "DELETE" })).status).toBe(204);
    await expect.poll(() => card("backup").count()).toBe(0);
    expect((await bridge.api("/api/destinations/twitch/stop", { method: "POST" })).status).toBe(200);
    await expect.poll(() => stateOf("twitch"), { timeout: 10_000 }).toBe("off");
    expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(marker);
  });

  it("shows what to type into OBS, each card's id, a missing key, full-width sparklines; a deleted card stops reading its log", async () => {
    await expect.poll(() => page.locator("#ingest .obs-server").first().textContent()).toBe(bridge.ingestUrl);
    expect(await page.locator("#ingest .obs-key").textContent()).toMatch(/^Stream key: anything/);
    expect(await page.locator("#ingest button.copy").first().isVisible()).toBe(true);
    expect(await card("youtube").locator(".dest-id").textContent()).toBe("id: youtube");
    await expect.poll(() => page.evaluate(() => (document.querySelector("#ingest .spark-line") as SVGGraphicsElement | null)?.getBoundingClientRect().width ?? 0), { timeout: 15_000 }).toBeGreaterThan(100);

    expect((await bridge.api("/api/destinations", { method: "POST", body: JSON.stringify({ id: "nokey", name: "No key", url: platform.url }) })).status).toBe(201);
    await expect.poll(() => card("nokey").locator(".warning").textContent()).toMatch(/^No stream key/);
    const logAsks: Record<string, number[]> = { nokey: [], twitch: [] };
    const onRequest = (request: { url(): string }) => {
      const asked = /^\/api\/destinations\/([^/]+)\/log$/.exec(new URL(request.url()).pathname)?.[1];
      if (asked && logAsks[asked]) logAsks[asked].push(Date.now());
    };
    page.on("request", onRequest);
    // Twitch's log open too: its card reads it on the same schedule, its asks are the page's clock.
    await card("twitch").locator(".log summary").click();
    await card("nokey").locator(".log summary").click();
    await expect.poll(() => logAsks.nokey!.length, { timeout: 5_000 }).toBeGreaterThan(0);
    page.once("dialog", (dialog) => void dialog.accept());
    await card("nokey").getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => card("nokey").count()).toBe(0);
    const deletedAt = Date.now();
    // Three reads of Twitch's open log after the delete: two whole refresh periods, past the next
    // read a deleted card that kept its timer would have made.
    await expect.poll(() => logAsks.twitch!.filter((at) => at > deletedAt).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    expect(logAsks.nokey!.filter((at) => at > deletedAt)).toEqual([]);
    page.off("request", onRequest);
    await card("twitch").locator(".log summary").click();
  });

  it("shows an invalid server URL's error by the URL field, and adds nothing", async () => {
    const before = (await bridge.json<DestinationView[]>("/api/destinations")).length;
    await page.getByRole("button", { name: "Add destination" }).click();
    const dialog = page.locator("#destination-dialog");
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.locator("select[name=platform]").selectOption("custom");
    await dialog.locator("input[name=name]").fill("My server");
    await dialog.locator("input[name=url]").fill("http://example.com/live");
    await dialog.locator("input[name=key]").fill(FORM_KEY);
    await dialog.getByRole("button", { name: "Save" }).click();
    const urlError = dialog.locator("#f-url-error");
    await expect.poll(() => urlError.isVisible()).toBe(true);
    expect(await urlError.textContent()).toMatch(/rtmp:\/\//);
    expect(await dialog.locator("input[name=url]").getAttribute("aria-invalid")).toBe("true");
    expect(await dialog.locator("#f-name-error").isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("url");
    await screenshot(page, "04-invalid-url-by-its-field");
    expect((await bridge.json<DestinationView[]>("/api/destinations")).length).toBe(before);

    // Fixed, it saves: the new card appears and the key field is emptied.
    await dialog.locator("input[name=url]").fill(platform.url);
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => card("my-server").count()).toBe(1);
    expect(await dialog.locator("input[name=key]").inputValue()).toBe("");
    expect(await card("my-server").locator(".server").textContent()).toContain("stream key set");
  });

  it("never shows a stream key: not in the page, its inputs, its answers, a last error or a log", async () => {
    await card("my-server").locator("[role=switch]").click();
    await waitFor(async () => (await streamNames()).includes(FORM_KEY), { what: "the form-added relay to reach the platform" });
    await expect.poll(() => stateOf("my-server"), { timeout: 20_000 }).toBe("live");
    await card("my-server").getByRole("button", { name: "Edit" }).click();
    expect(await page.locator("#destination-dialog input[name=key]").inputValue()).toBe("");
    await screenshot(page, "05-edit-form-key-write-only");
    await page.locator("#destination-dialog").getByRole("button", { name: "Cancel" }).click();
    await card("my-server").locator("[role=switch]").click();
    await expect.poll(() => stateOf("my-server"), { timeout: 10_000 }).toBe("off");

    // A relay that fails: its error and its log are where ffmpeg would print the key.
    await card("dead").locator("[role=switch]").click();
    await expect.poll(() => stateOf("dead"), { timeout: 20_000 }).toMatch(/^(retrying|failed)$/);
    await expect.poll(() => card("dead").locator(".last-error").isVisible(), { timeout: 20_000 }).toBe(true);
    await card("dead").locator("details.log summary").click();
    await expect.poll(() => card("dead").locator(".log-lines").textContent(), { timeout: 20_000 }).toMatch(/127\.0\.0\.1/);
    await screenshot(page, "06-failing-relay-error-and-log");
    const lastError = await card("dead").locator(".last-error").textContent();
    const log = await card("dead").locator(".log-lines").textContent();
    await card("dead").locator("[role=switch]").click();
    await expect.poll(() => stateOf("dead"), { timeout: 10_000 }).toBe("off");

    const html = await page.content();
    const values = await page.evaluate(() => [...document.querySelectorAll("input, select, textarea")].map((element) => (element as HTMLInputElement).value).join("\n"));
    const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }));
    expect(apiBodies.length).toBeGreaterThan(5);
    for (const key of KEYS) {
      expect(html).not.toContain(key);
      expect(values).not.toContain(key);
      expect(storage).not.toContain(key);
      expect(lastError).not.toContain(key);
      expect(log).not.toContain(key);
      for (const body of apiBodies) expect(body).not.toContain(key);
    }
  });

  it("reads well on a phone", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, "07-phone");
  });

  it("moves the ingest to another port from the page, and shows OBS the new address", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const moved = await freePort();
    const form = page.locator("form.ports");
    await expect.poll(() => form.locator("input[name=ingestPort]").inputValue()).toBe(String(bridge.ingestPort));
    await form.locator("input[name=ingestPort]").fill(String(moved));
    await form.getByRole("button", { name: "Save ports" }).click();
    await expect.poll(() => form.locator(".ports-result").textContent()).toBe(`Saved. OBS's server: port ${moved}.`);
    await expect.poll(() => page.locator("#ingest .obs-server").first().textContent(), { timeout: 10_000 }).toBe(`rtmp://127.0.0.1:${moved}/live`);
    expect(JSON.parse(await readFile(bridge.configFile, "utf8")).ingest.port).toBe(moved);
  });

  it("runs with no script error and no Content-Security-Policy violation", () => {
    // The one refused request allowed is the invalid server URL saved on purpose above.
    expect(problems.filter((problem) => !/status of 400/.test(problem))).toEqual([]);
    expect(problems.filter((problem) => /status of 400/.test(problem)).length).toBeLessThanOrEqual(1);
  });
});

describe("status page with a bridge token", () => {
  let bridge: RunningBridge;
  let browser: Browser;

  beforeAll(async () => {
    bridge = await startBridge({ token: "desk-token-5r8T-page" });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await bridge?.stop();
  });

  it("asks for the token once, keeps it, and gets live updates with it", async () => {
    const page = await browser.newPage();
    const problems = watchProblems(page);
    await page.goto(pageUrl(bridge));
    const gate = page.locator("#token-gate");
    await expect.poll(() => gate.isVisible()).toBe(true);
    await screenshot(page, "08-token-asked");
    await gate.locator("input[name=token]").fill("wrong");
    await gate.getByRole("button", { name: "Connect" }).click();
    await expect.poll(() => gate.locator(".token-reason").textContent()).toMatch(/refused/);
    await gate.locator("input[name=token]").fill("desk-token-5r8T-page");
    await gate.getByRole("button", { name: "Connect" }).click();
    await expect.poll(() => gate.isVisible()).toBe(false);
    await expect.poll(() => page.locator("#connection").getAttribute("data-state")).toBe("live");

    const created = await bridge.api("/api/destinations", { method: "POST", body: JSON.stringify({ name: "Kick", url: "rtmps://fa723fc1b171.global-contribute.live-video.net/app", platform: "kick" }) });
    expect(created.status).toBe(201);
    const kick = page.locator('article.card[data-id="kick"]');
    await expect.poll(() => kick.count()).toBe(1);
    // No OBS here: switched on from the API, it is armed and waits; the page must say so by itself.
    expect((await bridge.api("/api/destinations/kick/start", { method: "POST" })).status).toBe(200);
    await expect.poll(() => kick.locator("[role=switch]").getAttribute("aria-checked"), { timeout: 5_000 }).toBe("true");
    await expect.poll(() => kick.getAttribute("data-state")).toBe("waiting");
    expect(await kick.locator(".state-badge").textContent()).toBe("ARMED");

    await page.reload();
    await expect.poll(() => kick.count()).toBe(1);
    expect(await kick.locator("[role=switch]").getAttribute("aria-checked")).toBe("true");
    expect(await gate.isVisible()).toBe(false);
    // The 401s of the refused tries are the only console errors allowed.
    expect(problems.filter((problem) => !/401/.test(problem))).toEqual([]);
  });
});
