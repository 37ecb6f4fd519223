// `GET /api/history`: the last 30 minutes of the ingest's and each destination's bitrate and frame
// rate, as the bridge sampled them (bridge/relay/history.ts), so a page's graphs survive a reload.

import Router from "@koa/router";
import type { HistoryView } from "../../../contract/api.js";

export function historyRoutes(history: { view(): HistoryView }): Router {
  const router = new Router({ prefix: "/api" });
  router.get("/history", (ctx) => {
    ctx.body = history.view();
  });
  return router;
}
