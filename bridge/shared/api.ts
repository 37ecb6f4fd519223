// The bridge's HTTP contract, shared with the Stream Deck plugin and the status page.
// This module is pure (no Node APIs): the plugin and the page bundle it as is.

/** Lifecycle of one destination's relay (see bridge/relay/lifecycle.ts for the table). */
export type RelayState = "off" | "waiting" | "starting" | "live" | "retrying" | "failed" | "stopping";

export const RELAY_STATES: readonly RelayState[] = [
  "off",
  "waiting",
  "starting",
  "live",
  "retrying",
  "failed",
  "stopping",
];

/** How a destination reaches an rtmps server: ffmpeg's own TLS, a local stunnel, or whichever works. */
export type Transport = "auto" | "direct" | "stunnel";

/** What OBS is sending into the bridge's nginx. */
export interface IngestView {
  live: boolean;
  /** Stream name OBS published under ("" when offline). */
  name: string;
  /** ISO time the publish began, or null. */
  since: string | null;
  bitrateKbps: number;
  video?: { codec: string; width: number; height: number; fps: number };
  audio?: { codec: string };
  /** What to type into OBS: its server URLs (this computer, then the LAN), and whether the key is set. */
  obs?: { servers: string[]; keyRequired: boolean };
  /** While offline: what went wrong with OBS's last try (e.g. a wrong application) and what to use. */
  hint?: string;
}

/** State of a program the bridge supervises. */
export type ServiceState = "stopped" | "starting" | "running" | "restarting" | "missing" | "failed";

export interface ServiceView {
  state: ServiceState;
  /** What went wrong and how to fix it (never contains a stream key). */
  error?: string;
}

/** One destination as every answer and event shows it: the stream key never appears. */
export interface DestinationView {
  id: string;
  name: string;
  /** Server URL only, without the stream key. */
  url: string;
  hasKey: boolean;
  enabled: boolean;
  state: RelayState;
  /** ISO time the current state began. */
  since: string | null;
  bitrateKbps: number;
  fps: number;
  restarts: number;
  lastError: string | null;
  /** ISO time of the next try, while `retrying`. */
  retryAt?: string;
  transport: Transport;
  /** Preset id (e.g. "youtube"), when the destination names one. */
  platform?: string;
  /** Ingest stream name this destination relays; absent = the main stream. */
  source?: string;
  /** Something to fix before going live (e.g. no stream key), in the streamer's words. */
  warning?: string;
}

/** `GET /api/status` and every `event: status` of `GET /api/events`. */
export interface StatusView {
  version: string;
  ingest: IngestView;
  services: { nginx: ServiceView; stunnel: ServiceView };
  destinations: DestinationView[];
}

/** `GET /api/health`. */
export interface HealthView {
  ok: true;
  version: string;
}

/** Body of `POST /api/destinations` (id is derived from the name when absent). */
export interface DestinationInput {
  id?: string;
  name: string;
  url: string;
  key?: string;
  enabled?: boolean;
  transport?: Transport;
  platform?: string;
  source?: string;
}

/** Body of `PATCH /api/destinations/:id`: any subset; `id` cannot change. */
export type DestinationPatch = Partial<Omit<DestinationInput, "id">>;

/** Every error answer: `{ error: { code, message } }` with a 4xx/5xx status. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

/** Paths of the HTTP API, so clients never spell them by hand. */
export const apiPaths = {
  health: "/api/health",
  status: "/api/status",
  events: "/api/events",
  destinations: "/api/destinations",
  destination: (id: string) => `/api/destinations/${encodeURIComponent(id)}`,
  action: (id: string, verb: "start" | "stop" | "toggle" | "retry") =>
    `/api/destinations/${encodeURIComponent(id)}/${verb}`,
  keyImage: (id: string, format: "png" | "svg") =>
    `/api/destinations/${encodeURIComponent(id)}/key.${format}`,
} as const;

/** Name of the SSE event that carries a whole StatusView. */
export const STATUS_EVENT = "status";
