// Headless Chromium for the status page tests: Debian's chromium driven by playwright-core, and
// screenshots kept under test-output/screenshots/.

import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { launchChromium } from "../../rig/chromium.js";

export const SCREENSHOTS = join(process.cwd(), "test-output", "screenshots");

/** A fresh headless browser. */
export const launchBrowser = launchChromium;

/** Saves a full-page screenshot as test-output/screenshots/NAME.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Collects what the page reports as errors (script errors, refused requests, CSP violations). */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  return problems;
}
