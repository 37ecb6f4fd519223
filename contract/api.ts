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
  /**
   * ISO time the platform's session began (its first media), while `live` or `holding`: it goes on through
   * a hold, so uptimes count from it rather than from `since`.
   */
  sessionSince?: string;
  /** Bytes sent to the platform since its session began, while `live` or `holding`. */
  sentBytes?: number;
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
  /** The ingest's video codec (`h264`, `hevc`, `av1`, `vp9`) for `codec_not_accepted` and `codec_unreadable`. */
  warningCodec?: string;
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
  /** 1 (most important) … 9 (always given by this bridge): under a full uplink the least important give way first. */
  priority?: number;
  /** false: never gives way to a full uplink (always given by this bridge). */
  giveWay?: boolean;
  /** What reaches its platform per second (bytes written to the network, kbit/s), while it runs. */
  sentKbps?: number;
  /** How far behind live the media it sends now is (milliseconds), while it runs. */
  behindMs?: number;
  /** It gave way to more important destinations under a full uplink (paused, or on its lower quality). */
  gaveWay?: "paused" | "lower";
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
  /** The streamer's uplink as the bridge sees it (absent from an older bridge). */
  uplink?: UplinkView;
  /** Present while the config file holds a hand edit that is not valid (the bridge runs on the last good one). */
  config?: ConfigProblemView;
}

/** What is wrong with the config file, by key (e.g. "destinations[0].url: must start with rtmp://"). */
export interface ConfigProblemView {
  problems: string[];
}

/** The home uplink: full or not, what it carries, the streamer's own figure. */
export interface UplinkView {
  /** The relays are held back together: less important destinations give way. */
  full: boolean;
  /** What the uplink carries as measured while full, else the figure given (kb/s); null: not known. */
  estimateKbps: number | null;
  /** `uplink.kbps` from the config (null: not given). */
  configuredKbps: number | null;
  /** What the relays send now, together (kb/s). */
  totalKbps: number;
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
  /** The ingest stream it relays; null or "" = none (the main stream). */
  source?: string | null;
  /** "copy" (OBS's stream as it is) or a re-encode; in a PATCH, null is "copy" too. */
  encode?: EncodeInput;
  /** 1 (most important) … 9, default 5: under a full uplink the least important give way first. */
  priority?: number;
  /** false: never gives way to a full uplink (default true). */
  giveWay?: boolean;
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
  /**
   * Where OBS streams to (the port may be changed here, e.g. when 1935 is taken). `lan`: OBS may run on
   * another computer (the ingest listens on the network; a stream key is required), else this computer only
   * (absent from older bridges).
   */
  ingest: { host: string; port: number; app: string; lan?: boolean };
  /** `port` as configured; `listeningPort` is where this bridge listens until it is restarted. */
  bridge: { host: string; port: number; listeningPort: number; restartNeeded: boolean };
  /** The streamer's uplink figure, kbit/s (0: not given): seeds the bridge's estimate. */
  uplink?: { kbps: number };
}

/**
 * Body of `PATCH /api/settings`: full paths of programs ("" = look on PATH again), the ingest's port
 * (nginx restarts on it at once) and the bridge's port (used from its next start).
 */
export interface SettingsPatch {
  binaries?: Partial<Record<ProgramName, string>>;
  /** `lan: true` lets OBS on another computer in (needs `key`, the stream key OBS must send, or ingest.key set before). */
  ingest?: { port?: number; lan?: boolean; key?: string };
  bridge?: { port?: number };
  uplink?: { kbps?: number };
}

/** What an alert says happened (`test`: the "Send a test alert" button). */
export type AlertEvent = "destination_failed" | "destination_recovered" | "ingest_lost" | "ingest_back" | "test";

/** How a webhook is posted: Relay's JSON (AlertBody), or as Discord, Slack or ntfy take a message. */
export type WebhookFormat = "json" | "discord" | "slack" | "ntfy";

/** The body of an alert posted to a `json` webhook: never a stream key, never a webhook's URL. */
export interface AlertBody {
  event: AlertEvent;
  /** ISO time it happened. */
  at: string;
  /** One sentence in the streamer's language (`alerts.language`). */
  text: string;
  destination?: { id: string; name: string; state: RelayState; lastError: string | null };
}

/** `GET /api/alerts`: where alerts go (each URL is a secret: only whether it is set). */
export interface AlertsView {
  webhooks: Array<{ format: WebhookFormat; hasUrl: boolean }>;
  language: "en" | "fr";
}

/**
 * Body of `PATCH /api/alerts`: `webhooks` replaces the list. Each item is a new webhook `{ url, format }`
 * or one already set, named by its place in the list `GET` answered, `{ keep: 0, format? }` (its URL kept).
 */
export interface AlertsPatch {
  webhooks?: Array<{ url: string; format?: WebhookFormat } | { keep: number; format?: WebhookFormat }>;
  language?: "en" | "fr";
}

/** Answer of `POST /api/alerts/test`: each webhook, in order, and whether it took the test alert. */
export interface AlertTestView {
  results: Array<{ format: WebhookFormat; ok: boolean; error?: string }>;
}

/** One series of `GET /api/history`: samples oldest first, each at `at[i]` (epoch ms) with its figures. */
export interface HistorySeries {
  at: number[];
  /** kbit/s (0: nothing flowed). */
  kbps: number[];
  /** Frames per second (0: none). */
  fps: number[];
}

/** `GET /api/history`: the last 30 minutes of the ingest's and each destination's bitrate and frame rate. */
export interface HistoryView {
  /** Time between samples, ms. */
  periodMs: number;
  /** How far back the bridge keeps, ms. */
  spanMs: number;
  ingest: HistorySeries;
  destinations: Record<string, HistorySeries>;
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
  alerts: "/api/alerts",
  alertsTest: "/api/alerts/test",
  history: "/api/history",
  obsAction: (verb: "setup" | "restore" | "start" | "stop") => `/api/obs/${verb}`,
  keyImage: (id: string, format: "png" | "svg") =>
    `/api/destinations/${encodeURIComponent(id)}/key.${format}`,
} as const;

/** Pixel sizes `key.png` / `key.svg` serve with `?size=` (square; absent = `default`). */
export const KEY_IMAGE_SIZES = { min: 16, max: 512, default: 72 } as const;

/** Name of the SSE event that carries a whole StatusView. */
export const STATUS_EVENT = "status";
