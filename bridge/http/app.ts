// Builds the bridge's Koa app (no port: tests drive `app.callback()` directly).

import Koa from "koa";
import { bodyParser } from "@koa/bodyparser";
import type Router from "@koa/router";
import type { BridgeApi } from "./bridge-api.js";
import { ApiError } from "./errors.js";
import { ConfigError } from "../config/errors.js";
import { securityMiddleware } from "./security.js";
import { apiRoutes } from "./routes/api-routes.js";
import { eventsRoute } from "./routes/events-route.js";
import type { Logger } from "../log/logger.js";
import type { ErrorBody } from "../shared/api.js";

export interface AppOptions {
  api: BridgeApi;
  version: string;
  logger: Logger;
  /** Current `bridge.token` ("" = no token). */
  token: () => string;
  /** Host names accepted besides IP literals and localhost. */
  allowedHosts?: () => readonly string[];
  /** Largest JSON body accepted. */
  bodyLimit?: string;
  /** Extra routers (status page, key images) mounted after the API. */
  extraRoutes?: Router[];
}

export function createApp(options: AppOptions): Koa {
  const app = new Koa();
  const log = options.logger;

  app.use(errorMiddleware(log));
  app.use(securityMiddleware({ token: options.token, allowedHosts: options.allowedHosts ?? (() => []) }));
  app.use(async (ctx, next) => {
    ctx.set("X-Content-Type-Options", "nosniff");
    ctx.set("Referrer-Policy", "no-referrer");
    if (ctx.path.toLowerCase().startsWith("/api/")) ctx.set("Cache-Control", "no-store");
    await next();
  });
  app.use(
    bodyParser({
      enableTypes: ["json"],
      jsonLimit: options.bodyLimit ?? "64kb",
      encoding: "utf-8",
      onError: (error) => {
        throw error;
      },
    }),
  );
  for (const router of [apiRoutes(options.api, options.version), eventsRoute(options.api), ...(options.extraRoutes ?? [])]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  app.use((ctx) => {
    if (ctx.status === 404 && ctx.body === undefined) {
      throw new ApiError(404, "not_found", `Nothing at ${ctx.method} ${ctx.path}: see the API table in the README`);
    }
  });
  return app;
}

/** The one error path: ApiErrors become their JSON; body-parser errors 400/413; anything else a 500. */
function errorMiddleware(log: Logger): Koa.Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (raw) {
      const error = toApiError(raw);
      if (error.status >= 500) log.error(`${ctx.method} ${ctx.path} failed: ${(raw as Error)?.stack ?? String(raw)}`);
      ctx.status = error.status;
      ctx.set("Cache-Control", "no-store");
      const body: ErrorBody = { error: { code: error.code, message: error.message } };
      if (error.field) body.error.field = error.field;
      ctx.body = body;
    }
  };
}

function toApiError(raw: unknown): ApiError {
  if (raw instanceof ApiError) return raw;
  if (raw instanceof ConfigError) {
    return new ApiError(409, "config_file_invalid", `${raw.message.split("\n")[0]} ${raw.problems.join("; ")}`);
  }
  const status = (raw as { status?: number; statusCode?: number })?.status ?? (raw as { statusCode?: number })?.statusCode;
  const type = (raw as { type?: string })?.type;
  if (status === 413 || type === "entity.too.large") return new ApiError(413, "body_too_large", "The request body is too large (at most 64 kB of JSON)");
  if (status === 415 || type === "unsupported.media.type") return new ApiError(415, "unsupported_media_type", "Send the body as JSON with 'Content-Type: application/json'");
  if (status === 400 || (raw instanceof SyntaxError)) return new ApiError(400, "malformed_json", "The request body is not valid JSON");
  if (typeof status === "number" && status >= 400 && status < 500) {
    return new ApiError(status, "bad_request", (raw as Error).message || "Bad request");
  }
  return new ApiError(500, "internal_error", "The bridge hit an unexpected error; see its log");
}
