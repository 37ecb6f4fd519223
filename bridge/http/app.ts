// Builds the bridge's Koa app (no port: tests drive `app.callback()` directly).

import Koa from "koa";
import { bodyParser } from "@koa/bodyparser";
import type Router from "@koa/router";
import type { BridgeApi } from "../domain/bridge-api.js";
import { ApiError, fromRelayError } from "./errors.js";
import { RelayError } from "../domain/errors.js";
import { ConfigError } from "../config/errors.js";
import { securityMiddleware } from "./security.js";
import { apiRoutes } from "./routes/api-routes.js";
import { eventsRoute } from "./routes/events-route.js";
import type { Logger } from "../log/logger.js";
import type { ErrorBody } from "../../contract/api.js";

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
  /** Most event streams open at once (default MAX_EVENT_CLIENTS). */
  maxEventClients?: number;
  /** Extra routers (status page, key images) mounted after the API. */
  extraRoutes?: Router[];
}

export function createApp(options: AppOptions): Koa {
  const app = new Koa();
  const log = options.logger;

  // A client that goes away mid-answer (an event stream closed, a page reloaded) is normal, not an error.
  app.on("error", (error: NodeJS.ErrnoException) => {
    if (isClientGone(error)) log.debug(`a client went away: ${error.code}`);
    else log.error(`HTTP: ${error.stack ?? error.message}`);
  });
  app.use(errorMiddleware(log));
  app.use(securityMiddleware({ token: options.token, allowedHosts: options.allowedHosts ?? (() => []) }));
  app.use(async (ctx, next) => {
    ctx.set("X-Content-Type-Options", "nosniff");
    ctx.set("Referrer-Policy", "no-referrer");
    if (ctx.path.toLowerCase().startsWith("/api/")) ctx.set("Cache-Control", "no-store");
    await next();
  });
  app.use(requireJsonBodies());
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
  for (const router of [apiRoutes(options.api, options.version), eventsRoute(options.api, undefined, options.maxEventClients), ...(options.extraRoutes ?? [])]) {
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

/** True for the errors of a client that closed its connection before the answer was done. */
export function isClientGone(error: NodeJS.ErrnoException): boolean {
  return ["ERR_STREAM_PREMATURE_CLOSE", "ECONNRESET", "EPIPE", "ECONNABORTED"].includes(error.code ?? "");
}

/** Bodies of another type than JSON are refused as such (415), rather than read as an empty body. */
function requireJsonBodies(): Koa.Middleware {
  return async (ctx, next) => {
    const hasBody = ctx.request.length > 0 || ctx.get("transfer-encoding") !== "";
    if (hasBody && ctx.path.toLowerCase().startsWith("/api/") && !ctx.request.is("json")) {
      throw new ApiError(415, "unsupported_media_type", "Send the body as JSON, with the header 'Content-Type: application/json'");
    }
    await next();
  };
}

/** Most of a refused body the bridge still reads (and throws away) so the client gets the answer, not a reset. */
const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * Reads what is left of a request body and discards it, up to `limit` bytes and a few seconds: a client
 * that sent its whole body before reading the answer would otherwise see the connection reset.
 */
export function drainRequest(req: NodeJS.ReadableStream & { complete?: boolean; headers: Record<string, unknown> }, limit = DRAIN_LIMIT_BYTES): Promise<boolean> {
  if (req.complete) return Promise.resolve(true);
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve(false);
  return new Promise((resolve) => {
    let read = 0;
    const finish = (drained: boolean) => {
      clearTimeout(timer);
      req.removeListener("data", onData);
      req.removeListener("end", onEnd);
      req.removeListener("error", onEnd);
      resolve(drained);
    };
    const onData = (chunk: Buffer) => {
      read += chunk.length;
      if (read > limit) finish(false);
    };
    const onEnd = () => finish(true);
    const timer = setTimeout(() => finish(false), 5_000);
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("error", onEnd);
    req.resume();
  });
}

/** The one error path: ApiErrors and the core's RelayErrors become their JSON; body-parser errors 400/413; anything else a 500. */
function errorMiddleware(log: Logger): Koa.Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (raw) {
      const error = toApiError(raw);
      if (error.status === 413 || error.status === 415) {
        // Answer after the body is in (up to a limit), else close: never a reset in place of the answer.
        if (!(await drainRequest(ctx.req))) ctx.set("Connection", "close");
      }
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
  if (raw instanceof RelayError) return fromRelayError(raw);
  if (raw instanceof ConfigError) {
    // The file was edited by hand into something invalid while the bridge runs: nothing is written over it.
    return new ApiError(409, "config_file_invalid", `Config file ${raw.file} is not valid, so nothing was changed (your edit is kept): fix it, then try again: ${raw.problems.join("; ")}`);
  }
  const status = (raw as { status?: number; statusCode?: number })?.status ?? (raw as { statusCode?: number })?.statusCode;
  const type = (raw as { type?: string })?.type;
  if (status === 413 || type === "entity.too.large") return new ApiError(413, "body_too_large", "The request body is too large (at most 64 kB of JSON)");
  if (status === 415 || type === "unsupported.media.type") return new ApiError(415, "unsupported_media_type", "Send the body as JSON with 'Content-Type: application/json'");
  if (/forbidden prototype property/.test((raw as Error)?.message ?? "")) {
    return new ApiError(400, "forbidden_field", "The body has a \"__proto__\" or \"constructor\" field: those names are refused; remove them");
  }
  if (status === 400 || (raw instanceof SyntaxError)) return new ApiError(400, "malformed_json", "The request body is not valid JSON");
  if (typeof status === "number" && status >= 400 && status < 500) {
    return new ApiError(status, "bad_request", (raw as Error).message || "Bad request");
  }
  return new ApiError(500, "internal_error", "The bridge hit an unexpected error; see its log");
}
