// Which H.264 encoders this ffmpeg really has: listed by `ffmpeg -encoders`, then each hardware one
// tried once on a few frames (a build lists nvenc whether or not the machine has the card). Once per
// binary, one try at a time (the machine's cores belong to the live relays), never throwing: a family
// that cannot be tried is said not to work, with why. `auto` then takes the first that works.

import { execa } from "execa";
import type { EncoderView } from "../../contract/api.js";
import { ENCODER_FAMILIES, FFMPEG_ENCODER, type EncoderChoice, type EncoderFamily } from "../../contract/encode.js";

/** The names of the video encoders in `ffmpeg -hide_banner -encoders`' output. */
export function parseEncoderList(text: string): string[] {
  const table = text.split(/^\s*-{6}\s*$/m)[1] ?? "";
  const names: string[] = [];
  for (const line of table.split(/\r?\n/)) {
    const match = /^\s*V[A-Z.]{5}\s+(\S+)/.exec(line);
    if (match) names.push(match[1]!);
  }
  return names;
}

/** What a family needs to take frames from system memory: device options, a last filter, a pixel format. */
export interface EncoderInput {
  /** Global options before the input (a hardware device). */
  globalArgs: string[];
  /** The filter chain's last step (an upload to the device), or null. */
  filterSuffix: string | null;
  /** `-pix_fmt` for the encoder, or null when the upload sets it. */
  pixelFormat: string | null;
}

/** The render node VAAPI encodes on (Linux; the first GPU). */
const VAAPI_DEVICE = "/dev/dri/renderD128";

export function encoderInput(family: EncoderFamily): EncoderInput {
  switch (family) {
    case "x264":
    case "nvenc":
      return { globalArgs: [], filterSuffix: null, pixelFormat: "yuv420p" };
    case "qsv":
    case "amf":
    case "videotoolbox":
      return { globalArgs: [], filterSuffix: null, pixelFormat: "nv12" };
    case "vaapi":
      return { globalArgs: ["-init_hw_device", `vaapi=va:${VAAPI_DEVICE}`, "-filter_hw_device", "va"], filterSuffix: "format=nv12,hwupload", pixelFormat: null };
  }
}

/** A short test encode: 10 frames of a test picture through the family's encoder, to nowhere. */
export function probeArgs(family: EncoderFamily): string[] {
  const input = encoderInput(family);
  return [
    "-hide_banner",
    "-loglevel", "error",
    "-nostdin",
    ...input.globalArgs,
    "-f", "lavfi",
    "-i", "testsrc2=size=320x240:rate=30",
    "-frames:v", "10",
    "-an",
    ...(input.filterSuffix !== null ? ["-vf", input.filterSuffix] : []),
    ...(input.pixelFormat !== null ? ["-pix_fmt", input.pixelFormat] : []),
    "-c:v", FFMPEG_ENCODER[family],
    "-b:v", "500k",
    "-f", "null", "-",
  ];
}

/** Runs one test encode: exit 0 within the time, with what it printed. */
export type RunProbe = (ffmpeg: string, args: string[], timeoutMs: number) => Promise<{ ok: boolean; timedOut: boolean; stderr: string }>;

const PROBE_TIMEOUT_MS = 10_000;

const runProbe: RunProbe = async (ffmpeg, args, timeoutMs) => {
  const result = await execa(ffmpeg, args, { reject: false, windowsHide: true, timeout: timeoutMs, stdin: "ignore" });
  return { ok: result.exitCode === 0 && !result.timedOut, timedOut: Boolean(result.timedOut), stderr: `${result.stderr ?? ""}` };
};

const listEncoders = async (ffmpeg: string): Promise<string> => {
  const result = await execa(ffmpeg, ["-hide_banner", "-encoders"], { reject: false, windowsHide: true, timeout: PROBE_TIMEOUT_MS, stdin: "ignore" });
  if (result.exitCode !== 0) throw new Error(result.failed && result.shortMessage ? result.shortMessage : `ffmpeg -encoders exited with code ${result.exitCode}`);
  return `${result.stdout}`;
};

