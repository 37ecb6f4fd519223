// The bridge's HTTP server limits, on real sockets: a body sent too slowly is cut at the time limit
// (not Node's 300 s), a keep-alive connection idle between requests is not, and connections past the
// cap are refused while the ones open keep working.

import type { AddressInfo } from "node:net";
import { connect, type Socket } from "node:net";
import type { Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createBridgeServer, REQUEST_TIMEOUT_MS } from "../../../bridge/http/http-server.js";

let server: Server | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(limits: Parameters<typeof createBridgeServer>[1]): Promise<number> {
  server = createBridgeServer((req, res) => {
    req.resume();
    req.on("end", () => res.end("ok"));
  }, limits);
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

function open(port: number): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  return new Promise((resolve) => {
    let text = "";
    const socket = connect(port, "127.0.0.1");
    sockets.push(socket);
    socket.on("data", (chunk: Buffer) => (text += chunk.toString()));
    socket.on("error", () => undefined);
    const closed = new Promise<void>((done) => socket.once("close", () => done()));
    socket.once("connect", () => resolve({ socket, received: () => text, closed }));
  });
}

const until = async (condition: () => boolean, what: string, timeoutMs = 10_000) => {
  for (const deadline = Date.now() + timeoutMs; !condition(); await new Promise((resolve) => setTimeout(resolve, 10))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
};

describe("the bridge's HTTP server", () => {
  it("gives a request 10 s by default", () => {
    expect(REQUEST_TIMEOUT_MS).toBe(10_000);
  });

  it("cuts a body that does not arrive within the time limit", async () => {
    const port = await serve({ requestTimeoutMs: 600 });
    const client = await open(port);
    const started = Date.now();
    client.socket.write("POST /api/destinations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{");
    // A byte now and then, never the whole body.
    const drip = setInterval(() => client.socket.writable && client.socket.write(" "), 100);
    try {
      await client.closed;
    } finally {
      clearInterval(drip);
    }
    expect(client.received()).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("keeps a keep-alive connection that waits between requests", async () => {
    const port = await serve({ requestTimeoutMs: 400 });
    const client = await open(port);
    const ask = () => client.socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    ask();
    await until(() => client.received().includes("ok"), "the first answer");
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    ask();
    await until(() => client.received().split("HTTP/1.1 200").length === 3, "the second answer");
  });

  it("refuses connections past the cap and serves the open ones", async () => {
    const port = await serve({ maxConnections: 3 });
    const held = await Promise.all([open(port), open(port), open(port)]);
    const extra = await open(port);
    await extra.closed;
    expect(extra.received()).toBe("");
    held[0]!.socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    await until(() => held[0]!.received().includes("ok"), "an open connection to be served");
  });
});
