// The OBS routes of the real bridge with no OBS: what a streamer sees before OBS is set up or while it
// is not running (clear errors, the password never answered, one log line however often it tries).

import { createServer, type Server } from "node:net";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";
import { freePort } from "../../rig/ports.js";
import { waitFor } from "../../rig/processes.js";
import type { ObsView, StatusView } from "../../contract/api.js";

describe("OBS routes without OBS", () => {
  let bridge: RunningBridge;
  /** Where OBS would be: takes each connection and drops it at once (no WebSocket), counting them. */
  let nobody: Server;
  let nobodyPort: number;
  const tries: number[] = [];

  beforeAll(async () => {
    nobody = createServer((socket) => {
      tries.push(Date.now());
      socket.destroy();
    });
    await new Promise<void>((resolve) => nobody.listen(0, "127.0.0.1", resolve));
    nobodyPort = (nobody.address() as { port: number }).port;
    bridge = await startBridge();
  });

  afterAll(async () => {
    await bridge?.stop();
    await new Promise((resolve) => nobody?.close(resolve));
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await bridge.api(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, body: await response.json() };
  };
  const obsView = async () => (await bridge.json<StatusView>("/api/status")).obs as ObsView;

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
    // Nothing listens there: refused.
    const port = await freePort();
    const saved = await call("PATCH", "/api/obs", { url: `ws://127.0.0.1:${port}`, password: "pw-9f2c" });
    expect(saved).toMatchObject({ status: 200, body: { url: `ws://127.0.0.1:${port}`, hasPassword: true } });
    expect(JSON.stringify(saved.body)).not.toContain("pw-9f2c");
    const file = JSON.parse(await readFile(bridge.configFile, "utf8"));
    expect(file.obs).toEqual({ url: `ws://127.0.0.1:${port}`, password: "pw-9f2c" });
    await waitFor(async () => /not reachable/.test((await obsView()).error ?? ""), { what: "OBS not reachable at the refused port", timeoutMs: 5_000 });
    expect(bridge.output()).not.toContain("pw-9f2c");
  });

  it("an absent OBS is a state, not an error storm: one log line, 503 with what to do", async () => {
    const lines = () => bridge.output().split("\n").filter((line) => /\[obs\]/.test(line) && /cannot connect to OBS/.test(line));
    const linesBefore = lines().length;
    const saved = await call("PATCH", "/api/obs", { url: `ws://127.0.0.1:${nobodyPort}` });
    expect(saved.status).toBe(200);
    await waitFor(async () => /not reachable/.test((await obsView()).error ?? ""), { what: "OBS not reachable", timeoutMs: 5_000 });
    const answer = await call("POST", "/api/obs/start");
    expect(answer).toMatchObject({ status: 503, body: { error: { code: "obs_not_connected", message: expect.stringContaining("WebSocket Server Settings") } } });
    // The fourth try: the first three have failed and been handled (a log line comes before the next
    // try is set), so a line per failure would be here three times by now.
    await waitFor(() => tries.length >= 4, { what: "four tries to reach OBS", timeoutMs: 20_000, intervalMs: 50 });
    expect(lines().length - linesBefore).toBe(1);
  });
});
