// The bridge client against a small loopback HTTP server that speaks the bridge's API and SSE:
// status events, reachability, reconnecting with backoff, a silent stream, refusals, and commands.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { BridgeClient, BridgeRequestError, type BridgeSnapshot } from "../../src/bridge-client.js";
import { bridgeConnection } from "../../src/settings.js";
import { freePort } from "../../rig/ports.js";
import { waitFor } from "../../rig/processes.js";
import { destinationView, statusWith } from "./support/fake-client.js";

interface FakeBridge {
  url: string;
  requests: IncomingMessage[];
  streams: ServerResponse[];
  /** Sends a status event to every open stream. */
  push(destinations: ReturnType<typeof destinationView>[]): void;
  close(): Promise<void>;
}

const FAST = { initialMs: 20, maxMs: 60, jitter: 0 };
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function fakeBridge(handle?: (request: IncomingMessage, response: ServerResponse) => boolean): Promise<FakeBridge> {
  const requests: IncomingMessage[] = [];
  const streams: ServerResponse[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(request);
    if (handle?.(request, response)) return;
    if (request.url === "/api/events") {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(`retry: 2000\nevent: status\ndata: ${JSON.stringify(statusWith([destinationView("yt", "off")]))}\n\n`);
      streams.push(response);
      return;
    }
    response.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: "not_found", message: "Nothing here" } }));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const bridge: FakeBridge = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    streams,
    push(destinations) {
      for (const stream of streams) stream.write(`event: status\ndata: ${JSON.stringify(statusWith(destinations))}\n\n`);
    },
    async close() {
      for (const stream of streams) stream.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  cleanups.push(() => bridge.close());
  return bridge;
}

function client(options: ConstructorParameters<typeof BridgeClient>[0] = {}): { client: BridgeClient; seen: BridgeSnapshot[] } {
  const made = new BridgeClient({ backoff: FAST, ...options });
  const seen: BridgeSnapshot[] = [];
  made.onChange((snapshot) => seen.push(snapshot));
  cleanups.push(() => made.close());
  return { client: made, seen };
}

