// The bridge's HTTP contract, shared with the Stream Deck plugin, the Companion module and the status page.
// This module is pure (no Node APIs): the plugin and the page bundle it as is.

import type { CropChoice, EncodeSettings, EncoderChoice, EncoderFamily } from "./encode.js";

/** Lifecycle of one destination's relay (see bridge/relay/lifecycle.ts for the table). */
export type RelayState = "off" | "waiting" | "starting" | "live" | "holding" | "retrying" | "failed" | "stopping";

export const RELAY_STATES: readonly RelayState[] = [
  "off",
  "waiting",
  "starting",
  "live",
  "holding",
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
  /** Seconds between the stream's last two keyframes, as measured on the stream (platforms ask for 2). */
  keyframeInterval?: number;
  /** Every stream published into the ingest now (the main one first); absent when none is. */
  streams?: IngestStreamView[];
  /** What to type into OBS: its server URLs (this computer, then the LAN), and whether the key is set. */
  obs?: { servers: string[]; keyRequired: boolean };
  /** While offline: what went wrong with OBS's last try (e.g. a wrong application) and what to use. */
  hint?: string;
}

/** One stream published into the ingest (names equal to `ingest.key` are shown as •••). */
export interface IngestStreamView {
  name: string;
  since: string;
  bitrateKbps: number;
  /** The stream destinations without a `source` relay. */
  main: boolean;
  video?: { codec: string; width: number; height: number; fps: number };
  audio?: { codec: string };
  keyframeInterval?: number;
}

/**
 * State of a program the bridge supervises. `ready`: found and usable, started on demand (ffmpeg,
 * one per relay); `failed` for ffmpeg: found but too old (the error names the minimum).
 */
export type ServiceState = "stopped" | "starting" | "running" | "restarting" | "missing" | "failed" | "ready";

export interface ServiceView {
  state: ServiceState;
  /** What went wrong and how to fix it (never contains a stream key). */
  error?: string;
  /** The program's version, where the bridge checks it (ffmpeg). */
  version?: string;
  /** ffmpeg: its H.264 encoders, each tried once on a few frames (absent while they are being tried). */
  encoders?: EncoderView[];
}

/** One H.264 encoder family as this ffmpeg has it: `works` when a short test encode succeeded. */
export interface EncoderView {
  family: EncoderFamily;
  /** ffmpeg's name for it, e.g. h264_nvenc. */
  codec: string;
  works: boolean;
  /** Why it does not work ("not in this ffmpeg", the test encode's error). */
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
  /** ISO time the stand-in ends, while `holding` (OBS dropped; the platform keeps its session). */
  holdUntil?: string;
  /** Times the relay fell behind the stream (a slow platform) and skipped to the next keyframe. */
  skippedToKeyframe?: number;
  transport: Transport;
  /** Preset id (e.g. "youtube"), when the destination names one. */
  platform?: string;
  /** Ingest stream name this destination relays; absent = the main stream. */
  source?: string;
  /** The ingest stream this destination relays now (null while none flows). */
  input?: string | null;
  /** Something to fix before going live (e.g. no stream key), in the streamer's words (English). */
  warning?: string;
  /** The warning's stable code (`no_stream_key`, `over_platform_limit`, `encoder_behind`), for clients that say it in another language. */
  warningCode?: string;
  /** The figures of an `over_platform_limit` warning: what is sent against the platform's maximum. */
  warningFigures?: Array<{ what: "bitrate" | "height" | "fps" | "landscape"; sent: number; max: number }>;
  /** The re-encode, when this destination has its own quality (absent: OBS's stream is copied as is). */
  encode?: EncodeSettings;
  /** "720p · 3M": what it sends, under the platform's name (absent for a copy). */
  encodeLabel?: string;
  /** The ffmpeg encoder it uses (or will use), e.g. libx264, h264_nvenc. */
  encoder?: string;
  /** What differs from what it asked for (a height above the source's, an encoder that does not work here). */
  encodeNote?: string;
  /** Its ffmpeg's share of one CPU core, percent, while it runs. */
  cpuPercent?: number;
  /** Its ffmpeg's speed against real time (1 = keeping up), while it runs. */
  speed?: number;
}

/** OBS's stream output as OBS itself reports it (obs-websocket's StreamStateChanged). */
export type ObsOutputState = "stopped" | "starting" | "started" | "stopping" | "reconnecting";

/** OBS Studio as the bridge sees it over obs-websocket (`connected: false` when absent or not configured). */
export interface ObsView {
  /** `obs.url` is set. */
  configured: boolean;
  connected: boolean;
  /** OBS's stream output is active (also while it reconnects). */
  streaming: boolean;
  /** OBS lost its RTMP connection and is retrying it. */
  reconnecting: boolean;
  outputState: ObsOutputState;
  /** Why OBS is not connected (wrong password, not reachable), never containing the password. */
  error?: string;
  /** OBS's version, e.g. "29.0.2", once connected. */
  version?: string;
  /** ISO time OBS's stream began (null when not streaming). */
  since: string | null;
  /** OBS's output bitrate as measured from its byte counter (kbit/s). */
  bitrateKbps: number;
  /** OBS's output congestion, 0 (none) to 1. */
  congestion: number;
  /** Frames OBS's stream output dropped (network too slow) since the stream began, of `totalFrames`. */
  skippedFrames: number;
  totalFrames: number;
  /** OBS's stream service points at this bridge's ingest (null: unknown). */
  pointsAtRelay: boolean | null;
  /** OBS's output mode ("Simple" or "Advanced"): where its keyframe interval setting lives. */
  outputMode?: "Simple" | "Advanced";
  /** OBS's previous stream settings are kept: `POST /api/obs/restore` puts them back. */
  canRestore: boolean;
}

