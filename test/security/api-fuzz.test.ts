// A property test of the whole HTTP surface of one real bridge: random methods, paths (odd encodings
// included), headers and bodies (valid, invalid and broken JSON, oversized). Whatever comes in, the
// bridge never answers 5xx, a refused request never changes the config file, and no answer ever
// contains a stream key or the token.

import { request } from "node:http";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";

const TOKEN = "tok_fuzz_c8e41b7a92";
const KNOWN_KEY = "live_fuzz_known_key_5d90e3";
// FUZZ_RUNS=5000 for a longer search; FUZZ_SEED=<seed printed by a failure> to replay one.
const RUNS = Number(process.env.FUZZ_RUNS ?? 500);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

interface Answer {
  status: number;
  text: string;
  reset?: boolean;
}

/**
 * Sends one request as is; an event stream is read up to its first frame, then closed. A server may
 * answer a refused oversized body before reading it and then close: `reset` says the connection
 * ended that way with no answer read.
 */
function send(port: number, sent: Sent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let status = 0;
    let text = "";
    const req = request({ host: "127.0.0.1", port, method: sent.method, path: sent.path, headers: sent.headers, agent: false }, (res) => {
      status = res.statusCode ?? 0;
      text = `${status} ${JSON.stringify(res.headers)}\n`;
      const stream = String(res.headers["content-type"] ?? "").startsWith("text/event-stream");
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
        if (stream && text.includes("\n\n")) {
          req.destroy();
          resolve({ status, text });
        }
      });
      res.on("end", () => resolve({ status, text }));
      res.on("error", () => resolve({ status, text }));
    });
    req.setTimeout(20_000, () => req.destroy(new Error(`no answer to ${sent.method} ${sent.path}`)));
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (status !== 0) resolve({ status, text });
      else if (error.code === "ECONNRESET" || error.code === "EPIPE") resolve({ status: 0, text: "", reset: true });
      else reject(error);
    });
    if (sent.body !== undefined) req.write(sent.body);
    req.end();
  });
}

// ---- generators ---------------------------------------------------------------------------------

const hex = (length: number) => fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: length, maxLength: length });

/** A fresh, recognisable stream key: every one sent is remembered and looked for in every answer. */
const marker = hex(16).map((tail) => `fzk_${tail}`);
const keyValue = fc.oneof(
  { weight: 6, arbitrary: marker },
  { weight: 1, arbitrary: marker.map((key) => `${key} with spaces`) },
  { weight: 1, arbitrary: marker.map((key) => `${key}${"k".repeat(600)}`) },
  { weight: 1, arbitrary: marker.map((key) => `${key}\n`) },
  { weight: 1, arbitrary: marker.map((key) => `rtmp://127.0.0.1:9/app/${key}`) },
);

const slug = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,20}$/);
const id = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("keyed", "other") },
  { weight: 2, arbitrary: fc.constantFrom("KEYED", "keyed ", "new-one", "a".repeat(64), "a".repeat(65), "-x", "x_y", "..", "../keyed") },
  { weight: 2, arbitrary: slug },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
);
const url = fc.oneof(
  fc.constantFrom(
    "rtmp://127.0.0.1:9/app",
    "rtmps://127.0.0.1:9/app",
    "rtmp://[::1]:9/app",
    "http://example.com/live",
    "rtmp:///app",
    "rtmp://h/a b",
    "rtmp://h/a\u0000",
    "rtmp://user:pw@h/a",
    "file:///etc/passwd",
    "-i /etc/passwd",
    "",
  ),
  fc.webUrl().map((web) => web.replace(/^https?:/, "rtmp:")),
  fc.string({ maxLength: 50 }),
);
const anything = fc.anything({ maxDepth: 2, withNullPrototype: false });
const field = (value: fc.Arbitrary<unknown>) => fc.oneof({ weight: 4, arbitrary: value }, { weight: 1, arbitrary: anything });

/** Something shaped like a destination, each field right, wrong or missing. */
const destinationBody = fc.record(
  {
    id: field(id),
    name: field(fc.oneof(fc.string({ maxLength: 70 }), fc.constantFrom("", " ", "N".repeat(65)))),
    url: field(url),
    key: field(keyValue),
    enabled: field(fc.boolean()),
    transport: field(fc.constantFrom("auto", "direct", "stunnel", "carrier-pigeon")),
    platform: field(fc.constantFrom("youtube", "twitch", "You Tube")),
    source: field(fc.constantFrom("obs", "cam-2", "a/b", "")),
    extra: anything,
  },
  { requiredKeys: ["name", "url"] },
);

