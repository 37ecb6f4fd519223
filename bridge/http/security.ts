// Who may talk to the bridge: the token (when set), same-origin browsers only for changes, and
// only Host names that cannot be a DNS-rebinding attack.

import { createHash, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import type { Context, Next } from "koa";
import { ApiError } from "./errors.js";

/** Compares two secrets in constant time (hashes first, so lengths leak nothing either). */
export function safeEqual(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The token a request carries: `Authorization: Bearer …` or `?token=…`. */
export function requestToken(authorization: string | undefined, queryToken: unknown): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? "");
  if (match?.[1]) return match[1].trim();
  return typeof queryToken === "string" ? queryToken : undefined;
}

/** True when a Host header's name is an IP literal, localhost, or one of `names`. */
export function isAllowedHost(hostHeader: string | undefined, names: readonly string[]): boolean {
  if (!hostHeader) return false;
  const name = hostName(hostHeader).toLowerCase();
  if (isIP(name) !== 0) return true;
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  return names.some((allowed) => allowed.toLowerCase() === name);
}

/** `example.org:8787` → `example.org`; `[::1]:8787` → `::1`. */
export function hostName(hostHeader: string): string {
  if (hostHeader.startsWith("[")) return hostHeader.slice(1, hostHeader.indexOf("]"));
  const colon = hostHeader.lastIndexOf(":");
  return colon > 0 && hostHeader.indexOf(":") === colon ? hostHeader.slice(0, colon) : hostHeader;
}

/** True when a browser says the request came from a page of another origin. */
export function isCrossOrigin(headers: { origin?: string; host?: string; secFetchSite?: string }): boolean {
  if (headers.secFetchSite && headers.secFetchSite !== "same-origin" && headers.secFetchSite !== "none") return true;
  if (!headers.origin) return false;
  if (headers.origin === "null") return true;
  try {
    return new URL(headers.origin).host.toLowerCase() !== (headers.host ?? "").toLowerCase();
  } catch {
    return true;
  }
}

const CHANGING_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface SecurityOptions {
  /** Current token ("" = none); read per request so a config change applies at once. */
  token: () => string;
  /** Extra Host names accepted besides IP literals and localhost. */
  allowedHosts: () => readonly string[];
}

/** Koa middleware enforcing the rules above on every request. */
export function securityMiddleware(options: SecurityOptions) {
  return async (ctx: Context, next: Next) => {
    if (!isAllowedHost(ctx.get("host") || undefined, options.allowedHosts())) {
      throw new ApiError(403, "host_not_allowed", "This Host name is not accepted: open the bridge by its IP address or localhost, or add the name to bridge.allowedHosts");
    }
    if (
      CHANGING_METHODS.has(ctx.method) &&
      isCrossOrigin({ origin: ctx.get("origin") || undefined, host: ctx.get("host"), secFetchSite: ctx.get("sec-fetch-site") || undefined })
    ) {
      throw new ApiError(403, "cross_origin", "Requests from a page of another origin may not change anything");
    }
    const token = options.token();
    // The router matches paths case-insensitively: so must this check (/API/… is /api/…).
    if (token !== "" && ctx.path.toLowerCase().startsWith("/api/")) {
      const given = requestToken(ctx.get("authorization") || undefined, ctx.query.token);
      if (given === undefined || !safeEqual(given, token)) {
        ctx.set("WWW-Authenticate", 'Bearer realm="relay"');
        throw new ApiError(401, "unauthorized", "A valid token is needed: send 'Authorization: Bearer TOKEN' or add ?token=TOKEN (bridge.token in the config)");
      }
    }
    await next();
  };
}
