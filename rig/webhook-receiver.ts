// A webhook receiver on loopback: an HTTP server that takes every POST (as ntfy, Discord, Slack or a
// JSON webhook would) and keeps each request's path, headers, body and arrival time, for the alert tests.

import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { waitFor } from "./processes.js";

/** One request the receiver took. */
export interface ReceivedHook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Date.now() when its body had arrived. */
  wallAt: number;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:PORT` */
  base: string;
  readonly received: ReceivedHook[];
  /** The first request (already here or still to come) that `match` accepts. */
  waitFor(match: (hook: ReceivedHook) => boolean, options?: { timeoutMs?: number; what?: string }): Promise<ReceivedHook>;
  close(): Promise<void>;
}

/** Starts a receiver answering `status` (200 unless told) to every request. */
export async function startWebhookReceiver(options: { status?: number } = {}): Promise<WebhookReceiver> {
  const received: ReceivedHook[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString("utf8"), wallAt: Date.now() });
      response.statusCode = options.status ?? 200;
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    waitFor: (match, { timeoutMs = 30_000, what = "a webhook request" } = {}) =>
      waitFor(() => received.find(match), { timeoutMs, intervalMs: 20, what }),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
