// The plugin's end when the Stream Deck app is gone for good. The app starts the plugin and talks to
// it over one WebSocket; when that closes (the app quit or crashed) the plugin can do nothing more,
// and a plugin left behind would go on starting bridges. So once the socket has closed, the plugin
// tries the app's port now and then; when nothing has listened there for a while (or the socket stays
// closed far longer) it ends. The bridge it started is a process of its own and goes on.

import { connect } from "node:net";
import WebSocket from "ws";

/** How long the app's port must refuse every try before the plugin ends. */
export const APP_GONE_MS = 30_000;
/** How often the app's port is tried once the socket closed. */
const PROBE_MS = 2_000;
/** The plugin ends this long after its socket closed, even if something answers on the port. */
const CLOSED_MAX_MS = 5 * 60_000;

/**
 * Calls `onClose` once, when the WebSocket to the app closes. The SDK opens it and says nothing of
 * its end, so the close is seen on the WebSocket class it uses (the plugin opens no other).
 */
export function onAppSocketClose(onClose: () => void): void {
  const emit = WebSocket.prototype.emit;
  let told = false;
  WebSocket.prototype.emit = function (this: WebSocket, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "close" && !told) {
      told = true;
      onClose();
    }
    return emit.call(this, event, ...args);
  };
}

/** The app's port from the plugin's command line (`-port N`, as the app starts it), or null. */
export function appPort(argv: readonly string[]): number | null {
  const at = argv.indexOf("-port");
  const port = at === -1 ? NaN : Number(argv[at + 1]);
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : null;
}

/** Whether something accepts a TCP connection on 127.0.0.1:`port` (closed at once). */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(PROBE_MS, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** Calls `onGone` once the app's port has refused every try for `goneMs` (or CLOSED_MAX_MS passed). */
export function watchAppGone(port: number | null, onGone: () => void, goneMs: number = APP_GONE_MS): void {
  const closedAt = Date.now();
  let refusingSince: number | null = null;
  const probe = async () => {
    const alive = port !== null && (await listening(port));
    const now = Date.now();
    refusingSince = alive ? null : (refusingSince ?? now);
    if ((refusingSince !== null && now - refusingSince >= goneMs) || now - closedAt >= CLOSED_MAX_MS) return onGone();
    setTimeout(() => void probe(), Math.min(PROBE_MS, goneMs / 4)).unref();
  };
  void probe();
}
