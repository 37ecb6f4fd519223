// The HTTP layer on its own: errors, limits and the security rules, over a small in-memory API.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../../bridge/http/app.js";
import type { BridgeApi } from "../../../bridge/domain/bridge-api.js";
import { ApiError } from "../../../bridge/http/errors.js";
import { createLogger } from "../../../bridge/log/logger.js";
import { waitFor } from "../../../rig/processes.js";
import { parseDestinationInput } from "../../../bridge/config/destination-input.js";
import type { DestinationView, StatusView } from "../../../contract/api.js";

function memoryApi(): BridgeApi & { views: DestinationView[] } {
  const views: DestinationView[] = [];
  const status = (): StatusView => ({
    version: "t",
    ingest: { live: false, name: "", since: null, bitrateKbps: 0 },
    services: { nginx: { state: "running" }, stunnel: { state: "stopped" } },
    destinations: views,
  });
  const find = (id: string) => {
    const view = views.find((candidate) => candidate.id === id);
    if (!view) throw new ApiError(404, "not_found", `Destination "${id}" does not exist`);
    return view;
  };
  return {
    views,
    status,
    onChange: () => () => undefined,
    listDestinations: () => views,
    getDestination: (id) => views.find((view) => view.id === id),
    async createDestination(body) {
      const input = parseDestinationInput(body);
      const view: DestinationView = { id: input.id ?? "x", name: input.name, url: input.url, hasKey: Boolean(input.key), enabled: false, state: "off", since: null, bitrateKbps: 0, fps: 0, restarts: 0, lastError: null, transport: "auto" };
      views.push(view);
      return view;
    },
    async updateDestination(id) {
      return find(id);
    },
    async deleteDestination(id) {
      find(id);
    },
    async setEnabled(id, wish) {
      const view = find(id);
      view.enabled = wish === "toggle" ? !view.enabled : wish;
      return view;
    },
    async retryNow(id) {
      return find(id);
    },
    destinationLog: () => [],
    restartService: async () => undefined,
  };
}

let server: Server;
let base: string;
let token = "";
const api = memoryApi();

