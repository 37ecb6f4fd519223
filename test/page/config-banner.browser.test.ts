// The status page in a real browser against the real bridge: a hand edit of the config file that is
// not valid shows a banner naming each key at fault, and the banner goes once the file is fixed.

import { readFile, writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";
import { launchBrowser } from "./browser.js";
import { waitFor } from "../../rig/processes.js";

describe("status page: an invalid hand edit of the config file", () => {
  let bridge: RunningBridge;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    bridge = await startBridge({ destinations: [{ id: "youtube", name: "YouTube", url: "rtmp://127.0.0.1:1/app", key: "banner-key-Zr4", platform: "youtube" }] });
    browser = await launchBrowser();
    page = await (await browser.newContext({ locale: "en-US" })).newPage();
    await page.goto(`${bridge.url}/`);
    await waitFor(async () => (await page.locator('article.card[data-id="youtube"]').count()) === 1, { what: "the destination's card", timeoutMs: 20_000 });
  });

  afterAll(async () => {
    await browser?.close();
    expect(await bridge?.stop()).toBe(0);
  });

  it("shows what is wrong by key until the file is fixed, never the key", async () => {
    const banner = page.locator("#config-problems");
    expect(await banner.isHidden()).toBe(true);
    const good = await readFile(bridge.configFile, "utf8");
    const config = JSON.parse(good);
    config.destinations[0].url = "http://127.0.0.1:1/app";
    await writeFile(bridge.configFile, JSON.stringify(config, null, 2));
    await expect.poll(() => banner.isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await banner.locator("p").textContent()).toMatch(/^The config file was edited but is not valid/);
    expect(await banner.locator("li").allTextContents()).toEqual([expect.stringMatching(/^destinations\[0\]\.url: must start with rtmp:\/\/ or rtmps:\/\//)]);
    expect(await page.content()).not.toContain("banner-key-Zr4");
    await writeFile(bridge.configFile, good);
    await expect.poll(() => banner.isHidden(), { timeout: 20_000 }).toBe(true);
  }, 60_000);
});
