// The config file's schema: one place for every field, its default and what makes it valid.
// Unknown fields are kept (loose objects) so a newer file survives an older bridge.

import { z } from "zod";
import { tokenAdvice, tokenProblem } from "../secrets/token-rules.js";
import { DEFAULT_AUDIO_KBPS, ENCODE_LIMITS, ENCODER_CHOICES, type EncodeConfig, type EncodeSettings } from "../../contract/encode.js";

/** Most destinations a config holds: far more than a streamer uses, few enough to start quickly. */
export const MAX_DESTINATIONS = 100;

/** Ids are slugs: they appear in URLs, key settings and file names. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const CONTROL_OR_SPACE = /[\s\u0000-\u001f\u007f]/;

/** Why `url` is not a usable RTMP/RTMPS server URL, or null when it is. */
export function serverUrlProblem(url: string): string | null {
  if (url.length === 0) return "is empty: give the platform's server URL, e.g. rtmp://a.rtmp.youtube.com/live2";
  if (url.length > 2048) return "is longer than 2048 characters";
  if (CONTROL_OR_SPACE.test(url)) return "contains spaces or control characters: paste the server URL alone";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "is not a URL: it must look like rtmp://host/app or rtmps://host:443/app";
  }
  if (parsed.protocol !== "rtmp:" && parsed.protocol !== "rtmps:") {
    return `must start with rtmp:// or rtmps:// (got ${parsed.protocol}//)`;
  }
  if (parsed.hostname === "") return "has no host name: it must look like rtmp://host/app";
  if (parsed.username !== "" || parsed.password !== "") {
    return "must not carry a user name or password: put the stream key in the key field";
  }
  return null;
}

const port = z.number().int().min(1, "must be a port from 1 to 65535").max(65535, "must be a port from 1 to 65535");
const host = z
  .string()
  .min(1, "must be a host name or address, e.g. 127.0.0.1")
  .max(255)
  .regex(/^[A-Za-z0-9.:[\]_-]+$/, "must be a host name or IP address (letters, digits, '.', ':', '-')");
/** Why `url` is not a usable obs-websocket address, or null when it is ("" = OBS not used). */
export function obsUrlProblem(url: string): string | null {
  if (url === "") return null;
  if (url.length > 2048) return "is longer than 2048 characters";
  if (CONTROL_OR_SPACE.test(url)) return "contains spaces or control characters";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "is not a URL: it must look like ws://127.0.0.1:4455 (OBS → Tools → WebSocket Server Settings), or \"\" to not use OBS";
  }
  if (parsed.protocol !== "ws:" && parsed.protocol !== "wss:") {
    return `must start with ws:// or wss:// (got ${parsed.protocol}//), e.g. ws://127.0.0.1:4455`;
  }
  if (parsed.hostname === "") return "has no host name: it must look like ws://127.0.0.1:4455";
  if (parsed.username !== "" || parsed.password !== "") return "must not carry a user name or password: put the password in obs.password";
  if (parsed.hash !== "" || url.includes("#")) return "must not have a #fragment: OBS's address is ws://host:port, e.g. ws://127.0.0.1:4455";
  if (isLinkLocal(parsed.hostname)) {
    return "is a link-local address (169.254.x.x or fe80::): OBS is never there; give the address of the computer that runs OBS, e.g. ws://127.0.0.1:4455";
  }
  return null;
}

/** The formats a webhook is posted in: Relay's JSON, or what Discord, Slack and ntfy each take. */
export const WEBHOOK_FORMATS = ["json", "discord", "slack", "ntfy"] as const;

/** Most webhooks `alerts.webhooks` holds. */
export const MAX_WEBHOOKS = 10;

/** Why `url` is not a usable webhook URL, or null when it is. A secret: the message never quotes it. */
export function webhookUrlProblem(url: string): string | null {
  if (url.length === 0) return "is empty: paste the webhook's URL (e.g. https://ntfy.sh/your-topic)";
  if (url.length > 2048) return "is longer than 2048 characters";
  if (CONTROL_OR_SPACE.test(url)) return "contains spaces or control characters: paste the URL alone";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "is not a URL: it must look like https://ntfy.sh/your-topic or https://discord.com/api/webhooks/…";
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return "must start with https:// (or http:// for a server on your network)";
  if (parsed.hostname === "") return "has no host name";
  if (parsed.username !== "" || parsed.password !== "") return "must not carry a user name or password (for ntfy, use an access token in the URL: ?auth=…)";
  return null;
}

