// `GET /api/events`: Server-Sent Events, `event: status` with the whole status on connect and after
// every change, and a comment line now and then so proxies keep the connection open.

import { PassThrough } from "node:stream";
import Router from "@koa/router";
import type { BridgeApi } from "../../domain/bridge-api.js";
import { ApiError } from "../errors.js";
import { statusJson } from "../status-json.js";
import { STATUS_EVENT, type StatusView } from "../../../contract/api.js";

/** One SSE frame carrying a status. */
export function statusFrame(status: StatusView): string {
  return `event: ${STATUS_EVENT}\ndata: ${statusJson(status)}\n\n`;
}

/** Most event streams open at once: a plugin, Companion and a few pages need a handful. */
export const MAX_EVENT_CLIENTS = 100;

/**
 * Bytes an event stream may have queued in the bridge, unread by its client, before the client is
 * dropped (it reconnects and starts from the current status): a client that stops reading never grows
 * the bridge. At least a few whole statuses, so a big status never drops a client that reads.
 */
export const MAX_UNREAD_BYTES = 256 * 1024;
const MIN_UNREAD_FRAMES = 4;

export function eventsRoute(api: BridgeApi, heartbeatMs = 15_000, maxClients = MAX_EVENT_CLIENTS, maxUnreadBytes = MAX_UNREAD_BYTES): Router {
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
    const socket = ctx.req.socket;
    // What this client has not read yet: in the stream, in the response and in the socket's own buffer.
    const unread = () => stream.writableLength + stream.readableLength + socket.writableLength;
    const send = (text: string) => {
      if (closed) return;
      if (unread() + text.length > Math.max(maxUnreadBytes, MIN_UNREAD_FRAMES * text.length)) {
        // It stopped reading: drop it rather than keep its events (its client reconnects).
        close();
        socket.destroy();
        return;
      }
      stream.write(text);
    };
    let closed = false;
    send(`retry: 2000\n${statusFrame(api.status())}`);
    const unsubscribe = api.onChange((status) => send(statusFrame(status)));
    const heartbeat = setInterval(() => send(": keep-alive\n\n"), heartbeatMs);
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
