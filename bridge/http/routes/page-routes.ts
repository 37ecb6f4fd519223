// Serves the status page: `/` (index.html), `/app.js` (the bundled script) and `/style.css`, under a
// strict Content-Security-Policy. The page needs nothing from the internet.

import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Router from "@koa/router";
import type { BridgeApi } from "../../domain/bridge-api.js";
import { ApiError } from "../errors.js";

/** No inline script or style, nothing from another origin, not framable. */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

interface Asset {
  file: string;
  type: string;
}

const ASSETS: Record<string, Asset> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/index.html": { file: "index.html", type: "text/html; charset=utf-8" },
  "/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/app.js.map": { file: "app.js.map", type: "application/json; charset=utf-8" },
  "/style.css": { file: "style.css", type: "text/css; charset=utf-8" },
};

export interface PageRoutesOptions {
  /** Folders searched in order for the page's files; default: `dist/page`, then `page`. */
  assetDirs?: readonly string[];
}

/**
 * The page's routes. `api` is unused (the page talks to the API from the browser); it is taken so
 * every route module has the same shape.
 */
export function pageRoutes(_api?: BridgeApi, options: PageRoutesOptions = {}): Router {
  const dirs = options.assetDirs ?? defaultAssetDirs();
  const router = new Router();
  for (const [path, asset] of Object.entries(ASSETS)) {
    router.get(path, async (ctx) => {
      const body = await readAsset(dirs, asset.file);
      if (body === undefined) {
        throw new ApiError(503, "page_not_built", `The status page file ${asset.file} is missing: run "npm run build" (looked in ${dirs.join(", ")})`);
      }
      ctx.set("Content-Security-Policy", PAGE_CSP);
      ctx.set("X-Frame-Options", "DENY");
      // Revalidate each time: the files are small and a stale script after an update would confuse.
      ctx.set("Cache-Control", "no-cache");
      ctx.type = asset.type;
      ctx.body = body;
    });
  }
  return router;
}

/**
 * `page/` beside the bundle first (dist/page, or the Stream Deck plugin's bin/page), then the built
 * files and the sources of a checkout (when running from sources).
 */
export function defaultAssetDirs(from: string = import.meta.url): string[] {
  const here = dirname(fileURLToPath(from));
  const beside = join(here, "page");
  let root: string;
  try {
    root = findPackageRoot(here);
  } catch {
    return [beside];
  }
  return [...new Set([beside, join(root, "dist", "page"), join(root, "page")])];
}

/** The nearest folder at or above `start` holding a package.json (the bridge runs from dist/ or from sources). */
export function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json found above ${start}`);
    dir = parent;
  }
}

async function readAsset(dirs: readonly string[], file: string): Promise<Buffer | undefined> {
  for (const dir of dirs) {
    try {
      return await readFile(join(dir, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  return undefined;
}