/** `GET /api/obs` and `PATCH /api/obs`: OBS's connection settings (the password is write-only). */
export interface ObsSettingsView {
  url: string;
  hasPassword: boolean;
  obs: ObsView;
}

/** Body of `PATCH /api/obs`: any subset; password "" clears it. */
export interface ObsSettingsPatch {
  url?: string;
  password?: string;
}

/** Answer of `POST /api/obs/setup`. */
export interface ObsSetupView {
  /** The server OBS streams to now (the stream key is never shown). */
  server: string;
  /** A stream key was generated and saved as ingest.key (the ingest accepted any name before). */
  keyGenerated: boolean;
  /** OBS was already set up for Relay (its settings before that are still the ones kept). */
  alreadySetUp: boolean;
  obs: ObsView;
}

/** `GET /api/status` and every `event: status` of `GET /api/events`. */
export interface StatusView {
  version: string;
  ingest: IngestView;
  /** ffmpeg: `starting` while checked, then `ready` with its version, `missing`, or `failed` when too old (the relays need 4.4 or newer). */
  services: { nginx: ServiceView; stunnel: ServiceView; ffmpeg?: ServiceView };
  destinations: DestinationView[];
  /** OBS over obs-websocket; absent when the bridge has no OBS link. */
  obs?: ObsView;
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
  /** "copy" (OBS's stream as it is) or a re-encode; in a PATCH, null is "copy" too. */
  encode?: EncodeInput;
}

/** A re-encode as a client sends it: only the video bitrate is needed, the rest has defaults. */
export type EncodeInput =
  | "copy"
  | null
  | {
      video: { bitrateKbps: number; maxHeight?: number | null; fps?: number | null; encoder?: EncoderChoice };
      audio?: { bitrateKbps?: number };
      crop?: CropChoice;
    };

/** Body of `PATCH /api/destinations/:id`: any subset; `id` cannot change. */
export type DestinationPatch = Partial<Omit<DestinationInput, "id">>;

/** Every error answer: `{ error: { code, message } }` with a 4xx/5xx status. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

/** A program the bridge runs, as `GET /api/settings` shows it. */
export interface ProgramView {
  /** `binaries.<name>` from the config ("" = look on PATH). */
  configured: string;
  /** The full path the bridge would run, or null when it cannot find the program. */
  found: string | null;
  /** Why it cannot be used, with what to do (null when found). */
  problem: string | null;
  /** This OS's install command or step. */
  install: string;
}

/** The names of the programs Relay runs. */
export type ProgramName = "nginx" | "ffmpeg" | "stunnel";

/** `GET /api/settings`: what a first run needs, the programs and what to paste into OBS. */
export interface SettingsView {
  binaries: Record<ProgramName, ProgramView>;
  /**
   * OBS → Settings → Stream, Service Custom: the server URL on this computer, and whether the stream
   * key must be `ingest.key` (a secret, never shown) or may be anything.
   */
  obs: { server: string; keyRequired: boolean };
  /** Where OBS streams to (the port may be changed here, e.g. when 1935 is taken). */
  ingest: { host: string; port: number; app: string };
  /** `port` as configured; `listeningPort` is where this bridge listens until it is restarted. */
  bridge: { host: string; port: number; listeningPort: number; restartNeeded: boolean };
}

/**
 * Body of `PATCH /api/settings`: full paths of programs ("" = look on PATH again), the ingest's port
 * (nginx restarts on it at once) and the bridge's port (used from its next start).
 */
export interface SettingsPatch {
  binaries?: Partial<Record<ProgramName, string>>;
  ingest?: { port?: number };
  bridge?: { port?: number };
}

/** Paths of the HTTP API, so clients never spell them by hand. */
export const apiPaths = {
  health: "/api/health",
  status: "/api/status",
  events: "/api/events",
  destinations: "/api/destinations",
  settings: "/api/settings",
  destination: (id: string) => `/api/destinations/${encodeURIComponent(id)}`,
  action: (id: string, verb: "start" | "stop" | "toggle" | "retry") =>
    `/api/destinations/${encodeURIComponent(id)}/${verb}`,
  obs: "/api/obs",
  obsAction: (verb: "setup" | "restore" | "start" | "stop") => `/api/obs/${verb}`,
  keyImage: (id: string, format: "png" | "svg") =>
    `/api/destinations/${encodeURIComponent(id)}/key.${format}`,
} as const;

/** Pixel sizes `key.png` / `key.svg` serve with `?size=` (square; absent = `default`). */
export const KEY_IMAGE_SIZES = { min: 16, max: 512, default: 72 } as const;

/** Name of the SSE event that carries a whole StatusView. */
export const STATUS_EVENT = "status";