/** One webhook alerts are posted to; its URL is a secret (the API says hasUrl). */
export const webhookSchema = z.looseObject({
  url: z.string("must be a string: the webhook's URL").superRefine((value, ctx) => {
    const problem = webhookUrlProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
  format: z.enum(WEBHOOK_FORMATS, { message: `must be one of ${WEBHOOK_FORMATS.join(", ")}` }).default("json"),
});

/** Whether a URL's host name (as `URL` normalizes it) is in 169.254.0.0/16 or fe80::/10, also IPv4-mapped. */
export function isLinkLocal(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (/^169\.254\.\d+\.\d+$/.test(host)) return true;
  if (/^fe[89ab][0-9a-f]:/.test(host)) return true;
  // ::ffff:169.254.x.x, written by URL as ::ffff:a9fe:xxxx
  return /^(0{0,4}:){0,5}:?ffff:a9fe:[0-9a-f]{1,4}$/.test(host) || /^::ffff:169\.254\./.test(host);
}

const path = z.string().max(4096).refine((value) => !/[\u0000-\u001f]/.test(value), "must not contain control characters");

/** A destination's stream key (a secret: messages never quote it). */
export const streamKeySchema = z
  .string()
  .max(512, "must be at most 512 characters")
  .refine((value) => !CONTROL_OR_SPACE.test(value), "must not contain spaces or control characters");

const wholeIn = (what: string, range: { min: number; max: number }, example: string) =>
  z
    .number(`must be a number of ${what}, e.g. ${example}`)
    .int(`must be a whole number of ${what}`)
    .min(range.min, `must be ${range.min} to ${range.max} ${what}`)
    .max(range.max, `must be ${range.min} to ${range.max} ${what}`);

/** A re-encode's video; a height or frame rate above the source's is kept at the source's (not refused). */
const encodeVideoSchema = z.strictObject({
  bitrateKbps: wholeIn("kbit/s", ENCODE_LIMITS.videoKbps, "3000"),
  maxHeight: wholeIn("pixels", ENCODE_LIMITS.height, "720").optional(),
  fps: z
    .number("must be a number of frames per second, e.g. 30")
    .min(ENCODE_LIMITS.fps.min, `must be ${ENCODE_LIMITS.fps.min} to ${ENCODE_LIMITS.fps.max} frames per second`)
    .max(ENCODE_LIMITS.fps.max, `must be ${ENCODE_LIMITS.fps.min} to ${ENCODE_LIMITS.fps.max} frames per second`)
    .optional(),
  encoder: z.enum(ENCODER_CHOICES as [string, ...string[]], { message: `must be one of ${ENCODER_CHOICES.join(", ")}` }).default("auto"),
});

const reencodeSchema = z.strictObject({
  video: encodeVideoSchema,
  audio: z.strictObject({ bitrateKbps: wholeIn("kbit/s", ENCODE_LIMITS.audioKbps, "160").default(DEFAULT_AUDIO_KBPS) }).prefault({}),
  crop: z.enum(["none", "vertical"], { message: "must be none or vertical (a centred 9:16 cut)" }).default("none"),
});

const ENCODE_EXAMPLE = 'must be "copy" or an object such as { "video": { "bitrateKbps": 3000, "maxHeight": 720 } } (docs/config.md)';

/**
 * `encode`: "copy" (OBS's stream as it is) or the destination's own quality. Checked in two steps so
 * a wrong field inside the object is named (a plain union would only say that neither shape matched).
 */
export const encodeSchema = z.unknown().transform((value, ctx): EncodeConfig => {
  if (value === "copy") return "copy";
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: "custom", message: ENCODE_EXAMPLE });
    return z.NEVER;
  }
  const result = reencodeSchema.safeParse(value);
  if (result.success) return result.data as EncodeSettings;
  for (const issue of result.error.issues) {
    const message =
      issue.code === "unrecognized_keys"
        ? `unknown field ${issue.keys.map((key) => `"${key}"`).join(", ")}: ${ENCODE_FIELDS[String(issue.path.at(-1) ?? "")] ?? ENCODE_FIELDS[""]}`
        : issue.message;
    ctx.addIssue({ code: "custom", message, path: issue.path });
  }
  return z.NEVER;
});

