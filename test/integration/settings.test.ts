// Ports changed from the page, with the real bridge and nginx: a new ingest port moves nginx there at
// once (the fix for "port 1935 is already taken"), a new bridge port is kept for the next start. The
// same change made by hand in the config file does the same, with no API call to wake the bridge.

import { readFile, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";
import { freePort } from "../../rig/ports.js";
import { waitFor } from "../../rig/processes.js";

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });

describe("PATCH /api/settings", () => {
  let bridge: RunningBridge;
  beforeAll(async () => {
    bridge = await startBridge();
  });
  afterAll(async () => {
    expect(await bridge?.stop()).toBe(0);
  });

  const patch = async (body: unknown) => {
    const response = await bridge.api("/api/settings", { method: "PATCH", body: JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  };

  it("moves the ingest to a new port at once: nginx listens there, not on the old one", async () => {
    const before = await bridge.json("/api/settings");
    const oldPort = before.ingest.port as number;
    expect(await accepts(oldPort)).toBe(true);
    const newPort = await freePort();
    const answer = await patch({ ingest: { port: newPort } });
    expect(answer.status).toBe(200);
    expect(answer.body.ingest.port).toBe(newPort);
    await waitFor(() => accepts(newPort), { what: "nginx on the new ingest port", timeoutMs: 10_000 });
    expect(await accepts(oldPort)).toBe(false);
    expect(JSON.parse(await readFile(bridge.configFile, "utf8")).ingest.port).toBe(newPort);
    expect((await bridge.json("/api/status")).services.nginx.state).toBe("running");
  });

  it("keeps a new bridge port for the next start, and says a restart is needed", async () => {
    const wanted = await freePort();
    const answer = await patch({ bridge: { port: wanted } });
    expect(answer.body.bridge).toEqual({ host: "127.0.0.1", port: wanted, listeningPort: bridge.port, restartNeeded: true });
    expect((await patch({ bridge: { port: bridge.port } })).body.bridge.restartNeeded).toBe(false);
  });

  it("refuses bad values by field, and writes nothing", async () => {
    const before = await readFile(bridge.configFile, "utf8");
    expect((await patch({ ingest: { port: 70000 } })).body.error).toMatchObject({ code: "invalid_field", field: "ingest.port", message: "ingest.port: must be a port from 1 to 65535" });
    expect((await patch({ ingest: { host: "0.0.0.0" } })).body.error).toMatchObject({ code: "unknown_field", field: "ingest.host" });
    expect((await patch({ ingest: { port: bridge.port } })).body.error.message).toMatch(/is the bridge's port too/);
    expect(await readFile(bridge.configFile, "utf8")).toBe(before);
  });
});

describe("the config file edited by hand while the bridge runs", () => {
  let bridge: RunningBridge;
  beforeAll(async () => {
    bridge = await startBridge();
  });
  afterAll(async () => {
    expect(await bridge?.stop()).toBe(0);
  });

  const edit = async (change: (config: Record<string, any>) => void) => {
    const config = JSON.parse(await readFile(bridge.configFile, "utf8"));
    change(config);
    await writeFile(bridge.configFile, JSON.stringify(config, null, 2));
  };

  it("follows the edit: a destination added by hand shows up, its key never; a new ingest port moves nginx", async () => {
    const key = "hand-edited-secret-key-123";
    await edit((config) => config.destinations.push({ id: "byhand", name: "By hand", url: "rtmp://127.0.0.1:1/live", key, enabled: false }));
    const status = await waitFor(async () => {
      const body = await bridge.json("/api/status");
      return body.destinations.some((view: { id: string }) => view.id === "byhand") ? body : undefined;
    }, { what: "the hand-added destination in the status", timeoutMs: 5_000, intervalMs: 50 });
    expect(JSON.stringify(status)).not.toContain(key);
    const newPort = await freePort();
    await edit((config) => void (config.ingest.port = newPort));
    await waitFor(() => accepts(newPort), { what: "nginx on the hand-edited ingest port", timeoutMs: 10_000 });
    expect(bridge.output()).toContain("the config file was edited");
    expect(bridge.output()).not.toContain(key);
  });

  it("keeps the config it had through an invalid edit, and says what is wrong", async () => {
    const before = await bridge.json("/api/status");
    await edit((config) => void (config.ingest.port = "not a port"));
    await waitFor(() => bridge.output().includes("was edited but is not valid"), { what: "the warning about the invalid edit", timeoutMs: 5_000, intervalMs: 50 });
    expect(bridge.output()).toMatch(/ingest\.port/);
    expect((await bridge.json("/api/status")).destinations.map((view: { id: string }) => view.id)).toEqual(before.destinations.map((view: { id: string }) => view.id));
    expect((await bridge.json("/api/status")).services.nginx.state).toBe("running");
  });
});
