// The JSON API (the README's "HTTP API"): health, status, destinations CRUD and start/stop/toggle.

import Router from "@koa/router";
import type { BridgeApi } from "../../domain/bridge-api.js";
import { notFound } from "../../domain/errors.js";
import { statusJson } from "../status-json.js";
import type { HealthView } from "../../../contract/api.js";

export function apiRoutes(api: BridgeApi, version: string): Router {
  const router = new Router({ prefix: "/api" });

  router.get("/health", (ctx) => {
    ctx.body = { ok: true, version } satisfies HealthView;
  });
  router.get("/status", (ctx) => {
    ctx.type = "application/json";
    ctx.body = statusJson(api.status());
  });
  router.get("/destinations", (ctx) => {
    ctx.body = api.listDestinations();
  });
  router.post("/destinations", async (ctx) => {
    ctx.body = await api.createDestination(ctx.request.body);
    ctx.status = 201;
    ctx.set("Location", `/api/destinations/${encodeURIComponent((ctx.body as { id: string }).id)}`);
  });
  router.get("/destinations/:id", (ctx) => {
    const view = api.getDestination(ctx.params.id!);
    if (!view) throw notFound(`Destination "${ctx.params.id}"`);
    ctx.body = view;
  });
  router.patch("/destinations/:id", async (ctx) => {
    ctx.body = await api.updateDestination(ctx.params.id!, ctx.request.body);
  });
  router.delete("/destinations/:id", async (ctx) => {
    await api.deleteDestination(ctx.params.id!);
    ctx.status = 204;
  });
  router.post("/destinations/:id/start", async (ctx) => {
    ctx.body = await api.setEnabled(ctx.params.id!, true);
  });
  router.post("/destinations/:id/stop", async (ctx) => {
    ctx.body = await api.setEnabled(ctx.params.id!, false);
  });
  router.post("/destinations/:id/toggle", async (ctx) => {
    ctx.body = await api.setEnabled(ctx.params.id!, "toggle");
  });
  router.post("/destinations/:id/retry", async (ctx) => {
    ctx.body = await api.retryNow(ctx.params.id!);
  });
  router.get("/destinations/:id/log", (ctx) => {
    if (!api.getDestination(ctx.params.id!)) throw notFound(`Destination "${ctx.params.id}"`);
    ctx.body = { lines: api.destinationLog(ctx.params.id!) };
  });
  router.post("/services/:name/restart", async (ctx) => {
    const name = ctx.params.name;
    if (name !== "nginx" && name !== "stunnel") throw notFound(`Service "${name}"`);
    await api.restartService(name);
    ctx.status = 202;
    ctx.body = api.status().services;
  });
  return router;
}