const ENCODE_FIELDS: Record<string, string> = {
  "": "allowed are video, audio, crop",
  video: "allowed are bitrateKbps, maxHeight, fps, encoder",
  audio: "allowed is bitrateKbps",
};

/** A destination's priority when the file gives none. */
export const DEFAULT_PRIORITY = 5;

/** `priority`: 1 (most important) to 9. */
export const prioritySchema = z
  .number("must be a whole number from 1 (most important) to 9, e.g. 5")
  .int("must be a whole number from 1 (most important) to 9")
  .min(1, "must be 1 (most important) to 9")
  .max(9, "must be 1 (most important) to 9");

export const destinationSchema = z.looseObject({
  id: z.string().regex(ID_PATTERN, "must be a slug: 1-64 lower-case letters, digits, '-' or '_', starting with a letter or digit"),
  name: z.string().trim().min(1, "must not be empty").max(64, "must be at most 64 characters"),
  url: z.string().superRefine((value, ctx) => {
    const problem = serverUrlProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
  key: streamKeySchema.default(""),
  enabled: z.boolean().default(false),
  transport: z.enum(["auto", "direct", "stunnel"], { message: "must be one of auto, direct, stunnel" }).default("auto"),
  platform: z.string().regex(ID_PATTERN, "must be a preset id such as youtube or facebook").optional(),
  source: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,128}$/, "must be an ingest stream name: letters, digits, '.', '-' or '_'")
    .optional(),
  /** Absent or "copy": OBS's stream as it is; an object: this destination's own quality. */
  encode: encodeSchema.optional(),
  /** 1 (most important) … 9 (absent: DEFAULT_PRIORITY): under a full uplink the least important give way first. */
  priority: prioritySchema.optional(),
  /** false: never gives way to a full uplink (the streamer forces it on); absent: true. */
  giveWay: z.boolean("must be true or false").optional(),
});

/** obs.password (a secret: messages never quote it). */
export const obsPasswordSchema = z
  .string("must be a string (the password of OBS's WebSocket server)")
  .max(256, "must be at most 256 characters")
  .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), "must not contain control characters");

/** OBS's stream service as obs-websocket reports it (type, e.g. rtmp_custom, and its settings). */
export const obsServiceSchema = z.looseObject({
  type: z.string().min(1).max(128),
  settings: z.record(z.string(), z.unknown()),
});