beforeAll(async () => {
  const app = createApp({ api, version: "t", logger: createLogger({ redact: (t) => t, write: () => undefined }), token: () => token });
  server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(base + path, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });

describe("HTTP app", () => {
  it("answers health", async () => {
    expect(await (await fetch(`${base}/api/health`)).json()).toEqual({ ok: true, version: "t" });
  });

  it("creates with 201 and a Location", async () => {
    const response = await post("/api/destinations", JSON.stringify({ id: "yt", name: "YouTube", url: "rtmp://a.rtmp.youtube.com/live2", key: "s3cret" }));
    expect(response.status).toBe(201);
    expect(response.headers.get("location")).toBe("/api/destinations/yt");
    expect(await response.text()).not.toContain("s3cret");
  });

  it("answers malformed JSON with 400 and a JSON error", async () => {
    const response = await post("/api/destinations", "{ not json");
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: "malformed_json", message: expect.stringMatching(/not valid JSON/) } });
  });

  it("answers a body over the limit with 413", async () => {
    const response = await post("/api/destinations", JSON.stringify({ name: "x".repeat(100_000) }));
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe("body_too_large");
  });

  it("names the field at fault and refuses unknown fields", async () => {
    const bad = await post("/api/destinations", JSON.stringify({ name: "A", url: "rtmp://h/app", transport: "carrier-pigeon" }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "invalid_field", field: "transport" } });
    const unknown = await post("/api/destinations", JSON.stringify({ name: "A", url: "rtmp://h/app", streamKey: "x" }));
    expect(await unknown.json()).toMatchObject({ error: { code: "unknown_field", field: "streamKey" } });
  });

  it("answers unknown ids and paths with 404 JSON", async () => {
    expect((await post("/api/destinations/nope/toggle", "")).status).toBe(404);
    const nothing = await fetch(`${base}/api/nothing-here`);
    expect(nothing.status).toBe(404);
    expect((await nothing.json()).error.code).toBe("not_found");
  });

  it("refuses changes from a page of another origin, accepts its own and Companion's", async () => {
    const evil = await post("/api/destinations/yt/toggle", "", { origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    expect((await evil.json()).error.code).toBe("cross_origin");
    expect((await post("/api/destinations/yt/toggle", "", { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await post("/api/destinations/yt/toggle", "", { origin: base })).status).toBe(200);
    expect((await post("/api/destinations/yt/toggle", "")).status).toBe(200);
  });

  it("refuses Host names that could be DNS rebinding", async () => {
    const { request } = await import("node:http");
    const status = await new Promise<number>((resolve) => {
      const req = request(`${base}/api/status`, { headers: { host: "attacker.example:8787" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.end();
    });
    expect(status).toBe(403);
  });

  it("with a token: 401 without it, 200 with Bearer or ?token=", async () => {
    token = "tok-123";
    try {
      const denied = await fetch(`${base}/api/status`);
      expect(denied.status).toBe(401);
      expect(denied.headers.get("www-authenticate")).toContain("Bearer");
      expect((await fetch(`${base}/api/status`, { headers: { authorization: "Bearer tok-123" } })).status).toBe(200);
      expect((await fetch(`${base}/api/status?token=tok-123`)).status).toBe(200);
      expect((await fetch(`${base}/api/status?token=tok-124`)).status).toBe(401);
    } finally {
      token = "";
    }
  });
});

describe("event streams", () => {
  it("a client going away is normal: no error, no stack trace", async () => {
    const lines: string[] = [];
    const consoleErrors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const app = createApp({ api: memoryApi(), version: "t", logger: createLogger({ redact: (t) => t, write: (line) => lines.push(line) }), token: () => "" });
    const one = createServer(app.callback());
    await new Promise<void>((resolve) => one.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(one.address() as AddressInfo).port}/api/events`;
      for (let i = 0; i < 3; i += 1) {
        const abort = new AbortController();
        const response = await fetch(url, { signal: abort.signal });
        await response.body!.getReader().read();
        abort.abort();
      }
      // The server has seen each stream's connection end (a socket's close comes after its error, if
      // any), and answers the next request: the going away has been handled, logged or not.
      await waitFor(() => new Promise<boolean>((resolve) => one.getConnections((_, count) => resolve(count === 0))), { what: "the streams' connections to close", timeoutMs: 5_000, intervalMs: 10 });
      expect((await fetch(url.replace(/events$/, "status"))).status).toBe(200);
      expect(consoleErrors).not.toHaveBeenCalled();
      expect(lines.filter((line) => / (ERROR|WARN) /.test(line))).toEqual([]);
    } finally {
      consoleErrors.mockRestore();
      one.closeAllConnections();
      await new Promise<void>((resolve) => one.close(() => resolve()));
    }
  });

  it("caps the streams open at once with a clear 429, and frees a place when one closes", async () => {
    const app = createApp({ api: memoryApi(), version: "t", logger: createLogger({ redact: (t) => t, write: () => undefined }), token: () => "", maxEventClients: 2 });
    const one = createServer(app.callback());
    await new Promise<void>((resolve) => one.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(one.address() as AddressInfo).port}/api/events`;
    const aborts: AbortController[] = [];
    const open = async () => {
      const abort = new AbortController();
      aborts.push(abort);
      return fetch(url, { signal: abort.signal });
    };
    try {
      expect((await open()).status).toBe(200);
      expect((await open()).status).toBe(200);
      const refused = await open();
      expect(refused.status).toBe(429);
      expect((await refused.json()).error).toMatchObject({ code: "too_many_event_streams", message: expect.stringMatching(/^2 event streams are open already/) });
      aborts[0]!.abort();
      // Once the server has seen the first one close, a new stream is taken (each refusal closes itself).
      await waitFor(async () => (await open()).status === 200, { what: "a place freed for a new stream", timeoutMs: 5_000, intervalMs: 20 });
    } finally {
      for (const abort of aborts) abort.abort();
      one.closeAllConnections();
      await new Promise<void>((resolve) => one.close(() => resolve()));
    }
  });
});
