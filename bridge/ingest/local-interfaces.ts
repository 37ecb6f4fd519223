// The machine's network interfaces, read at most every few seconds: every status answer shows the
// address OBS should use, and a LAN address that changes (Wi-Fi joined) shows within that long.

import { networkInterfaces } from "node:os";

export type Interfaces = ReturnType<typeof networkInterfaces>;

/** A reader of the interfaces that reads the system at most once per `periodMs`. */
export function cachedInterfaces(periodMs: number, read: () => Interfaces = networkInterfaces, now: () => number = Date.now): () => Interfaces {
  let last: { at: number; list: Interfaces } | undefined;
  return () => {
    const at = now();
    if (!last || at - last.at > periodMs) last = { at, list: read() };
    return last.list;
  };
}