/** Bodies the bridge should take: a create (name and URL, the rest optional) and a patch. */
const goodUrl = fc.constantFrom("rtmp://127.0.0.1:9/app", "rtmps://127.0.0.1:9/app", "rtmp://[::1]:9/live2", "rtmp://a.rtmp.youtube.com/live2", "rtmps://live-api-s.facebook.com:443/rtmp/");
const goodName = fc.string({ minLength: 1, maxLength: 40 }).filter((name) => name.trim().length > 0);
const goodCreate = fc.record(
  { id: slug, name: goodName, url: goodUrl, key: marker, enabled: fc.boolean(), transport: fc.constantFrom("auto", "direct", "stunnel") },
  { requiredKeys: ["name", "url"] },
);
const goodPatch = fc.record({ name: goodName, url: goodUrl, key: marker, enabled: fc.boolean(), transport: fc.constantFrom("auto", "direct", "stunnel") }, { requiredKeys: [] });

interface BodyChoice {
  body?: string;
  /** Pad the body past the limit (built at send time, so a counterexample stays short to print). */
  oversized?: boolean;
  /** Keys (markers) this body carries in its `key` field. */
  keys: string[];
}

/** The markers a body carries in its `key` field (other random strings are not secrets). */
const keysOf = (value: { key?: unknown }) => (typeof value.key === "string" ? (value.key.match(/fzk_[0-9a-f]{16}/g) ?? []) : []);
const asBody = (value: Record<string, unknown>): BodyChoice => ({ body: JSON.stringify(value), keys: keysOf(value) });
/** Any body at all: none, right, wrong, not an object, not JSON, too big. */
const body: fc.Arbitrary<BodyChoice> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<BodyChoice>({ keys: [] }) },
  { weight: 2, arbitrary: goodCreate.map(asBody) },
  { weight: 2, arbitrary: goodPatch.map(asBody) },
  { weight: 3, arbitrary: destinationBody.map(asBody) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => ({ body: JSON.stringify(value), keys: [] })) },
  { weight: 2, arbitrary: fc.string({ maxLength: 60 }).map((text) => ({ body: text, keys: [] })) },
  { weight: 1, arbitrary: fc.constantFrom("{", "{\"name\":", "[1,", "\u0000", "{\"key\":\"fzk_broken\"", "null", "1e999", '{"__proto__":{"enabled":true}}').map((text) => ({ body: text, keys: [] })) },
  { weight: 1, arbitrary: marker.map((key) => ({ body: JSON.stringify({ name: "Big", url: "rtmp://127.0.0.1:9/app", key }), oversized: true, keys: [key] })) },
);

/** Bodies for routes that read one: mostly right, so the runs get past validation. */
const createBody = fc.oneof({ weight: 3, arbitrary: goodCreate.map(asBody) }, { weight: 2, arbitrary: body });
const patchBody = fc.oneof({ weight: 3, arbitrary: goodPatch.map(asBody) }, { weight: 2, arbitrary: body });

/** A path piece percent-encoded, left raw, or broken on purpose. */
const segment = fc.oneof(
  { weight: 3, arbitrary: id.map((value) => encodeURIComponent(value)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom("%", "%E0%A4%A", "%00", "%2e%2e", "%2F", "%252F", "..", ".", "", "%C0%AF", "%u002e", "\\", ";", "keyed;x=1", "%ff%fe", "%F0%9F%98%80", "keyed%00", "%6Beyed"),
  },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(..."abcXYZ019-_.~!$&'()*+,;=:@%"), maxLength: 12 }) },
);
/** The id in a destination path: usually one that exists (CREATED: one made earlier in the run). */
const pathId = fc.oneof({ weight: 3, arbitrary: fc.constantFrom("keyed", "other", "CREATED") }, { weight: 2, arbitrary: segment });

