// "Set up OBS for Relay" and "Restore OBS's settings" as pure plans: which server OBS should stream
// to, what to keep of OBS's settings before, and what to put back. obs-link.ts carries them out.

/** OBS's stream service as obs-websocket's Get/SetStreamServiceSettings know it. */
export interface ObsService {
  type: string;
  settings: Record<string, unknown>;
}

/** Where OBS reaches the ingest: the ingest's config and how the bridge sees OBS. */
export interface IngestTarget {
  /** ingest.host: the address nginx listens on (0.0.0.0 = every interface). */
  host: string;
  port: number;
  app: string;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/i;
const ANY = /^(0\.0\.0\.0|::|\[::\])$/;

/** The host is this machine's loopback. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}

/**
 * The ingest server URL OBS should use, or a message saying why OBS cannot reach the ingest.
 * `obsHost`: the host of obs.url; `localAddress`: this machine's address as OBS sees it (the local
 * end of a connection to OBS), used when OBS runs on another machine.
 */
export function ingestServerFor(target: IngestTarget, obsHost: string, localAddress: string | undefined): { server: string } | { problem: string } {
  const obsIsLocal = isLoopback(obsHost);
  let host: string;
  if (obsIsLocal) {
    host = ANY.test(target.host) || isLoopback(target.host) ? "127.0.0.1" : target.host;
  } else if (isLoopback(target.host)) {
    return {
      problem:
        `the ingest listens on ${target.host} only (OBS on this computer), which OBS at ${obsHost} cannot reach: for OBS on another computer, ` +
        `set ingest.host to 0.0.0.0 (or this machine's address) with a stream key in ingest.key (PATCH /api/settings {"ingest":{"lan":true,"key":"…"}} sets both)`,
    };
  } else if (ANY.test(target.host)) {
    if (!localAddress) return { problem: `this machine's address as seen from OBS at ${obsHost} is not known yet: try again once OBS is connected` };
    host = localAddress.replace(/^::ffff:/, "");
  } else {
    host = target.host;
  }
  const shown = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return { server: `rtmp://${shown}:${target.port}/${target.app}` };
}

/**
 * OBS streams to this bridge's ingest: a custom server on the ingest's port and application (the host
 * is not compared: OBS may know this machine by any of its names).
 */
export function pointsAtIngest(service: ObsService, target: IngestTarget): boolean {
  if (service.type !== "rtmp_custom" || typeof service.settings.server !== "string") return false;
  let url: URL;
  try {
    url = new URL(service.settings.server.trim());
  } catch {
    return false;
  }
  const port = url.port === "" ? 1935 : Number(url.port);
  return url.protocol === "rtmp:" && port === target.port && url.pathname.replace(/\/+$/, "") === `/${target.app}`;
}

/** What "Set up OBS for Relay" does. */
export interface SetupPlan {
  /** The service OBS gets: a custom server at the ingest with the ingest's key. */
  apply: ObsService;
  /** What to keep for restore (undefined: keep what is kept already). */
  keep: ObsService | undefined;
  alreadySetUp: boolean;
}

/**
 * Plans the set-up. OBS's current service is kept for restore, unless OBS already points at Relay
 * (then the service kept at the first set-up stays: keeping Relay's own would lose the platform's).
 */
export function planSetup(current: ObsService, server: string, key: string, target: IngestTarget): SetupPlan {
  const apply: ObsService = { type: "rtmp_custom", settings: { server, key, use_auth: false, bwtest: false } };
  if (pointsAtIngest(current, target)) return { apply, keep: undefined, alreadySetUp: current.settings.key === key };
  return { apply, keep: current, alreadySetUp: false };
}

/** What "Restore OBS's settings" does, or why it will not. */
export type RestorePlan =
  | { kind: "restore"; apply: ObsService }
  | { kind: "nothing-kept" }
  /** OBS was pointed elsewhere since the set-up: restoring would overwrite the streamer's newer choice. */
  | { kind: "changed-since"; apply: ObsService };

/** Plans the restore from OBS's current service, the kept one and Relay's ingest. */
export function planRestore(current: ObsService, kept: ObsService | undefined, target: IngestTarget): RestorePlan {
  if (!kept) return { kind: "nothing-kept" };
  if (!pointsAtIngest(current, target)) return { kind: "changed-since", apply: kept };
  return { kind: "restore", apply: kept };
}

/** A stream key for the ingest when it had none: 24 url-safe characters from `randomBytes`. */
export function makeIngestKey(randomBytes: Uint8Array): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  return Array.from(randomBytes.slice(0, 24), (byte) => alphabet[byte % 64]).join("");
}
