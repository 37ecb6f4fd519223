// One request to the bridge against a loopback HTTP server: headers and JSON body sent, bytes and JSON
// read, refusals and silence turned into BridgeRequestError, the token never in a message.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { BridgeRequestError, NOT_JSON, requestBridge, requestBridgeJson, UNREACHABLE } from "../../../client/bridge-request.js";
import { freePort } from "../../../rig/ports.js";

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage["headers"];
  body: string;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A loopback server answering every request with `answer`; `seen` records what came in. */
async function server(answer: (response: ServerResponse, seen: Seen) => void): Promise<{ baseUrl: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const http = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const one = { method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks).toString("utf8") };
      seen.push(one);
      answer(response, one);
    });
  });
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  cleanups.push(async () => {
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  });
  return { baseUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, seen };
}

const json = (response: ServerResponse, status: number, value: unknown) => response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
const failure = (call: Promise<unknown>) => call.then(
  () => expect.unreachable("the request should have failed"),
  (error: unknown) => {
    expect(error).toBeInstanceOf(BridgeRequestError);
    return error as BridgeRequestError;
  },
);

describe("requestBridgeJson", () => {
  it("sends the method, the token as a bearer header and a JSON body, and answers the JSON", async () => {
    const bridge = await server((response, seen) => json(response, 200, { echoed: JSON.parse(seen.body) as unknown }));
    const answer = await requestBridgeJson<{ echoed: unknown }>({ baseUrl: bridge.baseUrl, token: "t0ken" }, { method: "PATCH", path: "/api/settings", json: { ffmpeg: "/usr/bin/ffmpeg" } });
    expect(answer).toEqual({ echoed: { ffmpeg: "/usr/bin/ffmpeg" } });
    expect(bridge.seen[0]).toMatchObject({ method: "PATCH", url: "/api/settings" });
    expect(bridge.seen[0]!.headers).toMatchObject({ authorization: "Bearer t0ken", accept: "application/json", "content-type": "application/json" });
  });

  it("sends no token header and no body when there are none", async () => {
    const bridge = await server((response) => json(response, 200, []));
    expect(await requestBridgeJson({ baseUrl: bridge.baseUrl, token: "" }, { method: "GET", path: "/api/destinations" })).toEqual([]);
    expect(bridge.seen[0]!.headers.authorization).toBeUndefined();
    expect(bridge.seen[0]!.headers["content-type"]).toBeUndefined();
    expect(bridge.seen[0]!.body).toBe("");
  });

  it("turns a bridge error body into its message, status and code", async () => {
    const bridge = await server((response) => json(response, 404, { error: { code: "not_found", message: 'Destination "nope" does not exist' } }));
    const error = await failure(requestBridgeJson({ baseUrl: bridge.baseUrl, token: "" }, { method: "POST", path: "/api/destinations/nope/toggle" }));
    expect(error).toMatchObject({ message: 'Destination "nope" does not exist', status: 404, code: "not_found", unanswered: false });
  });

  it("says where the token goes on a 401, without repeating the token", async () => {
    const bridge = await server((response) => json(response, 401, { error: { code: "unauthorized", message: "A valid token is needed" } }));
    const error = await failure(requestBridgeJson({ baseUrl: bridge.baseUrl, token: "wrong-s3cret" }, { method: "GET", path: "/api/destinations" }));
    expect(error).toMatchObject({ status: 401, code: "unauthorized" });
    expect(error.message).toBe("The bridge refused the token: copy bridge.token from the bridge's config file into the Token field");
  });

  it("suspects the address when something else refuses, and when an answer is not JSON", async () => {
    const refusing = await server((response) => response.writeHead(404, { "content-type": "text/html" }).end("<html>Not Found</html>"));
    const refused = await failure(requestBridgeJson({ baseUrl: refusing.baseUrl, token: "" }, { method: "GET", path: "/api/destinations" }));
    expect(refused).toMatchObject({ message: `${refusing.baseUrl} answered HTTP 404: is it the Relay bridge's host and port?`, status: 404, code: undefined });

    const html = await server((response) => response.writeHead(200, { "content-type": "text/html" }).end("<html>router admin</html>"));
    const notJson = await failure(requestBridgeJson({ baseUrl: html.baseUrl, token: "" }, { method: "GET", path: "/api/destinations?x=1" }));
    expect(notJson).toMatchObject({ message: `${html.baseUrl} answered GET /api/destinations with something that is not JSON: is it the Relay bridge's host and port?`, status: 200, code: NOT_JSON });
  });

  it("explains that nothing listens, as unanswered", async () => {
    const port = await freePort();
    const error = await failure(requestBridgeJson({ baseUrl: `http://127.0.0.1:${port}`, token: "s3cret" }, { method: "GET", path: "/api/destinations" }));
    expect(error).toMatchObject({ message: `Nothing answers at http://127.0.0.1:${port}: is the Relay bridge running?`, status: undefined, code: UNREACHABLE, unanswered: true });
  });

  it("gives up on a bridge that never answers, or stalls in the middle of its body", async () => {
    const silent = await server(() => undefined);
    const started = Date.now();
    const error = await failure(requestBridgeJson({ baseUrl: silent.baseUrl, token: "" }, { method: "GET", path: "/api/status" }, { timeoutMs: 150 }));
    expect(error).toMatchObject({ message: `The bridge at ${silent.baseUrl} did not answer in time`, code: UNREACHABLE });
    expect(Date.now() - started).toBeLessThan(5_000);

    const stalling = await server((response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"partial":');
    });
    const stalled = await failure(requestBridgeJson({ baseUrl: stalling.baseUrl, token: "" }, { method: "GET", path: "/api/status" }, { timeoutMs: 150 }));
    expect(stalled).toMatchObject({ message: `The bridge at ${stalling.baseUrl} did not answer in time`, code: UNREACHABLE });
  });
});

