// nginx's publish notifications: only a request carrying this run's secret, on the two known paths,
// by POST, reaches the handlers. Anything else is refused before the body is read.

import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNotifyServer, type NotifyServer, type PublishNotice } from "../../bridge/nginx/notify-server.js";
import { rawRequest } from "./raw-http.js";

const FORM = { "content-type": "application/x-www-form-urlencoded" };
const body = (name: string) => `call=publish&addr=127.0.0.1&clientid=1&app=live&name=${encodeURIComponent(name)}&type=live`;

describe("nginx notification listener", () => {
  let server: NotifyServer;
  let accept = true;
  const published: PublishNotice[] = [];
  const ended: PublishNotice[] = [];

  beforeAll(async () => {
    server = await startNotifyServer({
      publish: (notice) => {
        published.push(notice);
        return accept;
      },
      publishDone: (notice) => void ended.push(notice),
    });
  });
  afterAll(() => server?.close());

  const post = (path: string, text = body("obs"), method = "POST") =>
    rawRequest({ port: server.port, method, path, headers: FORM, body: method === "GET" ? undefined : text });

  it("has a fresh, unguessable secret on every run", async () => {
    expect(server.secret).toMatch(/^[0-9a-f]{32}$/);
    const other = await startNotifyServer({ publish: () => true, publishDone: () => undefined });
    try {
      expect(other.secret).not.toBe(server.secret);
      expect(other.port).not.toBe(server.port);
    } finally {
      await other.close();
    }
  });

  // Linux lists listening sockets in /proc: the listener must be bound to 127.0.0.1, never to all addresses.
  it.runIf(process.platform === "linux")("listens on the loopback address only", async () => {
    const table = await readFile("/proc/net/tcp", "utf8");
    const portHex = server.port.toString(16).toUpperCase().padStart(4, "0");
    const listening = table
      .split("\n")
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[1]?.endsWith(`:${portHex}`) && fields[3] === "0A");
    expect(listening.map((fields) => fields[1])).toEqual([`0100007F:${portHex}`]);
  });

  it("passes a publish with the right secret to the handler, and answers its verdict", async () => {
    accept = true;
    const yes = await post(`/nginx/${server.secret}/publish`, body("obs"));
    expect(yes.status).toBe(200);
    expect(published.at(-1)).toEqual({ app: "live", name: "obs", addr: "127.0.0.1", clientId: "1" });
    accept = false;
    const no = await post(`/nginx/${server.secret}/publish`, body("intruder"));
    expect(no.status).toBe(403);
    expect(published.at(-1)?.name).toBe("intruder");
    accept = true;
    const done = await post(`/nginx/${server.secret}/publish_done`, body("obs"));
    expect(done.status).toBe(200);
    expect(ended.at(-1)?.name).toBe("obs");
  });

  it("refuses a wrong secret, a wrong path and a wrong method without calling the handlers", async () => {
    const before = { published: published.length, ended: ended.length };
    const secret = server.secret;
    const wrong = secret.replace(/^./, (c) => (c === "0" ? "1" : "0"));
    const attempts: Array<[string, string]> = [
      [`/nginx/${wrong}/publish`, "POST"],
      [`/nginx/${wrong}/publish_done`, "POST"],
      [`/nginx/${secret.slice(0, -1)}/publish`, "POST"],
      [`/nginx/${secret}0/publish`, "POST"],
      [`/nginx/${secret.toUpperCase()}/publish`, "POST"],
      [`/nginx//publish`, "POST"],
      [`/nginx/publish`, "POST"],
      [`/publish`, "POST"],
      [`/nginx/${secret}/play`, "POST"],
      [`/nginx/${secret}/publish/`, "POST"],
      [`/nginx/${secret}/publish/extra`, "POST"],
      [`/nginx/${secret}/publish?name=obs`, "POST"],
      [`/x/../nginx/${secret}/publish`, "POST"],
      [`/nginx/${secret}/publish`, "GET"],
      [`/nginx/${secret}/publish`, "PUT"],
    ];
    for (const [path, method] of attempts) {
      const answer = await post(path, body("intruder"), method);
      expect(answer.status, `${method} ${path}`).toBe(403);
      expect(answer.body, "a refusal says nothing").toBe("");
    }
    expect(published.length).toBe(before.published);
    expect(ended.length).toBe(before.ended);
  });

  it("drops a body larger than a notice can be, without calling the handler", async () => {
    const before = published.length;
    const huge = `${body("obs")}&pad=${"x".repeat(64 * 1024)}`;
    const outcome = await post(`/nginx/${server.secret}/publish`, huge).then(
      (answer) => answer.status,
      (error: NodeJS.ErrnoException) => error.code ?? "error",
    );
    expect(outcome === "ECONNRESET" || outcome === "EPIPE" || (typeof outcome === "number" && outcome >= 400)).toBe(true);
    expect(published.length).toBe(before);
    // The listener is still there for the real nginx.
    expect((await post(`/nginx/${server.secret}/publish`, body("obs"))).status).toBe(200);
  });
});
