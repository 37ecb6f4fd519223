// What to type into OBS (Settings → Stream → Server): the ingest's RTMP URL as OBS must reach it.
// Pure: the network interfaces are passed in.

import type { NetworkInterfaceInfo } from "node:os";

/** OBS's settings as the status page shows them; the ingest key itself is a secret and never shown. */
export interface ObsAddress {
  /** Server URLs: this computer first, then one per LAN address when the ingest listens on all of them. */
  servers: string[];
  /** True when `ingest.key` is set (OBS's stream key must be it); false = any stream key is taken. */
  keyRequired: boolean;
}

/** The server URL OBS on this computer types: the first of `obsAddress`'s. */
export function thisComputerServer(ingest: { host: string; port: number; app: string }): string {
  return obsAddress({ ...ingest, key: "" }, {}).servers[0]!;
}

/** OBS's server URLs for an ingest on `host`:`port`/`app`, given this machine's network interfaces. */
export function obsAddress(
  ingest: { host: string; port: number; app: string; key: string },
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>,
): ObsAddress {
  const url = (host: string) => `rtmp://${host.includes(":") ? `[${host}]` : host}:${ingest.port}/${ingest.app}`;
  const anyAddress = ["0.0.0.0", "::", "*"].includes(ingest.host);
  const servers = anyAddress
    ? [
        url("127.0.0.1"),
        ...Object.values(interfaces)
          .flat()
          .filter((entry): entry is NetworkInterfaceInfo => entry !== undefined && entry.family === "IPv4" && !entry.internal)
          .map((entry) => url(entry.address)),
      ]
    : [url(ingest.host === "localhost" ? "127.0.0.1" : ingest.host)];
  return { servers: [...new Set(servers)], keyRequired: ingest.key !== "" };
}
