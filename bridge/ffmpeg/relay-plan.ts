// How one destination's relay reaches its platform: the ffmpeg command and arguments, and for
// RTMPS through a local stunnel client the tunnel it needs. Plain RTMP goes straight out; RTMPS goes
// straight out when this ffmpeg speaks TLS (or the destination says `direct`), else through stunnel.

import type { Config, Destination } from "../config/schema.js";
import { buildRelayArgs } from "./relay-args.js";
import { joinStreamUrl } from "../../contract/stream-url.js";
import type { EncodePlan } from "./encode-args.js";
import { supportsRtmps } from "./capabilities.js";
import { tlsTarget } from "../stunnel/render-config.js";

/** The stunnel clients the plan may ask for, one per destination id. */
export interface TunnelPool {
  /** A client to host:port exists for `id` (started if need be); answers its local port. */
  ensure(id: string, target: { host: string; port: number; verify: boolean; caFile: string }): Promise<number>;
  /** `id` needs no tunnel (any it had is stopped). */
  remove(id: string): Promise<void>;
}

/** ffmpeg's command line for one relay. */
export interface RelayCommand {
  command: string;
  args: string[];
}

/**
 * The command that relays to `destination` with the ffmpeg at `command`, tunnels set up as needed;
 * `encode`: its re-encode (absent: a copy).
 */
export async function planRelay(destination: Destination, tls: Config["tls"], command: string, tunnels: TunnelPool, encode?: EncodePlan): Promise<RelayCommand> {
  const checks = { verify: tls.verify, caFile: tls.caFile };
  if (!destination.url.startsWith("rtmps:")) {
    await tunnels.remove(destination.id);
    return { command, args: buildRelayArgs({ outputUrl: joinStreamUrl(destination.url, destination.key), encode }) };
  }
  const direct = destination.transport === "direct" || (destination.transport === "auto" && (await supportsRtmps(command)));
  if (direct) {
    await tunnels.remove(destination.id);
    return { command, args: buildRelayArgs({ outputUrl: joinStreamUrl(destination.url, destination.key), tls: checks, encode }) };
  }
  // Through a local stunnel: plain RTMP to loopback, TLS (checked) from there to the platform.
  const target = tlsTarget(destination.url);
  const port = await tunnels.ensure(destination.id, { host: target.host, port: target.port, ...checks });
  return { command, args: buildRelayArgs({ outputUrl: joinStreamUrl(`rtmp://127.0.0.1:${port}${target.path}`, destination.key), encode }) };
}