type BodyKind = "none" | "create" | "patch";
/** Every route of the API with the method it takes, and what body it reads. */
const routes: Array<[string, string, BodyKind]> = [
  ["GET", "/api/health", "none"],
  ["GET", "/api/status", "none"],
  ["GET", "/api/variables", "none"],
  ["GET", "/api/events", "none"],
  ["GET", "/api/ingest/key.svg", "none"],
  ["GET", "/api/destinations", "none"],
  ["POST", "/api/destinations", "create"],
  ["GET", "/api/destinations/:id", "none"],
  ["PATCH", "/api/destinations/:id", "patch"],
  ["DELETE", "/api/destinations/:id", "none"],
  ["POST", "/api/destinations/:id/start", "none"],
  ["POST", "/api/destinations/:id/stop", "none"],
  ["POST", "/api/destinations/:id/toggle", "none"],
  ["POST", "/api/destinations/:id/retry", "none"],
  ["GET", "/api/destinations/:id/log", "none"],
  ["GET", "/api/destinations/:id/key.svg", "none"],
  ["GET", "/api/destinations/:id/key.png", "none"],
  ["POST", "/api/services/stunnel/restart", "none"],
  ["GET", "/api/obs", "none"],
  ["PATCH", "/api/obs", "patch"],
  ["POST", "/api/obs/setup", "none"],
  ["POST", "/api/obs/restore", "none"],
  ["POST", "/api/obs/start", "none"],
  ["POST", "/api/obs/stop", "none"],
  ["GET", "/", "none"],
  ["GET", "/app.js", "none"],
];