describe("BridgeClient's event stream", () => {
  it("becomes reachable with the bridge's status, sending the token as a bearer header", async () => {
    const bridge = await fakeBridge();
    const { client: bridgeClient, seen } = client();
    expect(bridgeClient.snapshot()).toMatchObject({ reachable: false, connecting: true });
    bridgeClient.configure(bridgeConnection({ bridgeUrl: bridge.url, token: "t0ken" }));
    await waitFor(() => bridgeClient.snapshot().reachable, { what: "reachable" });
    expect(bridgeClient.snapshot().status?.destinations[0]?.state).toBe("off");
    expect(bridge.requests[0]?.headers.authorization).toBe("Bearer t0ken");
    expect(bridge.requests[0]?.headers.accept).toBe("text/event-stream");
    bridge.push([destinationView("yt", "live")]);
    await waitFor(() => bridgeClient.snapshot().status?.destinations[0]?.state === "live", { what: "the live event" });
    expect(seen.filter((snapshot) => snapshot.reachable)).toHaveLength(2);
  });

  it("says the bridge is gone when the stream ends, keeps the last status, and reconnects", async () => {
    const bridge = await fakeBridge();
    const { client: bridgeClient, seen } = client();
    bridgeClient.configure(bridgeConnection({ bridgeUrl: bridge.url }));
    await waitFor(() => bridgeClient.snapshot().reachable, { what: "reachable" });
    bridge.streams.shift()!.end();
    await waitFor(() => seen.some((snapshot) => !snapshot.reachable && snapshot.problem?.includes("closed the connection")), { what: "unreachable" });
    expect(seen.find((snapshot) => !snapshot.reachable && snapshot.status)?.status?.destinations[0]?.id).toBe("yt");
    await waitFor(() => bridge.streams.length === 1 && bridgeClient.snapshot().reachable, { what: "the reconnect" });
  });

  it("explains that nothing answers, and keeps trying with backoff until the bridge appears", async () => {
    const port = await freePort();
    const { client: bridgeClient } = client();
    bridgeClient.configure(bridgeConnection({ bridgeUrl: `127.0.0.1:${port}` }));
    await waitFor(() => bridgeClient.snapshot().problem?.startsWith("Nothing answers at http://127.0.0.1:"), { what: "the problem" });
    expect(bridgeClient.snapshot().reachable).toBe(false);
    expect(bridgeClient.snapshot().connecting).toBeFalsy();
    const late = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(`event: status\ndata: ${JSON.stringify(statusWith([]))}\n\n`);
    });
    late.listen(port, "127.0.0.1");
    cleanups.push(() => {
      late.closeAllConnections();
      return new Promise((resolve) => late.close(resolve));
    });
    await waitFor(() => bridgeClient.snapshot().reachable, { what: "reachable once the bridge listens" });
  });

  it("reports a refused token without repeating it", async () => {
    const bridge = await fakeBridge((request, response) => {
      response.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: "unauthorized", message: "A valid token is needed" } }));
      return true;
    });
    const { client: bridgeClient } = client();
    bridgeClient.configure(bridgeConnection({ bridgeUrl: bridge.url, token: "wrong-one" }));
    await waitFor(() => bridgeClient.snapshot().problem?.includes("refused the token"), { what: "the token problem" });
    expect(bridgeClient.snapshot().problem).not.toContain("wrong-one");
  });

  it("says so when the address answers but is not a Relay bridge", async () => {
    const other = await fakeBridge((_request, response) => {
      response.writeHead(200, { "content-type": "text/html" }).end("<html>router admin</html>");
      return true;
    });
    const { client: bridgeClient } = client();
    bridgeClient.configure(bridgeConnection({ bridgeUrl: other.url }));
    await waitFor(() => bridgeClient.snapshot().problem?.includes("not a Relay bridge"), { what: "the wrong-address problem" });
    expect(bridgeClient.snapshot().reachable).toBe(false);
  });

  it("drops a stream that has gone silent and opens a new one", async () => {
    const bridge = await fakeBridge();
    const { client: bridgeClient } = client({ idleTimeoutMs: 150 });
    bridgeClient.configure(bridgeConnection({ bridgeUrl: bridge.url }));
    await waitFor(() => bridge.requests.length >= 2, { what: "a second connection after the silence", timeoutMs: 3_000 });
    await waitFor(() => bridgeClient.snapshot().reachable, { what: "reachable again" });
  });

  it("reconnects only when the address or token changes, and reports an unusable address", async () => {
    const bridge = await fakeBridge();
    const { client: bridgeClient } = client();
    bridgeClient.configure(bridgeConnection({ bridgeUrl: bridge.url }));
    await waitFor(() => bridgeClient.snapshot().reachable, { what: "reachable" });
    bridgeClient.configure(bridgeConnection({ bridgeUrl: `${bridge.url}/` }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(bridge.requests).toHaveLength(1);
    bridgeClient.configure(bridgeConnection({ bridgeUrl: bridge.url, token: "new" }));
    await waitFor(() => bridge.requests.length === 2 && bridgeClient.snapshot().reachable, { what: "the new stream" });
    bridgeClient.configure(bridgeConnection({ bridgeUrl: "ftp://nope" }));
    expect(bridgeClient.snapshot()).toMatchObject({ reachable: false, status: undefined, problem: expect.stringMatching(/http:\/\//) });
    await expect(bridgeClient.command("yt", "start")).rejects.toThrow(/http:\/\//);
  });

  it("wakes from a long backoff when asked to reconnect soon", async () => {
    const port = await freePort();
    const { client: bridgeClient } = client({ backoff: { initialMs: 60_000, maxMs: 60_000, jitter: 0 } });
    bridgeClient.configure(bridgeConnection({ bridgeUrl: `http://127.0.0.1:${port}` }));
    await waitFor(() => bridgeClient.snapshot().problem?.startsWith("Nothing answers"), { what: "the first failure" });
    const server = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(`event: status\ndata: ${JSON.stringify(statusWith([]))}\n\n`);
    });
    server.listen(port, "127.0.0.1");
    await once(server, "listening");
    cleanups.push(() => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    });
    bridgeClient.reconnectSoon();
    await waitFor(() => bridgeClient.snapshot().reachable, { what: "reachable without waiting a minute", timeoutMs: 3_000 });
  });
});

describe("BridgeClient's commands", () => {
  it("posts start, stop, toggle and retry to the API with the token", async () => {
    const bridge = await fakeBridge((request, response) => {
      if (request.method !== "POST") return false;
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(destinationView("yt", "waiting")));
      return true;
    });
    const { client: bridgeClient } = client();
    bridgeClient.configure(bridgeConnection({ bridgeUrl: bridge.url, token: "t0ken" }));
    for (const verb of ["start", "stop", "toggle", "retry"] as const) {
      expect(await bridgeClient.command("yt/x", verb)).toMatchObject({ id: "yt", state: "waiting" });
    }
    const posts = bridge.requests.filter((request) => request.method === "POST");
    expect(posts.map((request) => request.url)).toEqual(["start", "stop", "toggle", "retry"].map((verb) => `/api/destinations/yt%2Fx/${verb}`));
    expect(posts.every((request) => request.headers.authorization === "Bearer t0ken")).toBe(true);
  });

  it("lists destinations, and surfaces the bridge's own error message", async () => {
    const bridge = await fakeBridge((request, response) => {
      if (request.url === "/api/destinations") {
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify([destinationView("yt", "off")]));
        return true;
      }
      return false;
    });
    const { client: bridgeClient } = client();
    bridgeClient.configure(bridgeConnection({ bridgeUrl: bridge.url }));
    expect((await bridgeClient.listDestinations()).map((view) => view.id)).toEqual(["yt"]);
    const refused = await bridgeClient.command("gone", "start").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BridgeRequestError);
    expect(refused).toMatchObject({ message: "Nothing here", status: 404, code: "not_found" });
  });

  it("fails fast with a plain explanation when nothing listens", async () => {
    const port = await freePort();
    const { client: bridgeClient } = client();
    bridgeClient.configure(bridgeConnection({ bridgeUrl: `http://127.0.0.1:${port}`, token: "secret-token" }));
    const error = (await bridgeClient.command("yt", "toggle").catch((caught: unknown) => caught)) as Error;
    expect(error.message).toBe(`Nothing answers at http://127.0.0.1:${port}: is the Relay bridge running?`);
    expect(error.message).not.toContain("secret-token");
  });
});
