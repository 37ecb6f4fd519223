// Alerts through the API: where they go (GET/PATCH /api/alerts; webhook URLs are write-only) and a
// test alert to every webhook (POST /api/alerts/test). The work is AlertsApi's (bridge/alerts/alert-service.ts).

import Router from "@koa/router";
import type { AlertsApi } from "../../alerts/alert-service.js";

export function alertsRoutes(alerts: AlertsApi): Router {
  const router = new Router({ prefix: "/api" });
  router.get("/alerts", (ctx) => {
    ctx.body = alerts.settings();
  });
  router.patch("/alerts", async (ctx) => {
    ctx.body = await alerts.update(ctx.request.body);
  });
  router.post("/alerts/test", async (ctx) => {
    ctx.body = await alerts.test();
  });
  return router;
}
