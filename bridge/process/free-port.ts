// A free loopback port for a listener the bridge needs before it starts (nginx's stat page).

import { createServer } from "node:net";

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (address && typeof address === "object" ? resolve(address.port) : reject(new Error("no free port"))));
    });
  });
}

/**
 * A free loopback port that is none of `taken` (ports the config names but nothing may listen on yet,
 * such as the ingest's before nginx starts: the system could hand out the same number).
 */
export async function freeLoopbackPortBesides(taken: readonly number[]): Promise<number> {
  for (let tries = 0; ; tries += 1) {
    const port = await freeLoopbackPort();
    if (!taken.includes(port) || tries >= 20) return port;
  }
}
