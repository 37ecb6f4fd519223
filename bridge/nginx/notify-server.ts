// The loopback-only HTTP listener nginx calls on publish and publish end. Each run has its own
// secret in the path, so no other local program can fake an ingest.

import { createServer, type Server } from "node:http";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";

export interface PublishNotice {
  app: string;
  name: string;
  addr: string;
  /** nginx's id of the RTMP connection (tells a refused second encoder from the one publishing). */
  clientId: string;
}

export interface NotifyHandlers {
  /** Answers whether nginx should accept this publish. */
  publish(notice: PublishNotice): boolean | Promise<boolean>;
  publishDone(notice: PublishNotice): void;
}

export interface NotifyServer {
  port: number;
  secret: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);
const MAX_BODY = 16 * 1024;

/** Parses the form body nginx-rtmp posts (`app=live&name=obs&addr=…`). */
export function parseNotice(body: string): PublishNotice {
  const form = new URLSearchParams(body);
  return { app: form.get("app") ?? "", name: form.get("name") ?? "", addr: form.get("addr") ?? "", clientId: form.get("clientid") ?? "" };
}

export async function startNotifyServer(handlers: NotifyHandlers): Promise<NotifyServer> {
  const secret = randomBytes(16).toString("hex");
  const server: Server = createServer((req, res) => {
    const match = /^\/nginx\/([0-9a-f]+)\/(publish|publish_done)$/.exec(req.url ?? "");
    if (!LOOPBACK.has(req.socket.remoteAddress ?? "") || !match || match[1] !== secret || req.method !== "POST") {
      res.writeHead(403).end();
      req.resume();
      return;
    }
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY) req.destroy();
    });
    req.on("end", () => {
      const notice = parseNotice(body);
      if (match[2] === "publish") {
        Promise.resolve()
          .then(() => handlers.publish(notice))
          .then(
            (accepted) => res.writeHead(accepted ? 200 : 403).end(),
            () => res.writeHead(403).end(),
          );
      } else {
        handlers.publishDone(notice);
        res.writeHead(200).end();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    secret,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