/**
 * The line of a failed test encode that says why, at most 200 characters: the encoder's or the
 * device's own first line ("[h264_nvenc @ 0x…] Cannot load libcuda.so.1", without its prefix), which
 * names the cause; else the last line naming a failure (ffmpeg's generic "Error while opening encoder").
 */
export function probeFailure(stderr: string): string {
  const lines = stderr.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "");
  const own = lines.find((line) => /^\[[^\]]+ @ (0x)?[0-9a-f]+\]\s*\S/i.test(line))?.replace(/^\[[^\]]+\]\s*/, "");
  const telling = own ?? lines.filter((line) => /error|fail|cannot|can't|not found|no device|unsupported|not supported|unable|invalid/i.test(line)).at(-1) ?? lines.at(-1);
  const text = telling ?? "the test encode failed";
  return text.length > 200 ? `${text.slice(0, 197)}…` : text;
}

export interface DetectionSeams {
  list?: (ffmpeg: string) => Promise<string>;
  probe?: RunProbe;
}

const cache = new Map<string, Promise<EncoderView[]>>();

/** Every family's view for this ffmpeg, tried once per binary (cached). */
export function detectEncoders(ffmpeg: string, seams: DetectionSeams = {}): Promise<EncoderView[]> {
  let detection = cache.get(ffmpeg);
  if (!detection) {
    detection = detect(ffmpeg, seams);
    cache.set(ffmpeg, detection);
  }
  return detection;
}

/** Forgets every binary's detection (tests). */
export function forgetEncoderProbes(): void {
  cache.clear();
}

async function detect(ffmpeg: string, seams: DetectionSeams): Promise<EncoderView[]> {
  let listed: string[];
  try {
    listed = parseEncoderList(await (seams.list ?? listEncoders)(ffmpeg));
  } catch (error) {
    const reason = `could not list ffmpeg's encoders: ${(error as Error).message}`.slice(0, 200);
    return ENCODER_FAMILIES.map((family) => ({ family, codec: FFMPEG_ENCODER[family], works: false, error: reason }));
  }
  const views: EncoderView[] = [];
  // One at a time: each try is short, but the relays running now need the cores more.
  for (const family of ENCODER_FAMILIES) {
    const codec = FFMPEG_ENCODER[family];
    if (!listed.includes(codec)) {
      views.push({ family, codec, works: false, error: "not in this ffmpeg" });
      continue;
    }
    try {
      const result = await (seams.probe ?? runProbe)(ffmpeg, probeArgs(family), PROBE_TIMEOUT_MS);
      if (result.ok) views.push({ family, codec, works: true });
      else views.push({ family, codec, works: false, error: result.timedOut ? `the test encode timed out after ${PROBE_TIMEOUT_MS / 1000} s` : probeFailure(result.stderr) });
    } catch (error) {
      views.push({ family, codec, works: false, error: probeFailure((error as Error).message) });
    }
  }
  return views;
}

/** The hardware families `auto` tries, in this order. */
const HARDWARE_ORDER: readonly EncoderFamily[] = ["nvenc", "qsv", "amf", "videotoolbox", "vaapi"];

/**
 * The family a destination's `encoder` gets here: `auto` the first working hardware one, else x264;
 * a named one that does not work (or is not tried yet) x264, with a note saying so.
 */
export function resolveEncoder(choice: EncoderChoice, encoders: readonly EncoderView[] | undefined): { family: EncoderFamily; note?: string } {
  const works = (family: EncoderFamily) => encoders?.find((view) => view.family === family)?.works === true;
  if (choice === "auto") return { family: HARDWARE_ORDER.find(works) ?? "x264" };
  if (choice === "x264") {
    const view = encoders?.find((one) => one.family === "x264");
    return view && !view.works ? { family: "x264", note: `x264 failed its test encode (${view.error ?? "no reason given"})` } : { family: "x264" };
  }
  if (works(choice)) return { family: choice };
  if (encoders === undefined) return { family: "x264", note: `${choice} is still being tried on this ffmpeg: using x264 for now` };
  const why = encoders.find((view) => view.family === choice)?.error ?? "not in this ffmpeg";
  return { family: "x264", note: `${choice} does not work with this ffmpeg (${why}): using x264` };
}