export const configSchema = z
  .looseObject({
    bridge: z
      .looseObject({
        host: host.default("127.0.0.1"),
        port: port.default(8787),
        token: z
          .string()
          .max(256, "must be at most 256 characters")
          .superRefine((value, ctx) => {
            const problem = tokenProblem(value);
            if (problem) ctx.addIssue({ code: "custom", message: tokenAdvice(problem) });
          })
          .default(""),
        /** Host names (besides IP addresses and localhost) the API answers to, e.g. "studio.lan". */
        allowedHosts: z.array(host).max(32).default([]),
      })
      .prefault({}),
    ingest: z
      .looseObject({
        /** 127.0.0.1: OBS on this computer only; 0.0.0.0 or an address of this machine: OBS on another computer (needs key). */
        host: host.default("127.0.0.1"),
        port: port.default(1935),
        app: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be letters, digits, '-' or '_' (e.g. live)").default("live"),
        key: z
          .string()
          .max(256)
          .regex(/^[A-Za-z0-9_.-]*$/, "must be letters, digits, '.', '-' or '_' (or empty to accept any name)")
          .default(""),
        /** Seconds platforms are kept on the stand-in when OBS drops (0: they end with OBS's stream). */
        holdSeconds: z.number().int("must be a whole number of seconds").min(0, "must be 0 (off) to 3600").max(3600, "must be 0 (off) to 3600").default(30),
        /** An image file shown while OBS is gone ("" = a generated "be right back" card). */
        slate: path.default(""),
      })
      .prefault({}),
    binaries: z
      .looseObject({ nginx: path.default(""), ffmpeg: path.default(""), stunnel: path.default("") })
      .prefault({}),
    tls: z.looseObject({ verify: z.boolean().default(true), caFile: path.default("") }).prefault({}),
    /** How relays are supervised; the defaults suit streaming, tests shorten them. */
    relays: z
      .looseObject({
        retryInitialMs: z.number().int().min(50).max(600_000).default(1_000),
        retryMaxMs: z.number().int().min(50).max(3_600_000).default(30_000),
        maxFailures: z.number().int().min(1).max(1000).default(6),
        stallTimeoutMs: z.number().int().min(500).max(600_000).default(10_000),
      })
      .prefault({}),
    /**
     * The streamer's home uplink: its figure (kbps, 0 = not given) seeds the bridge's estimate; the
     * probe delays are how long a destination that gave way waits before it tries again (growing
     * from the first to the last while the uplink stays full; tests shorten them).
     */
    uplink: z
      .looseObject({
        kbps: z.number("must be a number of kbit/s, e.g. 10000 (0: not given)").int("must be a whole number of kbit/s").min(0, "must be 0 (not given) to 10000000 kbit/s").max(10_000_000, "must be 0 (not given) to 10000000 kbit/s").default(0),
        probeInitialMs: z.number().int().min(1_000).max(3_600_000).default(20_000),
        probeMaxMs: z.number().int().min(1_000).max(3_600_000).default(300_000),
      })
      .prefault({}),
    /** OBS's own WebSocket server (obs-websocket v5): state, set-up, start/stop. url "" = OBS not used. */
    obs: z
      .looseObject({
        url: z
          .string()
          .default("")
          .superRefine((value, ctx) => {
            const problem = obsUrlProblem(value);
            if (problem) ctx.addIssue({ code: "custom", message: problem });
          }),
        /** A secret: never shown (the API says hasPassword). */
        password: obsPasswordSchema.default(""),
        /** OBS's stream service settings before "Set up OBS for Relay" (holds the platform key: never shown). */
        previousService: obsServiceSchema.optional(),
      })
      .prefault({}),
    /** Where failures are posted (a phone: ntfy, Discord, Slack, or any JSON webhook), in which language. */
    alerts: z
      .looseObject({
        webhooks: z.array(webhookSchema).max(MAX_WEBHOOKS, `must hold at most ${MAX_WEBHOOKS} webhooks`).default([]),
        language: z.enum(["en", "fr"], { message: "must be en or fr" }).default("en"),
      })
      .prefault({}),
    destinations: z.array(destinationSchema).max(MAX_DESTINATIONS, `must hold at most ${MAX_DESTINATIONS} destinations`).default([]),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.destinations.forEach((destination, index) => {
      if (seen.has(destination.id)) {
        ctx.addIssue({ code: "custom", path: ["destinations", index, "id"], message: `"${destination.id}" is used twice: ids must be unique` });
      }
      seen.add(destination.id);
    });
  });

export type Config = z.infer<typeof configSchema>;
export type Destination = z.infer<typeof destinationSchema>;
export type Webhook = z.infer<typeof webhookSchema>;

/** The destination's re-encode, or null when it copies OBS's stream. */
export function reencodeOf(destination: Destination): EncodeSettings | null {
  const encode = destination.encode;
  return encode === undefined || encode === "copy" ? null : encode;
}

/** The destination's priority, 1 (most important) … 9. */
export function priorityOf(destination: Destination): number {
  return destination.priority ?? DEFAULT_PRIORITY;
}

/** The destination may give way to a full uplink (the streamer did not force it on). */
export function givesWay(destination: Destination): boolean {
  return destination.giveWay !== false;
}

/** A config with every default filled in. */
export function defaultConfig(): Config {
  return configSchema.parse({});
}
