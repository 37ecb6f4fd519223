// `GET /api/events` and a client that stops reading: past a small buffer of unread events it is
// dropped, so it never grows the bridge; a client that reads keeps every event.

import Koa from "koa";
import { createServer, type Server } from "node:http";
import { connect, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { eventsRoute } from "../../../../bridge/http/routes/events-route.js";
import type { BridgeApi } from "../../../../bridge/domain/bridge-api.js";
import type { StatusView } from "../../../../contract/api.js";
import { destinationView } from "../../../../rig/status-views.js";
import { waitFor } from "../../../../rig/processes.js";

/** A status of about 20 kB (100 destinations), and a way to announce a change of it. */
function changingApi() {
  const listeners = new Set<(status: StatusView) => void>();
  const status: StatusView = {
    version: "t",
    ingest: { live: false, name: "", since: null, bitrateKbps: 0 },
    services: { nginx: { state: "running" }, stunnel: { state: "stopped" } },
    destinations: Array.from({ length: 100 }, (_, i) => destinationView({ id: `d${i}`, name: `Destination number ${i}`, url: `rtmp://127.0.0.1:${2000 + i}/live` })),
  };
  const api = {
    status: () => status,
    onChange(listener: (status: StatusView) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as BridgeApi;
  return { api, change: () => listeners.forEach((listener) => listener(status)), listeners };
}

let server: Server | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(api: BridgeApi): Promise<number> {
  const app = new Koa();
  app.silent = true; // a dropped client ends its response early: normal here
  app.use(eventsRoute(api).routes());
  server = createServer(app.callback());
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** A client that asks for the event stream and never reads a byte of it. */
function silentClient(port: number): Promise<{ socket: Socket; closed: Promise<void> }> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      socket.pause();
      resolve({ socket, closed: new Promise((done) => socket.once("close", () => done())) });
    });
    sockets.push(socket);
  });
}

const connections = () => new Promise<number>((resolve) => server!.getConnections((_, count) => resolve(count)));

describe("event streams and clients that stop reading", () => {
  it("drops a client that stops reading once its unread events pass the bound; the others go on", async () => {
    const { api, change, listeners } = changingApi();
    const port = await serve(api);
    const silent = await Promise.all(Array.from({ length: 5 }, () => silentClient(port)));
    // A client that reads everything.
    let read = 0;
    const reader = connect(port, "127.0.0.1", () => reader.write("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    sockets.push(reader);
    reader.on("data", (chunk: Buffer) => (read += chunk.length));
    await waitFor(() => listeners.size === 6, { what: "every stream to subscribe", timeoutMs: 5_000, intervalMs: 10 });
    // Far more than the kernel's socket buffers and the bound hold (about 40 MB per client), one
    // change per turn of the event loop as the status hub sends them.
    let changes = 0;
    for (; changes < 2_000 && listeners.size > 1; changes += 1) {
      change();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(listeners.size).toBe(1);
    expect(changes).toBeLessThan(2_000);
    await waitFor(async () => (await connections()) === 1, { what: "the silent clients' connections to end", timeoutMs: 5_000, intervalMs: 10 });
    // The reader kept its stream and got every event.
    const frame = JSON.stringify(api.status()).length;
    await waitFor(() => read >= changes * frame, { what: "the reading client to get its events", timeoutMs: 10_000, intervalMs: 10 });
    expect(reader.destroyed).toBe(false);
    expect(silent.every((client) => client.socket.readableLength === 0)).toBe(true);
  }, 60_000);
});
