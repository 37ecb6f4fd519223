// A destination's own quality: `encode` absent or "copy" sends OBS's stream as it is; an object makes
// that destination's ffmpeg re-encode it (bitrate, height, frame rate, a vertical cut, an encoder).
// Pure, shared with the plugin, the Companion module and the status page: the label under a platform's
// name ("720p · 3M"), what a re-encode really sends for a given source, and what fits a platform.

/** An H.264 encoder family a destination may ask for; `auto` = the first working hardware one, else x264. */
export type EncoderChoice = "auto" | "x264" | "nvenc" | "qsv" | "amf" | "videotoolbox" | "vaapi";

/** The encoder families, software first (the one that always works). */
export const ENCODER_FAMILIES = ["x264", "nvenc", "qsv", "amf", "videotoolbox", "vaapi"] as const;
export type EncoderFamily = (typeof ENCODER_FAMILIES)[number];

export const ENCODER_CHOICES: readonly EncoderChoice[] = ["auto", ...ENCODER_FAMILIES];

/** The name of each family's H.264 encoder in ffmpeg. */
export const FFMPEG_ENCODER: Readonly<Record<EncoderFamily, string>> = {
  x264: "libx264",
  nvenc: "h264_nvenc",
  qsv: "h264_qsv",
  amf: "h264_amf",
  videotoolbox: "h264_videotoolbox",
  vaapi: "h264_vaapi",
};

export type CropChoice = "none" | "vertical";

/** A re-encode, with every default filled in (the config schema fills them). */
export interface EncodeSettings {
  video: {
    bitrateKbps: number;
    /** The output's height at most (never above the source's); absent = the source's. */
    maxHeight?: number;
    /** Frames per second at most (never above the source's); absent = the source's. */
    fps?: number;
    encoder: EncoderChoice;
  };
  audio: { bitrateKbps: number };
  /** `vertical`: a centred 9:16 cut of a landscape picture (TikTok, Instagram, Shorts). */
  crop: CropChoice;
}

/** What a destination's `encode` holds: "copy" (or absent) or a re-encode. */
export type EncodeConfig = "copy" | EncodeSettings;

/** The limits of what a destination may ask for (the schema and the page's form use them). */
export const ENCODE_LIMITS = {
  videoKbps: { min: 100, max: 100_000 },
  audioKbps: { min: 32, max: 512 },
  height: { min: 144, max: 4320 },
  fps: { min: 1, max: 240 },
} as const;

export const DEFAULT_AUDIO_KBPS = 160;

/** Every output's keyframe interval, seconds (what every platform asks for). */
export const KEYFRAME_INTERVAL_S = 2;

/** The source picture a re-encode starts from (the ingest's video). */
export interface SourceVideo {
  width: number;
  height: number;
  fps: number;
}

/** What a re-encode sends for a given source (the figures the view and the platform check use). */
export interface EncodeOutput {
  width: number;
  height: number;
  fps: number;
  videoKbps: number;
  audioKbps: number;
  /** Set when the destination asked for more than the source has ("1080p asked, the source is 720p: kept at 720p"). */
  note?: string;
}

/** Down to an even number (the crop's `trunc(…/2)*2`). */
const even = (value: number) => Math.max(2, 2 * Math.trunc(value / 2));
/** To the nearest even number (the scale filter's width of -2). */
const nearestEven = (value: number) => Math.max(2, 2 * Math.round(value / 2));

/** The picture after the crop: a centred 9:16 cut of a landscape source, else the source. */
export function croppedSize(source: { width: number; height: number }, crop: CropChoice): { width: number; height: number } {
  if (crop !== "vertical" || source.width * 16 <= source.height * 9) return { width: source.width, height: source.height };
  return { width: even((source.height * 9) / 16), height: source.height };
}

/** What `encode` sends for `source`: its height and frame rate capped by the source's, never raised. */
export function encodeOutput(encode: EncodeSettings, source: SourceVideo): EncodeOutput {
  const cut = croppedSize(source, encode.crop);
  const notes: string[] = [];
  let height = cut.height;
  if (encode.video.maxHeight !== undefined) {
    if (encode.video.maxHeight < cut.height) height = even(encode.video.maxHeight);
    else if (encode.video.maxHeight > cut.height) notes.push(`${encode.video.maxHeight}p asked, the source is ${cut.height}p: kept at ${cut.height}p`);
  }
  const width = height === cut.height ? cut.width : nearestEven((cut.width * height) / cut.height);
  let fps = source.fps;
  if (encode.video.fps !== undefined) {
    if (encode.video.fps < source.fps) fps = encode.video.fps;
    else if (encode.video.fps > source.fps + 0.5) notes.push(`${encode.video.fps} fps asked, the source has ${formatFps(source.fps)}: kept at ${formatFps(source.fps)}`);
  }
  const output: EncodeOutput = { width, height, fps, videoKbps: encode.video.bitrateKbps, audioKbps: encode.audio.bitrateKbps };
  if (notes.length > 0) output.note = notes.join("; ");
  return output;
}

function formatFps(fps: number): string {
  return `${Math.round(fps * 100) / 100}`;
}

