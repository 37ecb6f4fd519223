// Debian's Chromium driven headless by playwright-core, for the browser tests and the screenshots:
// one place for its path (RELAY_CHROMIUM overrides) and for the flags a closed network needs.

import { chromium, type Browser } from "playwright-core";

export const CHROMIUM_PATH = process.env.RELAY_CHROMIUM ?? "/usr/bin/chromium";

/** Headless, as root, with nothing that reaches out to the internet at start. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A fresh headless browser (playwright-core gives each launch its own temporary profile). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
}
