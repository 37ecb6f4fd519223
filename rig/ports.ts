// Loopback ports: a free one to listen on, and whether (or once) something accepts connections on one,
// which is how a program that prints nothing when ready is known to be ready.

import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/** A free loopback port, the way the bridge picks one. */
export { freeLoopbackPort as freePort } from "../bridge/process/free-port.js";

/** True when a connection to `host` (127.0.0.1 unless told):`port` succeeds. */
export function portAccepts(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Resolves once the port accepts; rejects after `timeoutMs` or as soon as `alive()` turns false. */
export async function waitForPort(port: number, options: { timeoutMs: number; alive?: () => boolean }): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (options.alive && !options.alive()) throw new Error("the program exited");
    if (await portAccepts(port)) return;
    if (Date.now() > deadline) throw new Error(`nothing listened on 127.0.0.1:${port} within ${options.timeoutMs} ms`);
    await sleep(50);
  }
}
