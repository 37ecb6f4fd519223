// Bad input to the real bridge: every field checked with a message naming it, the right status for
// each kind of mistake, and a config file that only ever changes by a whole, valid, private write.

import { readdir, readFile, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";
import { rawRequest } from "./raw-http.js";

const KEY = "live_key_input_a41f0c";
const posix = process.platform !== "win32";

describe("bad input", () => {
  let bridge: RunningBridge;
  const answers: string[] = [];

  beforeAll(async () => {
    bridge = await startBridge({ destinations: [{ id: "yt", name: "YouTube", url: "rtmp://127.0.0.1:9/live2", key: KEY }] });
  });
  afterAll(async () => {
    expect(await bridge?.stop()).toBe(0);
  });

  const send = async (method: string, path: string, body?: string, headers: Record<string, string> = {}) => {
    const answer = await rawRequest({
      port: bridge.port,
      method,
      path,
      headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      body,
    });
    answers.push(answer.body);
    return { status: answer.status, body: answer.body ? JSON.parse(answer.body) : undefined };
  };
  const configBytes = () => readFile(bridge.configFile);
  const fileMode = async () => (await stat(bridge.configFile)).mode & 0o777;
  const strayFiles = async () => (await readdir(dirname(bridge.configFile))).filter((name) => name.endsWith(".tmp"));

  /** Sends a request that must be refused with `status`, and checks the config file did not move. */
  const refused = async (status: number, method: string, path: string, body?: string, headers?: Record<string, string>) => {
    const before = await configBytes();
    const answer = await send(method, path, body, headers);
    expect(answer.status, `${method} ${path} ${body?.slice(0, 80) ?? ""}`).toBe(status);
    expect(answer.body.error.code).toEqual(expect.any(String));
    expect(answer.body.error.message).toEqual(expect.any(String));
    expect((await configBytes()).equals(before)).toBe(true);
    return answer.body.error as { code: string; message: string; field?: string };
  };

  const valid = { name: "Twitch", url: "rtmp://127.0.0.1:9/app", key: "tw_key_77c0e2" };

  describe("each field is checked and named", () => {
    // [field, bad value, start of the message]
    const cases: Array<[string, unknown, RegExp]> = [
      ["id", "Not A Slug", /^id: must be a slug/],
      ["id", "-leading-dash", /^id: must be a slug/],
      ["id", "a".repeat(65), /^id: must be a slug/],
      ["id", "../../etc", /^id: must be a slug/],
      ["id", "yt\u0000", /^id: must be a slug/],
      ["id", 42, /^id: /],
      ["name", "", /^name: must not be empty/],
      ["name", "   ", /^name: must not be empty/],
      ["name", "N".repeat(65), /^name: must be at most 64 characters/],
      ["name", null, /^name: /],
      ["url", "http://example.com/live", /^url: must start with rtmp:\/\/ or rtmps:\/\//],
      ["url", "file:///etc/passwd", /^url: must start with rtmp:\/\/ or rtmps:\/\//],
      ["url", "srt://127.0.0.1:9000", /^url: must start with rtmp:\/\/ or rtmps:\/\//],
      ["url", "rtmp:///app", /^url: has no host name/],
      ["url", "rtmp://host/app key", /^url: contains spaces or control characters/],
      ["url", "rtmp://host/app\nrtmp://other/app", /^url: contains spaces or control characters/],
      ["url", "rtmp://host/app\u0007", /^url: contains spaces or control characters/],
      ["url", "rtmp://host/app\t", /^url: contains spaces or control characters/],
      ["url", " rtmp://host/app", /^url: contains spaces or control characters/],
      ["url", "rtmp://user:pass@host/app", /^url: must not carry a user name or password/],
      ["url", `rtmp://host/${"a".repeat(2050)}`, /^url: is longer than 2048 characters/],
      ["url", "", /^url: is empty/],
      ["url", "-f lavfi", /^url: /],
      ["url", ["rtmp://host/app"], /^url: /],
      ["key", "k".repeat(513), /^key: must be at most 512 characters/],
      ["key", "two words", /^key: must not contain spaces or control characters/],
      ["key", "line\nbreak", /^key: must not contain spaces or control characters/],
      ["key", 12345, /^key: /],
      ["enabled", "yes", /^enabled: /],
      ["transport", "carrier-pigeon", /^transport: must be one of auto, direct, stunnel/],
      ["platform", "You Tube", /^platform: must be a preset id/],
      ["source", "a/b", /^source: must be an ingest stream name/],
    ];

    for (const [field, value, message] of cases) {
      it(`${field} = ${JSON.stringify(value).slice(0, 40)} → 400 naming ${field}, nothing written`, async () => {
        const error = await refused(400, "POST", "/api/destinations", JSON.stringify({ ...valid, [field]: value }));
        expect(error.code).toBe("invalid_field");
        expect(error.field).toBe(field);
        expect(error.message).toMatch(message);
        if (field !== "id") {
          const patch = await refused(400, "PATCH", "/api/destinations/yt", JSON.stringify({ [field]: value }));
          expect(patch.field).toBe(field);
          expect(patch.message).toMatch(message);
        }
      });
    }

    it("a required field missing is named", async () => {
      expect((await refused(400, "POST", "/api/destinations", JSON.stringify({ url: valid.url }))).field).toBe("name");
      expect((await refused(400, "POST", "/api/destinations", JSON.stringify({ name: "X" }))).field).toBe("url");
    });

    it("an unknown field is refused by name (a typo never passes silently)", async () => {
      const error = await refused(400, "POST", "/api/destinations", JSON.stringify({ ...valid, streamKey: "x" }));
      expect(error).toMatchObject({ code: "unknown_field", field: "streamKey" });
      expect((await refused(400, "PATCH", "/api/destinations/yt", JSON.stringify({ __proto__: { enabled: true }, constructor: "x" }))).code).toBe("unknown_field");
    });

    it("an empty stream key is taken, with a warning in the answer, unless the URL carries its own key", async () => {
      const created = await send("POST", "/api/destinations", JSON.stringify({ id: "nokey", name: "No key", url: "rtmp://127.0.0.1:9/app" }));
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ hasKey: false, warning: expect.stringMatching(/^No stream key/), warningCode: "no_stream_key" });
      expect((await send("GET", "/api/destinations/nokey")).body.warning).toMatch(/^No stream key/);
      const keyed = await send("PATCH", "/api/destinations/nokey", JSON.stringify({ key: "now_a_key_5d1" }));
      expect(keyed.body.warning).toBeUndefined();
      const inUrl = await send("POST", "/api/destinations", JSON.stringify({ id: "inurl", name: "Key in URL", url: "rtmp://127.0.0.1:9/app/own" }));
      expect(inUrl.body.warning).toBeUndefined();
      for (const id of ["nokey", "inurl"]) expect((await send("DELETE", `/api/destinations/${id}`)).status).toBe(204);
    });

    it("a PATCH cannot change the id", async () => {
      expect((await refused(400, "PATCH", "/api/destinations/yt", JSON.stringify({ id: "other" }))).field).toBe("id");
    });

    it("a body that is not a JSON object is refused", async () => {
      for (const body of ["[]", "null", "42", '"text"', "true", "[{\"name\":\"x\"}]"]) {
        const error = await refused(400, "POST", "/api/destinations", body);
        expect(["invalid_request", "malformed_json"]).toContain(error.code);
      }
    });
  });

  describe("status codes", () => {
    it("malformed JSON → 400 malformed_json", async () => {
      for (const body of ["{ not json", '{"name": "x",}', "{\"name\": \"x\"", "\u0000", "{'name':'x'}", "NaN"]) {
        expect((await refused(400, "POST", "/api/destinations", body)).code, JSON.stringify(body)).toBe("malformed_json");
        expect((await refused(400, "PATCH", "/api/destinations/yt", body)).code).toBe("malformed_json");
      }
    });

    it("a body over the limit → 413, declared or chunked", async () => {
      const big = JSON.stringify({ ...valid, name: "x".repeat(70 * 1024) });
      expect((await refused(413, "POST", "/api/destinations", big)).code).toBe("body_too_large");
      expect((await refused(413, "PATCH", "/api/destinations/yt", big)).code).toBe("body_too_large");
      expect((await refused(413, "POST", "/api/destinations", big, { "transfer-encoding": "chunked" })).code).toBe("body_too_large");
      // Still healthy afterwards.
      expect((await send("GET", "/api/health")).status).toBe(200);
    });

    it("a body sent as another type (a cross-site form can send those) is never read as JSON: 415, send JSON", async () => {
      for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
        const error = await refused(415, "POST", "/api/destinations", JSON.stringify({ ...valid, id: "form" }), { "content-type": type });
        expect(error.code, type).toBe("unsupported_media_type");
        expect(error.message, type).toMatch(/Send the body as JSON, with the header 'Content-Type: application\/json'/);
        await send("PATCH", "/api/destinations/yt", JSON.stringify({ name: "Hijacked" }), { "content-type": type });
      }
      expect((await send("GET", "/api/destinations/yt")).body.name).toBe("YouTube");
      expect((await send("GET", "/api/destinations/form")).status).toBe(404);
    });

    it("a JSON body with __proto__ is refused saying so, not as broken JSON", async () => {
      const error = await refused(400, "PATCH", "/api/destinations/yt", '{"__proto__": {"enabled": true}}');
      expect(error.code).toBe("forbidden_field");
      expect(error.message).toMatch(/__proto__/);
    });

    it("a 12 MB body sent in one go gets the 413 answer, not a reset", async () => {
      const body = Buffer.alloc(12 * 1024 * 1024, "x");
      const head =
        `POST /api/destinations HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(bridge.port, "127.0.0.1", () => socket.end(Buffer.concat([Buffer.from(head), body])));
        let text = "";
        socket.setEncoding("utf8");
        socket.on("data", (chunk: string) => (text += chunk));
        socket.on("close", () => resolve(text));
        socket.on("error", (error) => reject(new Error(`${error.message} after ${JSON.stringify(text.slice(0, 40))}`)));
      });
      expect(answer).toMatch(/^HTTP\/1\.1 413 /);
      expect(answer).toContain('"code":"body_too_large"');
    });

    it("a duplicate id → 409 naming the id", async () => {
      const error = await refused(409, "POST", "/api/destinations", JSON.stringify({ ...valid, id: "yt" }));
      expect(error).toMatchObject({ code: "duplicate_id", field: "id" });
    });

    it("an unknown id → 404 on every destination route, nothing written", async () => {
      for (const [method, path, body] of [
        ["GET", "/api/destinations/nope"],
        ["PATCH", "/api/destinations/nope", JSON.stringify({ name: "X" })],
        ["DELETE", "/api/destinations/nope"],
        ["POST", "/api/destinations/nope/start"],
        ["POST", "/api/destinations/nope/stop"],
        ["POST", "/api/destinations/nope/toggle"],
        ["POST", "/api/destinations/nope/retry"],
        ["GET", "/api/destinations/nope/log"],
        ["GET", "/api/destinations/nope/key.svg"],
        ["GET", "/api/destinations/nope/key.png"],
        ["GET", "/api/destinations/YT"],
        ["GET", "/api/destinations/%2e%2e"],
        ["GET", "/api/destinations/yt%2Fstart"],
        ["GET", "/api/destinations/%E0%A4%A"],
      ] as const) {
        expect((await refused(404, method, path, body)).code, `${method} ${path}`).toBe("not_found");
      }
      // An unknown id is an error even where the body is also wrong: nothing is written either way.
      expect([400, 404]).toContain((await send("PATCH", "/api/destinations/nope", "{ bad")).status);
    });
  });

  describe("the config file", () => {
    it("is 0600 after every kind of write, with no temp file left", async () => {
      const created = await send("POST", "/api/destinations", JSON.stringify({ ...valid, id: "tw" }));
      expect(created.status).toBe(201);
      if (posix) expect(await fileMode()).toBe(0o600);
      expect((await send("PATCH", "/api/destinations/tw", JSON.stringify({ name: "Twitch 2" }))).status).toBe(200);
      if (posix) expect(await fileMode()).toBe(0o600);
      expect((await send("POST", "/api/destinations/tw/toggle")).status).toBe(200);
      if (posix) expect(await fileMode()).toBe(0o600);
      expect((await send("DELETE", "/api/destinations/tw")).status).toBe(204);
      if (posix) expect(await fileMode()).toBe(0o600);
      expect(await strayFiles()).toEqual([]);
      const saved = JSON.parse((await configBytes()).toString("utf8"));
      expect(saved.destinations.map((destination: { id: string }) => destination.id)).toEqual(["yt"]);
    });

    it("takes 30 concurrent creates: every one lands, the file stays valid JSON", async () => {
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => send("POST", "/api/destinations", JSON.stringify({ id: `c${i}`, name: `Concurrent ${i}`, url: "rtmp://127.0.0.1:9/app", key: `ck_${i}_e93b` }))),
      );
      expect(results.map((result) => result.status)).toEqual(Array(30).fill(201));
      const saved = JSON.parse((await configBytes()).toString("utf8"));
      const ids = saved.destinations.map((destination: { id: string }) => destination.id);
      expect(ids.filter((id: string) => id.startsWith("c")).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `c${i}`).sort());
      expect(saved.destinations.find((destination: { id: string }) => destination.id === "c7").key).toBe("ck_7_e93b");
      if (posix) expect(await fileMode()).toBe(0o600);
      expect(await strayFiles()).toEqual([]);
      const listed = (await send("GET", "/api/destinations")).body as Array<{ id: string }>;
      expect(listed.length).toBe(ids.length);
    });

    it("takes concurrent toggles, patches and deletes without losing one", async () => {
      const work = [
        ...Array.from({ length: 10 }, (_, i) => send("POST", `/api/destinations/c${i}/start`)),
        ...Array.from({ length: 10 }, (_, i) => send("PATCH", `/api/destinations/c${i + 10}`, JSON.stringify({ name: `Renamed ${i + 10}` }))),
        ...Array.from({ length: 10 }, (_, i) => send("DELETE", `/api/destinations/c${i + 20}`)),
      ];
      const statuses = (await Promise.all(work)).map((result) => result.status);
      expect(statuses).toEqual([...Array(10).fill(200), ...Array(10).fill(200), ...Array(10).fill(204)]);
      const saved = JSON.parse((await configBytes()).toString("utf8"));
      const byId = new Map<string, { enabled: boolean; name: string }>(saved.destinations.map((destination: { id: string }) => [destination.id, destination]));
      for (let i = 0; i < 10; i += 1) expect(byId.get(`c${i}`)?.enabled).toBe(true);
      for (let i = 10; i < 20; i += 1) expect(byId.get(`c${i}`)?.name).toBe(`Renamed ${i}`);
      for (let i = 20; i < 30; i += 1) expect(byId.has(`c${i}`)).toBe(false);
      expect(await strayFiles()).toEqual([]);
    });

    it("concurrent creates of one id: exactly one wins, the rest get 409", async () => {
      const results = await Promise.all(
        Array.from({ length: 12 }, () => send("POST", "/api/destinations", JSON.stringify({ id: "race", name: "Race", url: "rtmp://127.0.0.1:9/app" }))),
      );
      const statuses = results.map((result) => result.status).sort();
      expect(statuses).toEqual([201, ...Array(11).fill(409)]);
      const saved = JSON.parse((await configBytes()).toString("utf8"));
      expect(saved.destinations.filter((destination: { id: string }) => destination.id === "race")).toHaveLength(1);
    });

    it("kept the stored key through all those writes", async () => {
      const saved = JSON.parse((await configBytes()).toString("utf8"));
      expect(saved.destinations.find((destination: { id: string }) => destination.id === "yt").key).toBe(KEY);
    });
  });

  it("never echoed a stream key, even in a refusal of that very key", async () => {
    await refused(400, "POST", "/api/destinations", JSON.stringify({ ...valid, key: "secret_echo_check with space" }));
    await refused(400, "POST", "/api/destinations", JSON.stringify({ ...valid, url: "ftp://h/app", key: "secret_echo_check_2" }));
    await refused(409, "POST", "/api/destinations", JSON.stringify({ ...valid, id: "yt", key: "secret_echo_check_3" }));
    const everything = answers.join("\n");
    for (const secret of [KEY, "tw_key_77c0e2", "ck_7_e93b", "secret_echo_check", "secret_echo_check_2", "secret_echo_check_3"]) {
      expect(everything).not.toContain(secret);
    }
    expect(bridge.output()).not.toContain(KEY);
    expect(bridge.output()).not.toContain("ck_7_e93b");
  });
});

describe("how many destinations", () => {
  it("takes at most 100, and answers the next with a clear 400", async () => {
    const destinations = Array.from({ length: 100 }, (_, i) => ({ id: `d${i}`, name: `D ${i}`, url: "rtmp://127.0.0.1:9/app", key: `k${i}` }));
    const full = await startBridge({ destinations });
    try {
      const answer = await rawRequest({
        port: full.port,
        method: "POST",
        path: "/api/destinations",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "One more", url: "rtmp://127.0.0.1:9/app", key: "k" }),
      });
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body).error).toMatchObject({ code: "too_many_destinations", message: expect.stringMatching(/^There are 100 destinations already/) });
    } finally {
      expect(await full.stop()).toBe(0);
    }
  });
});