/** "3M", "4.5M", "800k": a bitrate as it fits under a platform's name. */
export function shortBitrate(kbps: number): string {
  if (kbps < 1000) return `${Math.round(kbps)}k`;
  const mbps = Math.round(kbps / 100) / 10;
  return `${mbps}M`;
}

/**
 * The label under a re-encoded destination's name: "720p · 3M", "720p60 · 6M", "9:16 · 1080p · 4M",
 * "30 fps · 2.5M"; null for a copy. With `output` (the source is known) it shows what is really sent.
 */
export function encodeLabel(encode: EncodeConfig | undefined, output?: EncodeOutput): string | null {
  if (encode === undefined || encode === "copy") return null;
  const parts: string[] = [];
  if (encode.crop === "vertical") parts.push("9:16");
  const height = output?.height ?? encode.video.maxHeight;
  const fps = output ? (encode.video.fps !== undefined ? output.fps : undefined) : encode.video.fps;
  if (height !== undefined) parts.push(`${height}p${fps !== undefined ? Math.round(fps) : ""}`);
  else if (fps !== undefined) parts.push(`${Math.round(fps)} fps`);
  parts.push(shortBitrate(encode.video.bitrateKbps));
  return parts.join(" · ");
}

/** A platform's published ingest limits (contract/platforms.ts, sources in docs/platforms.md). */
export interface IngestLimits {
  /** Video bitrate, kbit/s. */
  maxVideoKbps: number;
  maxHeight: number;
  maxFps: number;
  /** The platform shows a vertical (9:16) picture. */
  vertical?: boolean;
}

/** What a destination sends, to compare with its platform's limits. */
export interface SentStream {
  /** Video bitrate (for a copy: the ingest's whole bitrate, audio included). */
  videoKbps: number;
  /** The picture's width, when known: a landscape picture to a vertical platform is said. */
  width?: number;
  height: number;
  fps: number;
}

/** One limit a stream is over; `landscape` (a vertical platform): `sent` is the width, `max` the height. */
export interface OverLimit {
  what: "bitrate" | "height" | "fps" | "landscape";
  sent: number;
  max: number;
}

/** How far the figures may go over a limit before it counts: OBS's CBR swings around its target. */
const BITRATE_TOLERANCE = 1.1;

/** Which of `limits` `sent` exceeds, with the figures; empty when it fits. */
export function overLimits(sent: SentStream, limits: IngestLimits): OverLimit[] {
  const over: OverLimit[] = [];
  if (sent.videoKbps > limits.maxVideoKbps * BITRATE_TOLERANCE) over.push({ what: "bitrate", sent: Math.round(sent.videoKbps), max: limits.maxVideoKbps });
  if (sent.height > limits.maxHeight) over.push({ what: "height", sent: sent.height, max: limits.maxHeight });
  if (sent.fps > limits.maxFps + 0.5) over.push({ what: "fps", sent: Math.round(sent.fps), max: limits.maxFps });
  if (limits.vertical && sent.width !== undefined && sent.width > sent.height) over.push({ what: "landscape", sent: sent.width, max: sent.height });
  return over;
}

/**
 * The `encode` that fits `limits` for `source`: the platform's bitrate (or the source's, when lower),
 * its height and frame rate where the source is above them, a vertical cut where it shows one.
 */
export function fitEncode(limits: IngestLimits, source: SourceVideo & { bitrateKbps: number }, current?: EncodeConfig): EncodeSettings {
  const previous = current !== undefined && current !== "copy" ? current : undefined;
  const audioKbps = previous?.audio.bitrateKbps ?? DEFAULT_AUDIO_KBPS;
  const crop: CropChoice = limits.vertical && source.width > source.height ? "vertical" : (previous?.crop ?? "none");
  const cutHeight = croppedSize(source, crop).height;
  const sourceVideoKbps = Math.max(ENCODE_LIMITS.videoKbps.min, source.bitrateKbps - audioKbps);
  const video: EncodeSettings["video"] = {
    bitrateKbps: Math.min(limits.maxVideoKbps, previous?.video.bitrateKbps ?? sourceVideoKbps, sourceVideoKbps),
    encoder: previous?.video.encoder ?? "auto",
  };
  if (cutHeight > limits.maxHeight) video.maxHeight = limits.maxHeight;
  else if (previous?.video.maxHeight !== undefined && previous.video.maxHeight < cutHeight) video.maxHeight = previous.video.maxHeight;
  if (source.fps > limits.maxFps + 0.5) video.fps = limits.maxFps;
  else if (previous?.video.fps !== undefined) video.fps = previous.video.fps;
  return { video, audio: { bitrateKbps: audioKbps }, crop };
}

/**
 * What "Fit to <platform>" sets: a copy when OBS's stream as it is already fits `limits` (nothing to
 * re-encode, whatever the destination has now), else the re-encode of `fitEncode`.
 */
export function fitToLimits(limits: IngestLimits, source: SourceVideo & { bitrateKbps: number }, current?: EncodeConfig): EncodeConfig {
  const copy = overLimits({ videoKbps: source.bitrateKbps, width: source.width, height: source.height, fps: source.fps }, limits);
  return copy.length === 0 ? "copy" : fitEncode(limits, source, current);
}
