// Who may talk to the real bridge: the token on every /api request (header or ?token=, events too),
// no change from a page of another origin, no CORS for anyone, and no Host name a DNS-rebinding
// page could bring.

import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";
import { rawPeek, rawRequest, type RawResponse } from "./raw-http.js";

const TOKEN = "tok_Q2x9fLw7Rr0pZk3m";
const KEY = "live_key_access_4b7e19";

describe("access to the bridge", () => {
  let bridge: RunningBridge;
  let host: string;
  const seen: RawResponse[] = [];

  beforeAll(async () => {
    bridge = await startBridge({
      token: TOKEN,
      destinations: [
        { id: "yt", name: "YouTube", url: "rtmp://127.0.0.1:9/live2", key: KEY },
        { id: "spare", name: "Spare", url: "rtmp://127.0.0.1:9/app", key: "" },
      ],
    });
    host = `127.0.0.1:${bridge.port}`;
  });
  afterAll(async () => {
    expect(await bridge?.stop()).toBe(0);
  });

  const send = async (method: string, path: string, headers: Record<string, string> = {}, body?: string) => {
    const answer = await rawRequest({
      port: bridge.port,
      method,
      path,
      headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      body,
    });
    seen.push(answer);
    return answer;
  };
  const auth = { authorization: `Bearer ${TOKEN}` };
  const enabled = async () => JSON.parse((await send("GET", "/api/destinations/yt", auth)).body).enabled as boolean;
  const configText = () => readFile(bridge.configFile, "utf8");

  describe("token", () => {
    const reads = ["/api/health", "/api/status", "/api/obs", "/api/destinations", "/api/destinations/yt", "/api/destinations/yt/log", "/api/variables", "/api/destinations/yt/key.svg", "/api/ingest/key.svg", "/api/settings", "/api/nothing"];

    it("answers 401 to every /api read without it, with a WWW-Authenticate challenge", async () => {
      for (const path of reads) {
        const answer = await send("GET", path);
        expect(answer.status, path).toBe(401);
        expect(answer.headers["www-authenticate"]).toMatch(/^Bearer/);
        expect(JSON.parse(answer.body).error.code).toBe("unauthorized");
      }
    });

    it("answers 401 to every change without it, and changes nothing", async () => {
      const before = await configText();
      const changes: Array<[string, string, string?]> = [
        ["POST", "/api/destinations/yt/start"],
        ["POST", "/api/destinations/yt/toggle"],
        ["POST", "/api/destinations/yt/stop"],
        ["POST", "/api/destinations/yt/retry"],
        ["PATCH", "/api/destinations/yt", JSON.stringify({ name: "Hijacked" })],
        ["DELETE", "/api/destinations/yt"],
        ["POST", "/api/destinations", JSON.stringify({ id: "evil", name: "Evil", url: "rtmp://127.0.0.1:9/x", key: "k" })],
        ["POST", "/api/services/nginx/restart"],
        ["PATCH", "/api/settings", JSON.stringify({ binaries: { ffmpeg: "" } })],
        ["PATCH", "/api/obs", JSON.stringify({ url: "ws://127.0.0.1:9" })],
        ["POST", "/api/obs/setup"],
        ["POST", "/api/obs/restore"],
        ["POST", "/api/obs/start"],
        ["POST", "/api/obs/stop"],
      ];
      for (const [method, path, body] of changes) {
        expect((await send(method, path, {}, body)).status, `${method} ${path}`).toBe(401);
      }
      expect(await configText()).toBe(before);
      expect(await enabled()).toBe(false);
    });

    it("refuses a wrong, partial, differently-cased or empty token, and other schemes", async () => {
      const wrong: Array<Record<string, string>> = [
        { authorization: `Bearer ${TOKEN}x` },
        { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
        { authorization: `Bearer ${TOKEN.toUpperCase()}` },
        { authorization: "Bearer " },
        { authorization: `Basic ${Buffer.from(`relay:${TOKEN}`).toString("base64")}` },
        { authorization: TOKEN },
        { "x-token": TOKEN },
        { cookie: `token=${TOKEN}` },
      ];
      for (const headers of wrong) expect((await send("GET", "/api/status", headers)).status, JSON.stringify(headers)).toBe(401);
      for (const query of [`token=${TOKEN}x`, "token=", `TOKEN=${TOKEN}`, `tok=${TOKEN}`, `token[]=${TOKEN}`]) {
        expect((await send("GET", `/api/status?${query}`)).status, query).toBe(401);
      }
      // A wrong header is not rescued by a right query, nor the other way round.
      expect((await send("GET", `/api/status?token=${TOKEN}`, { authorization: "Bearer nope" })).status).toBe(401);
    });

    it("accepts it as 'Authorization: Bearer' and as ?token= (Companion)", async () => {
      expect((await send("GET", "/api/status", auth)).status).toBe(200);
      expect((await send("GET", "/api/status", { authorization: `bearer ${TOKEN}` })).status).toBe(200);
      expect((await send("GET", `/api/status?token=${TOKEN}`)).status).toBe(200);
      expect((await send("GET", `/api/status?token=${encodeURIComponent(TOKEN)}&x=1`)).status).toBe(200);
      const toggled = await send("POST", `/api/destinations/spare/toggle?token=${TOKEN}`);
      expect(toggled.status).toBe(200);
      expect(JSON.parse(toggled.body).enabled).toBe(true);
      expect(JSON.parse((await send("POST", `/api/destinations/spare/stop?token=${TOKEN}`)).body).enabled).toBe(false);
    });

    it("guards /api/events too: 401 without, a stream with the header or ?token= (EventSource)", async () => {
      const denied = await rawPeek({ port: bridge.port, path: "/api/events" });
      expect(denied.status).toBe(401);
      expect(denied.head).not.toContain("event: status");
      expect((await rawPeek({ port: bridge.port, path: "/api/events?token=wrong" })).status).toBe(401);
      for (const request of [
        { path: "/api/events", headers: auth },
        { path: `/api/events?token=${TOKEN}` },
      ]) {
        const events = await rawPeek({ port: bridge.port, ...request });
        expect(events.status).toBe(200);
        expect(events.headers["content-type"]).toMatch(/^text\/event-stream/);
        expect(events.head).toContain("event: status");
        expect(events.head).not.toContain(KEY);
      }
    });

    it("keeps the status page itself open, so it can ask for the token", async () => {
      const page = await send("GET", "/");
      expect(page.status).toBe(200);
      expect(page.headers["content-type"]).toMatch(/^text\/html/);
    });
  });

  describe("pages of another origin", () => {
    const changes: Array<[string, string, string?]> = [
      ["POST", "/api/destinations/yt/toggle"],
      ["POST", "/api/destinations/yt/start"],
      ["POST", "/api/destinations", JSON.stringify({ id: "csrf", name: "CSRF", url: "rtmp://127.0.0.1:9/x" })],
      ["PATCH", "/api/destinations/yt", JSON.stringify({ name: "Hijacked" })],
      ["PATCH", "/api/settings", JSON.stringify({ binaries: { ffmpeg: "/usr/bin/ffmpeg" } })],
      ["DELETE", "/api/destinations/yt"],
      ["PUT", "/api/destinations/yt", JSON.stringify({ name: "Hijacked" })],
      // OBS: another origin must never point the bridge at its own server, nor set OBS up or start it.
      ["PATCH", "/api/obs", JSON.stringify({ url: "ws://evil.example:4455" })],
      ["POST", "/api/obs/setup"],
      ["POST", "/api/obs/start"],
    ];
    const foreign: Array<Record<string, string>> = [
      { origin: "https://evil.example" },
      { origin: "http://127.0.0.1:1" },
      { origin: "http://localhost:" + "0" },
      { origin: "null" },
      { origin: "not a url" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      { "sec-fetch-site": "cross-site", origin: "http://127.0.0.1:0" },
    ];

    it("refuses every POST, PATCH, PUT and DELETE with a foreign Origin or Sec-Fetch-Site, even with the token", async () => {
      const before = await configText();
      for (const [method, path, body] of changes) {
        for (const headers of foreign) {
          const answer = await send(method, path, { ...auth, ...headers }, body);
          expect(answer.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(403);
          expect(JSON.parse(answer.body).error.code).toBe("cross_origin");
        }
      }
      // The token in the query (what a malicious page could put in a form's action) does not help either.
      expect((await send("POST", `/api/destinations/yt/toggle?token=${TOKEN}`, { origin: "https://evil.example" })).status).toBe(403);
      expect(await configText()).toBe(before);
      expect(await enabled()).toBe(false);
      expect((await send("GET", "/api/destinations/csrf", auth)).status).toBe(404);
    });

    it("accepts the same origin (the status page) and clients that are not browsers (Companion, curl)", async () => {
      const same = await send("POST", "/api/destinations/spare/start", { ...auth, origin: `http://${host}`, "sec-fetch-site": "same-origin" });
      expect(same.status).toBe(200);
      const none = await send("POST", "/api/destinations/spare/stop", { ...auth, "sec-fetch-site": "none" });
      expect(none.status).toBe(200);
      expect(JSON.parse(none.body).enabled).toBe(false);
      // Reads from another origin are answered (the browser keeps them from the page: no CORS below).
      expect((await send("GET", "/api/status", { ...auth, origin: "https://evil.example" })).status).toBe(200);
    });

    it("never sends CORS headers: not on answers, errors, preflights or events", async () => {
      const probes: Array<[string, string, Record<string, string>]> = [
        ["GET", "/api/status", { ...auth, origin: "https://evil.example" }],
        ["GET", "/api/status", { origin: "https://evil.example" }],
        ["OPTIONS", "/api/destinations/yt/toggle", { origin: "https://evil.example", "access-control-request-method": "POST" }],
        ["OPTIONS", "/api/destinations/yt/toggle", { ...auth, origin: "https://evil.example", "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" }],
        ["OPTIONS", "/api/destinations", { ...auth, origin: "null", "access-control-request-method": "POST" }],
        ["POST", "/api/destinations/yt/toggle", { ...auth, origin: "https://evil.example" }],
        ["GET", "/", { origin: "https://evil.example" }],
        ["GET", "/app.js", { origin: "https://evil.example" }],
        ["GET", "/api/destinations/yt/key.png", { ...auth, origin: "https://evil.example" }],
        ["GET", "/api/nothing", { ...auth, origin: "https://evil.example" }],
      ];
      for (const [method, path, headers] of probes) {
        const answer = await send(method, path, headers);
        expect(answer.status, `${method} ${path}`).toBeLessThan(500);
        const cors = Object.keys(answer.headers).filter((name) => name.startsWith("access-control-"));
        expect(cors, `${method} ${path}`).toEqual([]);
      }
      const events = await rawPeek({ port: bridge.port, path: "/api/events", headers: { ...auth, origin: "https://evil.example" } });
      expect(events.headers["access-control-allow-origin"]).toBeUndefined();
      expect(events.headers["access-control-allow-credentials"]).toBeUndefined();
    });
  });

  describe("DNS rebinding", () => {
    const rebound = ["evil.example", `evil.example:${0}`, "attacker.test:80", "127.0.0.1.evil.example", "localhost.evil.example", "relay", "0x7f000001.evil.example"];

    it("refuses a Host that is not an address, localhost or a configured name, on the API and the page", async () => {
      for (const name of rebound) {
        const value = name.includes(":") ? name : `${name}:${bridge.port}`;
        for (const [method, path] of [["GET", "/api/status"], ["GET", "/"], ["GET", "/app.js"], ["POST", "/api/destinations/yt/toggle"], ["GET", "/api/events"]] as const) {
          const answer = method === "GET" && path === "/api/events"
            ? await rawPeek({ port: bridge.port, path, headers: { ...auth, host: value } })
            : await send(method, path, { ...auth, host: value, origin: `http://${value}` });
          expect(answer.status, `${method} ${path} Host: ${JSON.stringify(value)}`).toBeOneOf([400, 403]);
        }
      }
      expect(await enabled()).toBe(false);
    });

    it("accepts the bound address, localhost and [::1]", async () => {
      for (const value of [host, `localhost:${bridge.port}`, "localhost", `LOCALHOST:${bridge.port}`, `[::1]:${bridge.port}`, "127.0.0.1"]) {
        expect((await send("GET", "/api/health", { ...auth, host: value })).status, value).toBe(200);
      }
    });
  });

  it("never put the stream key or the token in an answer", () => {
    const everything = seen.map((answer) => `${JSON.stringify(answer.headers)}\n${answer.body}`).join("\n");
    expect(seen.length).toBeGreaterThan(100);
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain(TOKEN);
  });

  it("never logged the stream key or the token", () => {
    expect(bridge.output()).not.toContain(KEY);
    expect(bridge.output()).not.toContain(TOKEN);
  });
});

describe("Host names configured in bridge.allowedHosts", () => {
  let bridge: RunningBridge;

  beforeAll(async () => {
    // bridge.port in the file is replaced by --port; the section is written whole to add the names.
    bridge = await startBridge({ token: TOKEN, extra: { bridge: { host: "127.0.0.1", port: 8787, token: TOKEN, allowedHosts: ["studio.lan"] } } });
  });
  afterAll(async () => {
    expect(await bridge?.stop()).toBe(0);
  });

  const status = async (host: string) =>
    (await rawRequest({ port: bridge.port, path: "/api/health", headers: { authorization: `Bearer ${TOKEN}`, host } })).status;

  it("accepts exactly the listed name, in any case, and nothing built on it", async () => {
    expect(await status(`studio.lan:${bridge.port}`)).toBe(200);
    expect(await status("STUDIO.LAN")).toBe(200);
    for (const host of ["studio.lan.evil.example", "evil-studio.lan", "studio.lan.", "evil.example", "studio"]) {
      expect(await status(`${host}:${bridge.port}`), host).toBe(403);
    }
  });
});
