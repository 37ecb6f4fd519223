// Platform presets: what a streamer picks when adding a destination, and how keys and the page show it.
// Pure data shared with the plugin and the status page.

import type { Transport } from "./api.js";
import type { IngestLimits } from "./encode.js";

export interface PlatformPreset {
  id: string;
  /** Full name shown in lists. */
  name: string;
  /** At most 6 characters: fits a 72 px key. */
  short: string;
  /** Brand colour, `#rrggbb`. */
  color: string;
  /** Public ingest server, or "" where the platform hands one out per stream. */
  url: string;
  transport: Transport;
  /** Where the streamer finds the server URL and the stream key. */
  help: string;
  /** The platform's published ingest limits (sources in docs/platforms.md); absent where it publishes none. */
  limits?: IngestLimits;
  /**
   * The video codecs its RTMP ingest takes (`h264`, `hevc`, `av1`; sources in docs/platforms.md);
   * absent where that is not known (a copy of any codec is then sent without a word).
   */
  videoCodecs?: readonly string[];
}

/** H.264 alone: what every platform's RTMP ingest takes. */
const H264_ONLY = ["h264"] as const;

/** YouTube's highest H.264 row (2160p60), for both its RTMP and RTMPS ingest. */
const YOUTUBE_LIMITS: IngestLimits = { maxVideoKbps: 35_000, maxHeight: 2160, maxFps: 60 };

export const PLATFORM_PRESETS: readonly PlatformPreset[] = [
  {
    id: "facebook",
    name: "Facebook",
    short: "FB",
    color: "#1877f2",
    url: "rtmps://live-api-s.facebook.com:443/rtmp/",
    transport: "auto",
    help: "Live Producer → Streaming software → Stream key (RTMPS only).",
    limits: { maxVideoKbps: 9000, maxHeight: 1080, maxFps: 60 },
    videoCodecs: H264_ONLY,
  },
  {
    id: "instagram",
    name: "Instagram",
    short: "IG",
    color: "#e1306c",
    url: "rtmps://edgetee-upload.xx.fbcdn.net:443/rtmp/",
    transport: "auto",
    help: "instagram.com → Create → Live video → copy the Stream URL and Stream key (new each stream, RTMPS only).",
    limits: { maxVideoKbps: 6000, maxHeight: 1280, maxFps: 60, vertical: true },
    videoCodecs: H264_ONLY,
  },
  {
    id: "youtube",
    name: "YouTube",
    short: "YT",
    color: "#ff0000",
    url: "rtmp://a.rtmp.youtube.com/live2",
    transport: "direct",
    help: "YouTube Studio → Go live → Stream → Stream key.",
    limits: YOUTUBE_LIMITS,
    videoCodecs: ["h264", "hevc", "av1"],
  },
  {
    id: "youtube-rtmps",
    name: "YouTube (RTMPS)",
    short: "YT",
    color: "#ff0000",
    url: "rtmps://a.rtmps.youtube.com:443/live2",
    transport: "auto",
    help: "YouTube Studio → Go live → Stream → Stream key.",
    limits: YOUTUBE_LIMITS,
    videoCodecs: ["h264", "hevc", "av1"],
  },
  {
    id: "twitch",
    name: "Twitch",
    short: "TTV",
    color: "#9146ff",
    url: "rtmp://live.twitch.tv/app",
    transport: "direct",
    help: "Twitch Creator Dashboard → Settings → Stream → Primary Stream key.",
    limits: { maxVideoKbps: 6000, maxHeight: 1080, maxFps: 60 },
    videoCodecs: H264_ONLY,
  },
  {
    id: "kick",
    name: "Kick",
    short: "KICK",
    color: "#53fc18",
    url: "",
    transport: "auto",
    help: "Kick Dashboard → Settings → Stream URL & Key: copy both (RTMPS only).",
    videoCodecs: H264_ONLY,
  },
  {
    id: "tiktok",
    name: "TikTok",
    short: "TT",
    color: "#fe2c55",
    url: "",
    transport: "direct",
    help: "TikTok LIVE Center → Go LIVE → Server URL and Stream key (new each stream).",
    videoCodecs: H264_ONLY,
  },
  {
    id: "x",
    name: "X",
    short: "X",
    color: "#000000",
    url: "rtmps://va.pscp.tv:443/x",
    transport: "auto",
    help: "X Media Studio → Producer → Sources → create a source: RTMPS URL and key.",
    videoCodecs: H264_ONLY,
  },
  {
    id: "linkedin",
    name: "LinkedIn",
    short: "IN",
    color: "#0a66c2",
    url: "",
    transport: "auto",
    help: "LinkedIn → Event → Go live with streaming tool: copy Stream URL and Stream key.",
    videoCodecs: H264_ONLY,
  },
  {
    id: "restream",
    name: "Restream",
    short: "RS",
    color: "#1b6aff",
    url: "rtmp://live.restream.io/live",
    transport: "direct",
    help: "Restream dashboard → Streaming setup → Stream key.",
  },
  {
    id: "custom",
    name: "Custom RTMP/RTMPS",
    short: "RTMP",
    color: "#607d8b",
    url: "",
    transport: "auto",
    help: "Any RTMP or RTMPS server: paste its server URL and stream key.",
  },
];

/** The preset with this id, if any. */
export function findPlatform(id: string | undefined): PlatformPreset | undefined {
  return id === undefined ? undefined : PLATFORM_PRESETS.find((preset) => preset.id === id);
}

/** Short label and colour for a destination: its preset's, else derived from its name. */
export function platformBadge(
  platform: string | undefined,
  name: string,
): { short: string; color: string } {
  const preset = findPlatform(platform);
  if (preset && preset.id !== "custom") return { short: preset.short, color: preset.color };
  const short = name.trim().slice(0, 6).toUpperCase() || "RTMP";
  return { short, color: preset?.color ?? "#607d8b" };
}
