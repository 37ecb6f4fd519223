// The bridge's HTTP server with its limits: a request (headers and body) must arrive within a few
// seconds, and only so many connections are open at once, so a slow or greedy client (any local
// process when there is no token) cannot hold the API's sockets.

import { createServer, type RequestListener, type Server } from "node:http";

/** How long a client has to send a whole request, headers and body: a JSON body is tiny. */
export const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Most connections open at once: the event streams' own cap (100), the page, the plugin, Companion
 * and their requests fit many times over.
 */
export const MAX_CONNECTIONS = 256;

export interface ServerLimits {
  requestTimeoutMs?: number;
  maxConnections?: number;
}

/** An HTTP server for `listener`, with the request time limit and the connection cap. */
export function createBridgeServer(listener: RequestListener, limits: ServerLimits = {}): Server {
  const requestTimeout = limits.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const server = createServer(
    {
      requestTimeout,
      headersTimeout: requestTimeout,
      // Node checks the time limits this often (30 s by default, which would triple them).
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(requestTimeout / 4))),
    },
    listener,
  );
  server.maxConnections = limits.maxConnections ?? MAX_CONNECTIONS;
  server.keepAliveTimeout = 65_000;
  return server;
}
