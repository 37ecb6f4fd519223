// `GET /api/events`: Server-Sent Events, `event: status` with the whole status on connect and after
// every change, and a comment line now and then so proxies keep the connection open.

import { PassThrough } from "node:stream";
import Router from "@koa/router";
import type { BridgeApi } from "../../domain/bridge-api.js";
import { ApiError } from "../errors.js";
import { statusJson } from "../status-json.js";
import { STATUS_EVENT, type StatusView } from "../../shared/api.js";

/** One SSE frame carrying a status. */
export function statusFrame(status: StatusView): string {
  return `event: ${STATUS_EVENT}\ndata: ${statusJson(status)}\n\n`;
}

/** Most event streams open at once: a plugin, Companion and a few pages need a handful. */
export const MAX_EVENT_CLIENTS = 100;

export function eventsRoute(api: BridgeApi, heartbeatMs = 15_000, maxClients = MAX_EVENT_CLIENTS): Router {
  const router = new Router();
  let open = 0;
  router.get("/api/events", (ctx) => {
    if (open >= maxClients) {
      throw new ApiError(429, "too_many_event_streams", `${maxClients} event streams are open already, the most the bridge serves: close status pages or clients you no longer use`);
    }
    open += 1;
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.req.socket.setKeepAlive(true);
    ctx.set("Content-Type", "text/event-stream; charset=utf-8");
    ctx.set("Cache-Control", "no-cache, no-transform");
    ctx.set("Connection", "keep-alive");
    ctx.set("X-Accel-Buffering", "no");
    const stream = new PassThrough();
    ctx.status = 200;
    ctx.body = stream;
    stream.write(`retry: 2000\n${statusFrame(api.status())}`);
    const unsubscribe = api.onChange((status) => stream.write(statusFrame(status)));
    const heartbeat = setInterval(() => stream.write(": keep-alive\n\n"), heartbeatMs);
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      open -= 1;
      clearInterval(heartbeat);
      unsubscribe();
      stream.end();
    };
    ctx.req.on("close", close);
    ctx.req.on("error", close);
  });
  return router;
}
