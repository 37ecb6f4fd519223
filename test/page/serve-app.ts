// Runs a Koa app built by createApp on a free loopback port for the length of a test.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type Router from "@koa/router";
import { createApp, type AppOptions } from "../../bridge/http/app.js";
import { createLogger } from "../../bridge/log/logger.js";

export interface ServedApp {
  url: string;
  close(): Promise<void>;
}

/** `createApp(...).callback()` behind a real HTTP server, so fetch sees real headers and bodies. */
export async function serveApp(options: Pick<AppOptions, "api"> & { extraRoutes?: Router[]; token?: string }): Promise<ServedApp> {
  const logger = createLogger({ redact: (text) => text, write: () => {} });
  // AppOptions types extraRoutes with Koa's plain Middleware, which a Router's stricter context
  // type does not satisfy; at run time they are the same.
  const extraRoutes = options.extraRoutes as unknown as AppOptions["extraRoutes"];
  const app = createApp({ api: options.api, extraRoutes, version: "0.0.0-test", logger, token: () => options.token ?? "" });
  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
