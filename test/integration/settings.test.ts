// Ports changed from the page, with the real bridge and nginx: a new ingest port moves nginx there at
// once (the fix for "port 1935 is already taken"), a new bridge port is kept for the next start.

import { readFile } from "node:fs/promises";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBridge, type RunningBridge } from "../harness/bridge.js";
import { freePort } from "../harness/ports.js";
import { waitFor } from "../harness/processes.js";

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
