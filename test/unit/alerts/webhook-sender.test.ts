// The sender against small HTTP servers on loopback: a hung webhook holds up no other, a failing one
// is tried a bounded number of times, a refused one once, a dead one's queue stays bounded, and
// nothing it says names a URL.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebhookSender } from "../../../bridge/alerts/webhook-sender.js";
import type { Logger } from "../../../bridge/log/logger.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function receiver(answer: (request: IncomingMessage, response: ServerResponse, body: string) => void): Promise<{ url: string; bodies: string[] }> {
  const bodies: string[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      bodies.push(body);
      answer(request, response, body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/secret-topic-123`, bodies };
}

function logLines(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const log: Logger = { debug: (m) => lines.push(m), info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m), scope: () => log };
  return { log, lines };
}

const request = (text: string) => ({ headers: { "Content-Type": "text/plain" }, body: text });

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("WebhookSender", () => {
  it("delivers to a working webhook while another hangs", async () => {
    const hung = await receiver(() => undefined);
    const working = await receiver((_request, response) => response.end("ok"));
    const { log, lines } = logLines();
    const sender = new WebhookSender({ log, timeoutMs: 60_000 });
    sender.send({ url: hung.url, label: "webhook 1 (json)" }, "alert one", request("one"));
    sender.send({ url: working.url, label: "webhook 2 (ntfy)" }, "alert one", request("one"));
    sender.send({ url: working.url, label: "webhook 2 (ntfy)" }, "alert two", request("two"));
    await until(() => working.bodies.length === 2, "both alerts at the working webhook");
    expect(working.bodies).toEqual(["one", "two"]);
    await until(() => hung.bodies.length === 1, "the hung webhook's request");
    sender.stop();
    expect(lines.join("\n")).not.toContain("secret-topic-123");
  });

  it("tries a failing webhook a bounded number of times, and says why without its URL", async () => {
    const failing = await receiver((_request, response) => {
      response.statusCode = 503;
      response.end();
    });
    const { log, lines } = logLines();
    const sender = new WebhookSender({ log, retryDelaysMs: [10, 20] });
    sender.send({ url: failing.url, label: "webhook 1 (json)" }, "alert destination_failed (yt)", request("x"));
    await until(() => lines.some((line) => line.includes("not delivered")), "the give-up");
    expect(failing.bodies.length).toBe(3);
    expect(lines.at(-1)).toBe("alert destination_failed (yt) not delivered to webhook 1 (json) after 3 tries: answered HTTP 503");
    sender.stop();
  });

  it("does not try again a webhook that refuses (a deleted webhook answers 404)", async () => {
    const gone = await receiver((_request, response) => {
      response.statusCode = 404;
      response.end();
    });
    const { log, lines } = logLines();
    const sender = new WebhookSender({ log, retryDelaysMs: [10, 20] });
    sender.send({ url: gone.url, label: "webhook 1 (discord)" }, "alert x", request("x"));
    await until(() => lines.some((line) => line.includes("not delivered")), "the give-up");
    expect(gone.bodies.length).toBe(1);
    expect(lines.at(-1)).toContain("after 1 try: answered HTTP 404: check the URL");
    sender.stop();
  });

  it("gives up a post that takes longer than its time limit, and tells a closed port in plain words", async () => {
    const hung = await receiver(() => undefined);
    const { log } = logLines();
    const sender = new WebhookSender({ log, timeoutMs: 200 });
    expect(await sender.post({ url: hung.url, label: "w" }, request("x"))).toEqual({ ok: false, error: "no answer within 200 ms", retry: true });
    const closed = await receiver(() => undefined);
    const port = new URL(closed.url).port;
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const result = await sender.post({ url: `http://127.0.0.1:${port}/secret-topic-123`, label: "w" }, request("x"));
    expect(result.ok).toBe(false);
    expect(result.error).toContain("could not reach it (ECONNREFUSED)");
    expect(result.error).not.toContain("secret-topic-123");
    sender.stop();
  });

  it("keeps at most maxQueued alerts for a webhook that does not answer, dropping the oldest", async () => {
    const hung = await receiver(() => undefined);
    const { log, lines } = logLines();
    const sender = new WebhookSender({ log, timeoutMs: 60_000, maxQueued: 3 });
    for (let index = 0; index < 8; index += 1) sender.send({ url: hung.url, label: "webhook 1 (json)" }, `alert ${index}`, request(String(index)));
    // The first is on its way; of the seven behind it, the four oldest were dropped.
    expect(lines.filter((line) => line.includes("dropped")).join("\n")).toContain("alert 4");
    expect(lines.join("\n")).not.toMatch(/dropped[^\n]*alert [567]/);
    sender.stop();
  });
});