const randomPath = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(segment, fc.constantFrom("", "/start", "/stop", "/toggle", "/retry", "/log", "/key.svg", "/key.png", "/", "/start/", "/nope"))
      .map(([one, tail]) => `/api/destinations/${one}${tail}`),
  },
  { weight: 1, arbitrary: fc.constantFrom("stunnel", "nginx", "ffmpeg", "%6eginx", "").map((name) => `/api/services/${name}/restart`) },
  { weight: 2, arbitrary: fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => `/${parts.join("/")}`) },
  { weight: 2, arbitrary: fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => `/api/${parts.join("/")}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("//api/status", "/api//destinations", "/api/destinations/keyed/../other/toggle", "/api/destinations/", "/%61pi/status", "/API/destinations/keyed/toggle", "/index.html", "/style.css", "*"),
  },
);
const anyMethod = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom("GET", "POST", "PATCH", "DELETE") },
  { weight: 2, arbitrary: fc.constantFrom("PUT", "OPTIONS", "HEAD", "TRACE", "PROPFIND", "FOO") },
);
const query = fc.oneof(
  { weight: 6, arbitrary: fc.constant("") },
  { weight: 1, arbitrary: fc.constantFrom("?size=72", "?size=144", "?size=-1", "?size=1e9", "?size=abc", "?size[]=72", "?token=wrong", "?token=", "?token[]=x", "?%E0=1") },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(..."ab=&%?12[]"), maxLength: 16 }).map((text) => `?${text}`) },
);

/** A request that follows the API table (with a body of the kind the route reads), or anything at all. */
const target = fc.oneof(
  {
    weight: 7,
    arbitrary: fc.tuple(fc.constantFrom(...routes), pathId, query).chain(([[verb, template, kind], where, search]) =>
      (kind === "none" ? fc.oneof({ weight: 4, arbitrary: fc.constant<BodyChoice>({ keys: [] }) }, { weight: 1, arbitrary: body }) : kind === "create" ? createBody : patchBody).map(
        (choice) => ({ verb, path: template.replace(":id", where) + search, choice }),
      ),
    ),
  },
  { weight: 3, arbitrary: fc.tuple(anyMethod, randomPath, query, body).map(([verb, where, search, choice]) => ({ verb, path: where === "*" ? where : where + search, choice })) },
);

const auth = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Record<string, string>>({ authorization: `Bearer ${TOKEN}` }) },
  { weight: 1, arbitrary: fc.constant<Record<string, string>>({}) },
  { weight: 1, arbitrary: fc.constantFrom<Record<string, string>>({ authorization: "Bearer wrong" }, { authorization: `Basic ${TOKEN}` }, { authorization: "Bearer" }) },
);
const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom("application/json", "application/json; charset=utf-8") },
  { weight: 1, arbitrary: fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1", "application/merge-patch+json") },
);
/** What a browser adds: usually nothing foreign, sometimes another origin's page. */
const browser = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Record<string, string>>({}) },
  { weight: 1, arbitrary: fc.constantFrom<Record<string, string>>({ "sec-fetch-site": "same-origin" }, { "sec-fetch-site": "none" }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<Record<string, string>>(
      { origin: "https://evil.example" },
      { origin: "null" },
      { origin: "http://127.0.0.1:1" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site", origin: "http://localhost:1" },
    ),
  },
);
const extraHeaders = fc.tuple(contentType, browser).map(([type, from]) => ({ "content-type": type, ...from }));


// ---- the property -------------------------------------------------------------------------------

describe("API fuzz against the real bridge", () => {
  let bridge: RunningBridge;
  const secrets = new Set<string>([KNOWN_KEY, TOKEN]);
  const statuses = new Map<number, number>();
  /** Ids created during the run, so later requests can reach them. */
  const created: string[] = [];
  let refusedUnchanged = 0;

  beforeAll(async () => {
    bridge = await startBridge({
      token: TOKEN,
      destinations: [
        { id: "keyed", name: "Keyed", url: "rtmp://127.0.0.1:9/app", key: KNOWN_KEY },
        { id: "other", name: "Other", url: "rtmps://127.0.0.1:9/app", key: "" },
      ],
    });
  });
  afterAll(async () => {
    expect(await bridge?.stop()).toBe(0);
  });

  /** Puts "keyed" back with the known key, so every run has it to leak. */
  const restoreKeyed = async () => {
    const saved = JSON.parse(await readFile(bridge.configFile, "utf8"));
    const keyed = saved.destinations.find((destination: { id: string }) => destination.id === "keyed");
    if (keyed?.key === KNOWN_KEY) return;
    const response = keyed
      ? await bridge.api("/api/destinations/keyed", { method: "PATCH", body: JSON.stringify({ key: KNOWN_KEY }) })
      : await bridge.api("/api/destinations", { method: "POST", body: JSON.stringify({ id: "keyed", name: "Keyed", url: "rtmp://127.0.0.1:9/app", key: KNOWN_KEY }) });
    expect(response.status).toBeLessThan(300);
    await response.arrayBuffer();
  };

  it(`${RUNS} random requests: no 5xx, refusals change nothing, no key in any answer`, async () => {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(target, auth, extraHeaders, async ({ verb, path: rawPath, choice }, authorization, headers) => {
        await restoreKeyed();
        for (const key of choice.keys) secrets.add(key);
        const payload = choice.oversized ? choice.body!.replace(/}$/, `,"pad":"${"x".repeat(80 * 1024)}"}`) : choice.body;
        const where = rawPath.replace("CREATED", created.length > 0 ? created[rawPath.length % created.length]! : "keyed");
        const sent: Sent = { method: verb, path: where, headers: { ...authorization, ...headers }, body: payload };
        if (payload === undefined) delete sent.headers["content-type"];
        // Framed always: a GET or DELETE body without a length would reach Node's parser as a second request.
        else sent.headers["content-length"] = String(Buffer.byteLength(payload));
        const before = await readFile(bridge.configFile);
        const answer = await send(bridge.port, sent);
        const after = await readFile(bridge.configFile);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status === 201) created.push(JSON.parse(answer.text.slice(answer.text.indexOf("\n") + 1)).id);

        if (answer.reset) {
          // Only a body over the limit may be cut short, and then nothing may change.
          expect(choice.oversized, `${verb} ${sent.path}: connection reset with no answer`).toBe(true);
          expect(after.equals(before)).toBe(true);
          return;
        }
        expect(answer.status, `${verb} ${sent.path}`).toBeLessThan(500);
        expect(answer.status).toBeGreaterThanOrEqual(200);
        if (answer.status >= 400) {
          expect(after.equals(before), `${verb} ${sent.path} was refused (${answer.status}) but changed the config`).toBe(true);
          refusedUnchanged += 1;
        }
        for (const secret of secrets) expect(answer.text.includes(secret), `${verb} ${sent.path} answered a secret`).toBe(false);
        // The file stays valid JSON whatever happened.
        JSON.parse(after.toString("utf8"));
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    const elapsed = Date.now() - started;
    console.log(`api fuzz: ${RUNS} runs in ${elapsed} ms; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}; ${refusedUnchanged} refusals checked`);
    // The runs reached past the door: successes, refusals of every kind.
    expect([...statuses.keys()].some((status) => status < 300)).toBe(true);
    for (const status of [400, 401, 403, 404]) expect(statuses.get(status) ?? 0, `some ${status}`).toBeGreaterThan(0);
  });

  it("left no trace of a 5xx or a key in the log, and the bridge still answers", async () => {
    const log = bridge.output();
    expect(log).not.toMatch(/ERROR \[http\]/);
    for (const secret of secrets) expect(log.includes(secret), "a key in the log").toBe(false);
    expect((await bridge.api("/api/health")).status).toBe(200);
  });
});
