// A destination's own quality on the status page, in a real browser against the real bridge: OBS (a
// stand-in) sends 90 fps, above Twitch's published 60; the card says so and offers "Fit to Twitch",
// whose click re-encodes that destination to 60 fps; the dialog edits the quality back to a copy.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";
import { startObs, type Obs } from "../../rig/obs-stand-in.js";
import { startPlatform, type Platform } from "../../rig/platform.js";
import { waitFor } from "../../rig/processes.js";
import { launchBrowser, screenshot, watchProblems } from "./browser.js";
import type { DestinationView, StatusView } from "../../contract/api.js";

const TWITCH_KEY = "live_quality_5Tq8wZr2";

describe("status page: a destination's own quality", () => {
  let platform: Platform;
  let bridge: RunningBridge;
  let obs: Obs;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    platform = await startPlatform();
    bridge = await startBridge({
      destinations: [{ id: "twitch", name: "Twitch", url: platform.url, key: TWITCH_KEY, platform: "twitch", transport: "direct" }],
    });
    // Small and cheap, but above Twitch's frame rate.
    obs = startObs({ url: `${bridge.ingestUrl}/obs`, size: "320x180", fps: 90, videoKbps: 600, gopSeconds: 1 });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    problems = watchProblems(page);
    await page.goto(`${bridge.url}/`);
  });

  afterAll(async () => {
    await browser?.close();
    await obs?.stop();
    const code = await bridge?.stop();
    await platform?.stop();
    expect(code).toBe(0);
  });

  const card = (id: string) => page.locator(`article.card[data-id="${id}"]`);
  const destination = () => bridge.json<DestinationView>("/api/destinations/twitch");

  it("says a copy is above its platform's limits, with the figures, and offers to fit it", async () => {
    await expect.poll(() => card("twitch").locator(".quality-label").textContent(), { timeout: 10_000 }).toBe("copied as OBS sends it");
    expect(await card("twitch").locator(".quality-label").getAttribute("data-encoded")).toBe("false");
    await expect.poll(() => card("twitch").locator(".warning").textContent(), { timeout: 20_000 }).toMatch(/^Twitch takes at most .*60 fps.*this sends .*90 fps/);
    expect((await destination()).warningCode).toBe("over_platform_limit");
    const fit = card("twitch").locator("button.fit");
    expect(await fit.isVisible()).toBe(true);
    expect(await fit.textContent()).toBe("Fit to Twitch");
    await screenshot(page, "quality-01-over-platform-limit");
  });

  it("fits it with one click: its own quality at the platform's frame rate, shown on the card, and it goes live so", async () => {
    await card("twitch").locator("button.fit").click();
    await expect.poll(async () => (await destination()).encode, { timeout: 10_000 }).toMatchObject({ video: { fps: 60, encoder: "auto" }, crop: "none" });
    const encode = (await destination()).encode!;
    // The platform's bitrate or the source's, when lower (here: the source's, without its audio).
    expect(encode.video.bitrateKbps).toBeLessThanOrEqual(6000);
    expect(encode.video.maxHeight).toBeUndefined();
    await expect.poll(() => card("twitch").locator(".quality-label").getAttribute("data-encoded")).toBe("true");
    expect(await card("twitch").locator(".quality-label").textContent()).toMatch(/^180p60 · \d+(\.\d)? [kM]b\/s$/);
    await expect.poll(() => card("twitch").locator("button.fit").isVisible()).toBe(false);
    await expect.poll(async () => (await destination()).warningCode ?? null).toBeNull();

    await card("twitch").locator("[role=switch]").click();
    await expect.poll(async () => (await destination()).state, { timeout: 20_000 }).toBe("live");
    await waitFor(async () => (await platform.streams()).some((stream) => stream.name === TWITCH_KEY), { what: "the platform to receive the re-encode", timeoutMs: 20_000 });
    await expect.poll(() => card("twitch").locator(".bitrate").textContent(), { timeout: 10_000 }).toMatch(/[1-9][\d.]* [kM]b\/s/);
    // Its encoder is named beside its figures.
    await expect.poll(() => card("twitch").textContent(), { timeout: 10_000 }).toMatch(/libx264|h264_/);
    await screenshot(page, "quality-02-fitted-and-live");
  });

  it("edits the quality in the dialog: the encoders that do not work here are marked, and a copy again is one choice", async () => {
    await card("twitch").locator("button.edit").click();
    const dialog = page.locator("#destination-dialog");
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.locator("select[name=quality]").inputValue()).toBe("own");
    expect(await dialog.locator(".quality-own").isVisible()).toBe(true);
    expect(await dialog.locator("select[name=fps]").inputValue()).toBe("60");
    const status = await bridge.json<StatusView>("/api/status");
    const broken = status.services.ffmpeg?.encoders?.find((encoder) => !encoder.works);
    if (broken) {
      const option = dialog.locator(`select[name=encoder] option[value="${broken.family}"]`);
      await expect.poll(() => option.textContent()).toBe(`${broken.family} (not available here)`);
    }
    await screenshot(page, "quality-03-dialog");

    await dialog.locator("select[name=quality]").selectOption("copy");
    expect(await dialog.locator(".quality-own").isVisible()).toBe(false);
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(async () => (await destination()).encode ?? null).toBeNull();
    await expect.poll(() => card("twitch").locator(".quality-label").textContent()).toBe("copied as OBS sends it");
    // A copy of 90 fps is above Twitch's limit again: the card says so, and it stays live through the change.
    await expect.poll(async () => (await destination()).warningCode ?? null, { timeout: 20_000 }).toBe("over_platform_limit");
    await expect.poll(async () => (await destination()).state, { timeout: 20_000 }).toBe("live");
  });

  it("runs with no script error and no Content-Security-Policy violation", () => {
    expect(problems).toEqual([]);
  });
});
