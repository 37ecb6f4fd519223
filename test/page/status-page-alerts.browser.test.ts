// The status page's alerts section and health graph in Chromium against the real bridge: a webhook
// added on the page gets the test alert at a local receiver and its URL never comes back to the page;
// a card's graph is drawn from the bridge's history at once after a reload, with its value on hover.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";
import { startObs, type Obs } from "../../rig/obs-stand-in.js";
import { startPlatform, type Platform } from "../../rig/platform.js";
import { startWebhookReceiver, type WebhookReceiver } from "../../rig/webhook-receiver.js";
import { launchBrowser, watchProblems } from "./browser.js";
import type { HistoryView } from "../../contract/api.js";

const TOPIC = "/relay-page-topic-secret-83d1";

describe("status page: alerts and history", () => {
  let receiver: WebhookReceiver;
  let platform: Platform;
  let bridge: RunningBridge;
  let obs: Obs;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    platform = await startPlatform();
    bridge = await startBridge({ destinations: [{ id: "youtube", name: "YouTube", url: platform.url, key: "page-alert-key-61", platform: "youtube", enabled: true, transport: "direct" }] });
    obs = startObs({ url: `${bridge.ingestUrl}/obs` });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    problems = watchProblems(page);
    await page.goto(`${bridge.url}/`);
  });

  afterAll(async () => {
    await browser?.close();
    await obs?.stop();
    await bridge?.stop();
    await Promise.all([platform?.stop(), receiver?.close()]);
  });

  it("adds a webhook, sends it a test alert that the receiver gets, and never shows its URL again", async () => {
    const alerts = page.locator("#alerts");
    await expect.poll(() => alerts.locator(".empty").isVisible()).toBe(true);
    await alerts.locator("input[name=webhook-url]").fill(receiver.base + TOPIC);
    await alerts.locator("select[name=webhook-format]").selectOption("ntfy");
    await alerts.getByRole("button", { name: "Add webhook" }).click();
    await expect.poll(() => alerts.locator(".webhooks li").textContent()).toContain("Webhook 1: ntfy");
    expect(await alerts.locator("input[name=webhook-url]").inputValue()).toBe("");
    await alerts.getByRole("button", { name: "Send a test alert" }).click();
    const hook = await receiver.waitFor((each) => each.path === TOPIC, { what: "the test alert" });
    expect(hook.body).toBe("Test alert from Relay: its alerts reach you here.");
    expect(hook.headers.title).toBe("Relay test alert");
    await expect.poll(() => alerts.locator(".alerts-result").textContent()).toBe("Webhook 1: received.");
    await page.reload();
    await expect.poll(() => page.locator("#alerts .webhooks li").count()).toBe(1);
    expect(await page.content()).not.toContain(TOPIC);
    expect(problems).toEqual([]);
  });

  it("draws the card's graph from the bridge's history right after a reload, labelled, with the value on hover", async () => {
    // Two samples of the destination live (one every 5 s) in the bridge's history.
    await expect
      .poll(async () => (await bridge.json<HistoryView>("/api/history")).destinations.youtube?.kbps.filter((kbps) => kbps > 0).length ?? 0, { timeout: 40_000, interval: 1000 })
      .toBeGreaterThanOrEqual(2);
    await page.reload();
    const graph = page.locator('article.card[data-id="youtube"] .history-graph');
    await expect.poll(() => graph.getAttribute("data-flat"), { timeout: 10_000 }).toBe("false");
    expect((await graph.locator(".graph-line").getAttribute("d"))!.split("L").length).toBeGreaterThanOrEqual(2);
    expect(await graph.getAttribute("aria-label")).toBe("YouTube: Bitrate, Frame rate over the last 30 min");
    expect(await graph.locator(".graph-now").textContent()).toBe("now");
    expect(await graph.locator(".graph-from").textContent()).toBe("30 min ago");
    expect(await graph.locator(".graph-top").textContent()).toMatch(/Mb\/s$/);
    // Hovered where the newest sample is drawn (scrolled into view first: the summary sits above the cards).
    const plot = graph.locator(".graph-plot");
    await plot.scrollIntoViewIfNeeded();
    const box = (await plot.boundingBox())!;
    await plot.hover({ position: { x: box.width - 2, y: box.height / 2 } });
    await expect.poll(() => graph.locator(".graph-readout").textContent()).toMatch(/: [\d.]+ [kM]b\/s · \d+(\.\d)? fps$/);
    await expect.poll(() => page.locator('article.card[data-id="youtube"] .sent').textContent(), { timeout: 10_000 }).toMatch(/^[\d.]+ [kMG]B sent$/);
    expect(problems).toEqual([]);
  });
});
