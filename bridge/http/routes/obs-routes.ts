// OBS through the API: its connection settings (GET/PATCH /api/obs), set-up and restore of its stream
// settings, start and stop of its stream. The work is ObsApi's (bridge/obs/obs-control.ts).

import Router from "@koa/router";
import type { ObsApi } from "../../obs/obs-control.js";

export function obsRoutes(obs: ObsApi): Router {
  const router = new Router({ prefix: "/api" });
  router.get("/obs", (ctx) => {
    ctx.body = obs.settings();
  });
  router.patch("/obs", async (ctx) => {
    ctx.body = await obs.updateSettings(ctx.request.body);
  });
  router.post("/obs/setup", async (ctx) => {
    ctx.body = await obs.setup();
  });
  router.post("/obs/restore", async (ctx) => {
    ctx.body = await obs.restore(ctx.request.body);
  });
  router.post("/obs/start", async (ctx) => {
    ctx.body = await obs.startStream();
  });
  router.post("/obs/stop", async (ctx) => {
    ctx.body = await obs.stopStream();
  });
  return router;
}
