import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultAssetDirs, findPackageRoot, PAGE_CSP, pageRoutes } from "../../bridge/http/routes/page-routes.js";
import { memoryBridgeApi } from "./memory-bridge-api.js";
import { statusView } from "../../rig/status-views.js";
import { serveApp, type ServedApp } from "./serve-app.js";

describe("page routes", () => {
  let dir: string;
  let served: ServedApp;
  let missing: ServedApp;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "relay-page-"));
    await mkdir(join(dir, "built"));
    await mkdir(join(dir, "sources"));
    await writeFile(join(dir, "built", "app.js"), "console.log('built');");
    await writeFile(join(dir, "built", "style.css"), "body{color:red}");
    await writeFile(join(dir, "sources", "style.css"), "body{color:blue}");
    await writeFile(join(dir, "sources", "index.html"), "<!doctype html><title>Relay</title>");
    const api = memoryBridgeApi(statusView([]));
    served = await serveApp({ api, token: "tok", extraRoutes: [pageRoutes(api, { assetDirs: [join(dir, "built"), join(dir, "sources")] })] });
    missing = await serveApp({ api, extraRoutes: [pageRoutes(api, { assetDirs: [join(dir, "nowhere")] })] });
  });
  afterAll(async () => {
    await served.close();
    await missing.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("serves the page at / without the token, with a strict Content-Security-Policy", async () => {
    const response = await fetch(`${served.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = response.headers.get("content-security-policy");
    expect(csp).toBe(PAGE_CSP);
    for (const directive of ["default-src 'self'", "script-src 'self'", "connect-src 'self'", "img-src 'self' data:", "frame-ancestors 'none'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(await response.text()).toContain("<title>Relay</title>");
  });

  it("serves the script and the stylesheet with their types, built files first", async () => {
    const script = await fetch(`${served.url}/app.js`);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await script.text()).toBe("console.log('built');");
    const style = await fetch(`${served.url}/style.css`);
    expect(style.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(await style.text()).toBe("body{color:red}");
  });

  it("says how to fix a page that was not built", async () => {
    const response = await fetch(`${missing.url}/app.js`);
    expect(response.status).toBe(503);
    expect((await response.json()).error.message).toContain("npm run build");
  });
});

describe("finding the page files", () => {
  it("walks up to the folder holding package.json, from sources and from dist alike", () => {
    const root = findPackageRoot(join(process.cwd(), "bridge", "http", "routes"));
    expect(root).toBe(process.cwd());
    const fromDist = defaultAssetDirs(pathToFileURL(join(process.cwd(), "dist", "relay-bridge.js")).href);
    const fromSources = defaultAssetDirs(pathToFileURL(join(process.cwd(), "bridge", "http", "routes", "page-routes.ts")).href);
    expect(fromDist).toEqual([join(root, "dist", "page"), join(root, "page")]);
    expect(fromSources.slice(1)).toEqual([join(root, "dist", "page"), join(root, "page")]);
  });

  it("looks in page/ beside the bundle first, as inside the Stream Deck plugin", () => {
    const inPlugin = join(process.cwd(), "com.relay.sdPlugin", "bin");
    expect(defaultAssetDirs(pathToFileURL(join(inPlugin, "relay-bridge.js")).href)[0]).toBe(join(inPlugin, "page"));
  });

  it("serves the real page files of this repository", async () => {
    const api = memoryBridgeApi(statusView([]));
    const served = await serveApp({ api, extraRoutes: [pageRoutes(api)] });
    try {
      const html = await (await fetch(`${served.url}/`)).text();
      expect(html).toContain('<script type="module" src="/app.js"></script>');
      expect(html).not.toMatch(/<script(?![^>]*src=)[^>]*>|style="|\son[a-z]+="/i);
      expect((await fetch(`${served.url}/style.css`)).status).toBe(200);
    } finally {
      await served.close();
    }
  });
});
