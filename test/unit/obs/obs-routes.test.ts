// The OBS routes with the real ObsControl, config store and link, but no OBS: what a streamer sees
// before OBS is set up or while it is not running (clear errors, the password never answered).

import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigStore } from "../../../bridge/config/store.js";
import { createLogger } from "../../../bridge/log/logger.js";
import { ObsLink } from "../../../bridge/obs/obs-link.js";
import { ObsControl } from "../../../bridge/obs/obs-control.js";
import { pointsAtIngest } from "../../../bridge/obs/setup-plan.js";
import { obsRoutes } from "../../../bridge/http/routes/obs-routes.js";
import { freeLoopbackPort } from "../../../bridge/process/free-port.js";
import { memoryBridgeApi, statusView } from "../../page/memory-bridge-api.js";
import { serveApp, type ServedApp } from "../../page/serve-app.js";

describe("OBS routes without OBS", () => {
  let dir: string;
  let store: ConfigStore;
  let link: ObsLink;
  let served: ServedApp;
  const logged: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "relay-obs-routes-"));
    store = await ConfigStore.open(join(dir, "config.json"));
    const log = createLogger({ redact: (text) => text, write: (line) => logged.push(line) });
    link = new ObsLink({
      settings: () => store.current.obs,
      log,
      onChange: () => undefined,
      isRelayService: (service) => pointsAtIngest(service, store.current.ingest),
      canRestore: () => store.current.obs.previousService !== undefined,
    });
    link.start();
    const control = new ObsControl(store, link, log);
    served = await serveApp({ api: memoryBridgeApi(statusView([])), extraRoutes: [obsRoutes(control)] });
  });

  afterAll(async () => {
    await link.stop();
    await served.close();
    await rm(dir, { recursive: true, force: true });
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(served.url + path, { method, headers: { "content-type": "application/json" }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, body: await response.json() };
  };

  it("says OBS is not set up, and how to set it up", async () => {
    expect(await call("GET", "/api/obs")).toMatchObject({ status: 200, body: { url: "", hasPassword: false, obs: { configured: false, connected: false } } });
    for (const verb of ["setup", "start", "stop", "restore"]) {
      const answer = await call("POST", `/api/obs/${verb}`);
      if (verb === "stop") expect(answer.status).toBe(200); // nothing streams: nothing to stop
      else expect(answer).toMatchObject({ status: 409, body: { error: { code: "obs_not_configured", message: expect.stringContaining("obs.url") } } });
    }
  });

  it("refuses bad settings by field, and never answers the password", async () => {
    expect(await call("PATCH", "/api/obs", { url: "127.0.0.1:4455" })).toMatchObject({ status: 400, body: { error: { code: "invalid_field", field: "url" } } });
    expect(await call("PATCH", "/api/obs", { host: "x" })).toMatchObject({ status: 400, body: { error: { code: "unknown_field" } } });
    expect(await call("PATCH", "/api/obs", { password: 5 })).toMatchObject({ status: 400, body: { error: { field: "password" } } });
    const port = await freeLoopbackPort();
    const saved = await call("PATCH", "/api/obs", { url: `ws://127.0.0.1:${port}`, password: "pw-9f2c" });
    expect(saved).toMatchObject({ status: 200, body: { url: `ws://127.0.0.1:${port}`, hasPassword: true } });
    expect(JSON.stringify(saved.body)).not.toContain("pw-9f2c");
    const file = JSON.parse(await readFile(join(dir, "config.json"), "utf8"));
    expect(file.obs).toEqual({ url: `ws://127.0.0.1:${port}`, password: "pw-9f2c" });
  });

  it("an absent OBS is a state, not an error storm: one log line, 503 with what to do", async () => {
    await expect.poll(() => link.view.error ?? "", { timeout: 5_000 }).toMatch(/not reachable/);
    const answer = await call("POST", "/api/obs/start");
    expect(answer).toMatchObject({ status: 503, body: { error: { code: "obs_not_connected", message: expect.stringContaining("WebSocket Server Settings") } } });
    await new Promise((resolve) => setTimeout(resolve, 3_500)); // past two more tries (1 s, 2 s)
    expect(logged.filter((line) => /cannot connect to OBS/.test(line))).toHaveLength(1);
  });
});
