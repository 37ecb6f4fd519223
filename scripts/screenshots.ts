// `npm run screenshots`: the README's pictures, made by the project's own pieces. The status page
// is photographed in headless Chromium while the demo runs (two platforms live, one off, one
// failing); the keys come from the plugin's key renderer, drawn to PNG with resvg.
// Writes docs/images/status-page.png and docs/images/keys.png.

import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { Resvg } from "@resvg/resvg-js";
import { freePort } from "../rig/ports.js";
import { waitFor } from "../rig/processes.js";
import type { StatusView } from "../contract/api.js";
import { startDemo, type Demo } from "./lib/demo-setup.js";
import { renderKeyStrip } from "./lib/key-strip.js";
import { launchChromium } from "../rig/chromium.js";

const IMAGES = fileURLToPath(new URL("../docs/images/", import.meta.url));

async function keysImage(): Promise<string> {
  const svg = renderKeyStrip({ now: Date.now() });
  const png = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } }).render().asPng();
  const file = join(IMAGES, "keys.png");
  await writeFile(file, png);
  return `${file} (${png.length} bytes)`;
}

async function statusPageImage(demo: Demo): Promise<string> {
  const api = (path: string, init?: RequestInit) =>
    fetch(`${demo.bridgeUrl}${path}`, { ...init, headers: { "content-type": "application/json" } });
  const status = async () => (await (await api("/api/status")).json()) as StatusView;
  const stateOf = async (id: string) => (await status()).destinations.find((view) => view.id === id)?.state;

  await api("/api/destinations/twitch/start", { method: "POST" });
  await waitFor(async () => (await stateOf("youtube")) === "live" && (await stateOf("twitch")) === "live", {
    what: "youtube and twitch to be live",
    timeoutMs: 30_000,
    intervalMs: 200,
  });

  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 }, colorScheme: "dark" });
    await page.goto(demo.pageUrl);
    await page.locator('article.card[data-id="youtube"][data-state="live"]').waitFor({ timeout: 20_000 });
    await page.locator('#ingest[data-live="true"]').waitFor({ timeout: 20_000 });
    // Let the bitrate graphs draw most of their two-minute window.
    await sleep(90_000);
    // A platform that refuses: nothing listens on its port, so its relay fails and is retried. Added
    // last, so it is caught retrying rather than having given up.
    const closedPort = await freePort();
    const created = await api("/api/destinations", {
      method: "POST",
      body: JSON.stringify({ id: "kick", name: "Kick", platform: "kick", url: `rtmp://127.0.0.1:${closedPort}/app`, key: "demo-kick-stream" }),
    });
    if (created.status !== 201) throw new Error(`adding the failing destination answered ${created.status}: ${await created.text()}`);
    await api("/api/destinations/kick/start", { method: "POST" });
    await page.locator('article.card[data-id="kick"][data-state="retrying"]').waitFor({ timeout: 20_000 });
    const file = join(IMAGES, "status-page.png");
    await page.screenshot({ path: file, fullPage: true });
    return file;
  } finally {
    await browser.close();
  }
}

async function main(): Promise<number> {
  await mkdir(IMAGES, { recursive: true });
  process.stdout.write(`keys: ${await keysImage()}\n`);
  const demo = await startDemo({ log: () => undefined });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void demo.stop().then(() => process.exit(130));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    process.stdout.write(`status page: ${await statusPageImage(demo)}\n`);
  } finally {
    await demo.stop();
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`screenshots: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
