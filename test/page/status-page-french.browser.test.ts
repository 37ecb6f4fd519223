// The status page in French in a real browser (locale fr-FR) against the real bridge: labels, states,
// a field error from the bridge said in French, and the EN/FR switch remembered across visits.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";
import { launchBrowser, screenshot, watchProblems } from "./browser.js";
import type { DestinationView } from "../../contract/api.js";

describe("status page in French", () => {
  let bridge: RunningBridge;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    bridge = await startBridge({
      destinations: [{ id: "youtube", name: "YouTube", url: "rtmp://127.0.0.1:1/app", key: "fr-test-key-Hq8", platform: "youtube", transport: "direct" }],
    });
    browser = await launchBrowser();
    context = await browser.newContext({ locale: "fr-FR", viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    problems = watchProblems(page);
    await page.goto(`${bridge.url}/`);
  });

  afterAll(async () => {
    await browser?.close();
    expect(await bridge?.stop()).toBe(0);
  });

  const card = (id: string) => page.locator(`article.card[data-id="${id}"]`);

  it("follows the browser's language: headings, buttons, states and services in French", async () => {
    expect(await page.evaluate(() => navigator.language)).toBe("fr-FR");
    await expect.poll(() => card("youtube").count()).toBe(1);
    expect(await page.locator("html").getAttribute("lang")).toBe("fr");
    expect(await page.locator("#destinations-heading").textContent()).toBe("Destinations");
    expect(await page.locator("#add-destination").textContent()).toBe("Ajouter une destination");
    expect(await page.locator("#ingest-heading").textContent()).toBe("Entrée (OBS)");
    expect(await page.locator("#ingest .badge").textContent()).toBe("HORS LIGNE");
    expect(await page.locator("#ingest .ingest-name").textContent()).not.toMatch(/Waiting/);
    expect(await card("youtube").locator(".state-badge").textContent()).toBe("ARRÊT");
    expect(await card("youtube").locator(".state-text").textContent()).toBe("Éteinte.");
    expect(await card("youtube").locator(".restarts").textContent()).toBe("0 redémarrage");
    expect(await card("youtube").getByRole("button", { name: "Modifier" }).count()).toBe(1);
    expect(await card("youtube").locator("[role=switch]").getAttribute("aria-label")).toBe("YouTube : éteinte, appuyez pour l'allumer");
    await expect.poll(() => page.locator('[data-service="nginx"] .service-state').textContent(), { timeout: 10_000 }).toBe("en marche");
    expect(await page.locator("#connection").textContent()).toBe("Mises à jour en direct");
    expect(await page.locator("#upload .upload-total").textContent()).toBe("0 kb/s vers 0 destination");
    expect(await page.locator("#language button[aria-pressed=true]").textContent()).toBe("FR");
    await screenshot(page, "fr-01-page");
  });

  it("says the form's own checks and the bridge's field error in French beside the field", async () => {
    const before = (await bridge.json<DestinationView[]>("/api/destinations")).length;
    await page.getByRole("button", { name: "Ajouter une destination" }).click();
    const dialog = page.locator("#destination-dialog");
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.locator("h2").textContent()).toBe("Ajouter une destination");
    expect(await dialog.locator("label[for=f-url]").textContent()).toBe("URL du serveur");
    await dialog.locator("select[name=platform]").selectOption("custom");
    expect(await dialog.locator("#f-platform-help").textContent()).toBe("Tout serveur RTMP ou RTMPS : collez son URL de serveur et sa clé de stream.");
    expect(await dialog.locator("select[name=platform] option[value=custom]").textContent()).toBe("RTMP/RTMPS personnalisé");
    await dialog.locator("input[name=name]").fill("Mon serveur");
    // A URL the form lets through (it looks like rtmp://host…) that the bridge refuses: its answer, in French.
    await dialog.locator("input[name=url]").fill("rtmp://user:pw@example.com/live");
    await dialog.locator("input[name=key]").fill("fr-form-key-2Lp");
    await dialog.getByRole("button", { name: "Enregistrer" }).click();
    const urlError = dialog.locator("#f-url-error");
    await expect.poll(() => urlError.isVisible()).toBe(true);
    expect(await urlError.textContent()).toMatch(/^L'URL du serveur doit ressembler à rtmp:\/\/hôte\/app/);
    expect(await dialog.locator("input[name=url]").getAttribute("aria-invalid")).toBe("true");
    await screenshot(page, "fr-02-field-error");
    // The form's own check, before any request: in French too.
    await dialog.locator("input[name=url]").fill("http://example.com/live");
    await dialog.getByRole("button", { name: "Enregistrer" }).click();
    await expect.poll(() => urlError.textContent()).toMatch(/^Collez l'URL du serveur de la page de la plateforme/);
    await dialog.getByRole("button", { name: "Annuler" }).click();
    expect((await bridge.json<DestinationView[]>("/api/destinations")).length).toBe(before);
  });

  it("switches to English and remembers it on the next visit, then back to French", async () => {
    await page.locator('#language button[data-lang="en"]').click();
    await expect.poll(() => page.locator("#add-destination").textContent()).toBe("Add destination");
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    await expect.poll(() => card("youtube").locator(".state-badge").textContent()).toBe("OFF");
    const again = await context.newPage();
    await again.goto(`${bridge.url}/`);
    await expect.poll(() => again.locator(`article.card[data-id="youtube"] .state-badge`).textContent()).toBe("OFF");
    await again.locator('#language button[data-lang="fr"]').click();
    await expect.poll(() => again.locator("#add-destination").textContent()).toBe("Ajouter une destination");
    await again.close();
    // The one refused request is the invalid URL sent on purpose above.
    expect(problems.filter((problem) => !problem.includes("status of 400"))).toEqual([]);
  });
});