describe("requestBridge", () => {
  it("answers the bytes as sent, with the Accept asked for", async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
    const bridge = await server((response) => response.writeHead(200, { "content-type": "image/png" }).end(png));
    const bytes = await requestBridge({ baseUrl: bridge.baseUrl, token: "" }, { method: "GET", path: "/api/destinations/yt/key.png?size=72", accept: "image/png" });
    expect(Buffer.from(bytes).equals(png)).toBe(true);
    expect(bridge.seen[0]).toMatchObject({ url: "/api/destinations/yt/key.png?size=72", headers: { accept: "image/png" } });
  });

  it("never lets the token into a message, even when an error's own words hold it", async () => {
    const leaky: typeof fetch = async () => {
      throw new TypeError("fetch failed", { cause: { code: "EPROTO", message: "bad header Bearer s3cret-token" } });
    };
    const plain = await failure(requestBridge({ baseUrl: "http://127.0.0.1:9", token: "s3cret-token" }, { method: "GET", path: "/" }, { fetch: leaky }));
    expect(plain.message).toBe("The bridge at http://127.0.0.1:9 cannot be reached (fetch failed)");
    const echoing: typeof fetch = async () => {
      throw new Error("refused header Authorization: Bearer s3cret-token");
    };
    const echoed = await failure(requestBridge({ baseUrl: "http://127.0.0.1:9", token: "s3cret-token" }, { method: "GET", path: "/" }, { fetch: echoing }));
    expect(echoed.message).toBe("The bridge at http://127.0.0.1:9 cannot be reached (refused header Authorization: Bearer •••)");
    expect(echoed.message).not.toContain("s3cret-token");
  });

  it("reads the error codes of a captured fetch failure", async () => {
    const unreachable: typeof fetch = async () => {
      throw new TypeError("fetch failed", { cause: { code: "EHOSTUNREACH" } });
    };
    const error = await failure(requestBridge({ baseUrl: "http://192.168.1.20:8787", token: "" }, { method: "GET", path: "/api/status" }, { fetch: unreachable }));
    expect(error).toMatchObject({ message: "http://192.168.1.20:8787 cannot be reached from this computer (network or firewall)", unanswered: true });
  });
});
