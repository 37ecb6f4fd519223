// What Bitfocus Companion (or any control surface) reads for feedback: the key images the Stream
// Deck shows, as SVG or PNG, and the status as a flat JSON of variables (the shape Companion's
// generic HTTP module stores in a custom variable and reads back with `jsonpath(…, '$.youtube_state')`).

import Router from "@koa/router";
import type { Context } from "koa";
import type { BridgeApi } from "../../domain/bridge-api.js";
import { badRequest } from "../errors.js";
import { notFound } from "../../domain/errors.js";
import { renderDestinationKey, renderIngestKey } from "../../../presentation/key-image.js";
import { LANGUAGES, parseLanguage, type Lang } from "../../../presentation/i18n/translate.js";
import { KEY_IMAGE_SIZES } from "../../../contract/api.js";
import { statusVariables } from "../../../presentation/variables.js";
import { svgToPng } from "../../render/key-png.js";

export { svgToPng };

/** Key sizes a Stream Deck uses: 72 px, and 144 px on high-density models. */
export const KEY_SIZES = [72, 144] as const;

/**
 * Sizes `?size=` accepts: any whole number of pixels in this range, so a surface gets its own size
 * (Companion's button image is 72×72, or 72×58 under its top bar: its module asks for 58).
 */
export const KEY_SIZE_RANGE = KEY_IMAGE_SIZES;

export interface KeyImageRoutesOptions {
  /** Epoch milliseconds, for uptimes and countdowns drawn on the keys. */
  now?: () => number;
}

/**
 * `GET /api/destinations/:id/key.svg|png`, `GET /api/ingest/key.svg|png` (optional `?size=` and
 * `?lang=en|fr` for the words on the key), `GET /api/variables` (always English: tools read it).
 */
export function keyImageRoutes(api: BridgeApi, options: KeyImageRoutesOptions = {}): Router {
  const now = options.now ?? Date.now;
  const router = new Router({ prefix: "/api" });
  const destinationSvg = (ctx: Context) => {
    const view = api.getDestination(ctx.params.id!);
    if (!view) throw notFound(`Destination "${ctx.params.id}"`);
    return renderDestinationKey(view, { now: now(), reachable: true, size: keySize(ctx.query.size), lang: keyLanguage(ctx.query.lang) });
  };
  const ingestSvg = (ctx: Context) => {
    const status = api.status();
    return renderIngestKey(status.ingest, { reachable: true, size: keySize(ctx.query.size), lang: keyLanguage(ctx.query.lang), ...(status.obs ? { obs: status.obs } : {}) });
  };

  router.get("/destinations/:id/key.svg", (ctx) => sendSvg(ctx, destinationSvg(ctx)));
  router.get("/destinations/:id/key.png", async (ctx) => sendPng(ctx, destinationSvg(ctx), keySize(ctx.query.size)));
  router.get("/ingest/key.svg", (ctx) => sendSvg(ctx, ingestSvg(ctx)));
  router.get("/ingest/key.png", async (ctx) => sendPng(ctx, ingestSvg(ctx), keySize(ctx.query.size)));
  router.get("/variables", (ctx) => {
    ctx.body = statusVariables(api.status(), now());
  });
  return router;
}

/** `?size=` as whole pixels within KEY_SIZE_RANGE (absent = 72), or a 400 naming the field. */
export function keySize(raw: unknown): number {
  if (raw === undefined || raw === "") return KEY_IMAGE_SIZES.default;
  const size = typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(size >= KEY_SIZE_RANGE.min && size <= KEY_SIZE_RANGE.max)) {
    throw badRequest(`size: must be a whole number of pixels from ${KEY_SIZE_RANGE.min} to ${KEY_SIZE_RANGE.max} (72 and 144 are the Stream Deck's)`, "size");
  }
  return size;
}

/** `?lang=` as a language Relay speaks (absent = English), or a 400 naming the field. */
export function keyLanguage(raw: unknown): Lang {
  if (raw === undefined || raw === "") return "en";
  const lang = parseLanguage(raw);
  if (!lang) throw badRequest(`lang: must be one of ${LANGUAGES.join(", ")} (the language of the words on the key)`, "lang");
  return lang;
}

function sendSvg(ctx: Context, svg: string): void {
  ctx.type = "image/svg+xml; charset=utf-8";
  ctx.body = svg;
}

async function sendPng(ctx: Context, svg: string, size: number): Promise<void> {
  const png = await svgToPng(svg, size);
  ctx.type = "image/png";
  ctx.body = png;
}
