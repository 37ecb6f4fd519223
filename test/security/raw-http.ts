// A bare HTTP client for security tests: any method, a raw path (odd encodings stay as sent) and any
// headers, including Host, which fetch() would not let a test set.

import { request } from "node:http";

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RawRequest {
  port: number;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  host?: string;
}

/** Sends one request to 127.0.0.1 (never anywhere else) and reads the whole answer. */
export function rawRequest({ port, method = "GET", path, headers = {}, body }: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.setTimeout(15_000, () => req.destroy(new Error(`no answer to ${method} ${path} in 15 s`)));
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Reads the first bytes of a streaming answer (Server-Sent Events), then hangs up. */
export function rawPeek({ port, path, headers = {} }: RawRequest): Promise<{ status: number; headers: RawResponse["headers"]; head: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method: "GET", path, headers, agent: false }, (res) => {
      let head = "";
      const done = () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, head });
      };
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        head += chunk;
        if (head.includes("\n\n")) done();
      });
      res.on("end", done);
    });
    req.setTimeout(15_000, () => req.destroy(new Error(`no answer to GET ${path} in 15 s`)));
    req.on("error", reject);
    req.end();
  });
}
