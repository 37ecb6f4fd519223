// What the add/edit form sends, and where an error answer belongs on it. Pure: the DOM side only
// reads and writes these values.

import type { DestinationInput, DestinationPatch, DestinationView, EncodeInput, Transport } from "../contract/api.js";
import { findPlatform } from "../contract/platforms.js";
import { DEFAULT_AUDIO_KBPS, ENCODE_LIMITS, type CropChoice, type EncoderChoice } from "../contract/encode.js";

/** The form's inputs, as text. */
export interface DestinationFormValues {
  platform: string;
  name: string;
  url: string;
  /** Typed stream key; "" = keep the stored one (edit) or none (add). */
  key: string;
  /** Edit only: forget the stored key. */
  clearKey: boolean;
  transport: Transport;
  /** "copy": OBS's stream as it is; "own": the re-encode below. */
  quality: "copy" | "own";
  videoKbps: string;
  /** "" = the source's. */
  maxHeight: string;
  /** "" = the source's. */
  fps: string;
  encoder: EncoderChoice;
  audioKbps: string;
  crop: CropChoice;
  /** "1" (most important) … "9". */
  priority: string;
  /** Gives way to more important destinations when the uplink is full (unchecked: never). */
  giveWay: boolean;
}

/** Inputs that can carry an error message of their own. */
export const FORM_FIELDS = ["platform", "name", "url", "key", "transport", "quality", "videoKbps", "maxHeight", "fps", "encoder", "audioKbps", "crop", "priority", "giveWay"] as const;
export type FormField = (typeof FORM_FIELDS)[number];

/** Empty values for an add form, with a preset chosen. */
export function blankValues(platformId = "custom"): DestinationFormValues {
  return applyPreset({ platform: "custom", name: "", url: "", key: "", clearKey: false, transport: "auto", ...COPY_QUALITY, ...DEFAULT_ORDER }, platformId);
}

/** The quality fields of a copy (what "Own quality" starts from when picked). */
const COPY_QUALITY = { quality: "copy", videoKbps: "3000", maxHeight: "", fps: "", encoder: "auto", audioKbps: String(DEFAULT_AUDIO_KBPS), crop: "none" } as const;

/** Where a new destination stands when the uplink is full. */
const DEFAULT_ORDER = { priority: "5", giveWay: true } as const;

/** Values that show an existing destination (the key is write-only: never filled in). */
export function valuesFromView(view: DestinationView): DestinationFormValues {
  return {
    platform: view.platform ?? "custom",
    name: view.name,
    url: view.url,
    key: "",
    clearKey: false,
    transport: view.transport,
    ...qualityFromView(view),
    priority: String(view.priority ?? 5),
    giveWay: view.giveWay ?? true,
  };
}

function qualityFromView(view: DestinationView): Pick<DestinationFormValues, "quality" | "videoKbps" | "maxHeight" | "fps" | "encoder" | "audioKbps" | "crop"> {
  const encode = view.encode;
  if (!encode) return { ...COPY_QUALITY };
  return {
    quality: "own",
    videoKbps: String(encode.video.bitrateKbps),
    maxHeight: encode.video.maxHeight !== undefined ? String(encode.video.maxHeight) : "",
    fps: encode.video.fps !== undefined ? String(encode.video.fps) : "",
    encoder: encode.video.encoder,
    audioKbps: String(encode.audio.bitrateKbps),
    crop: encode.crop,
  };
}

/** A number as typed; text that is not one goes as it is, so the bridge's answer names the field. */
function typedNumber(text: string): number | string {
  const trimmed = text.trim();
  return trimmed !== "" && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
}

/** The `encode` the quality fields ask for: "copy", or the re-encode with the fields filled in. */
export function toEncode(values: DestinationFormValues): EncodeInput {
  if (values.quality === "copy") return "copy";
  const video: Record<string, unknown> = { bitrateKbps: typedNumber(values.videoKbps), encoder: values.encoder };
  if (values.maxHeight !== "") video.maxHeight = typedNumber(values.maxHeight);
  if (values.fps !== "") video.fps = typedNumber(values.fps);
  const audio = values.audioKbps.trim() === "" ? {} : { bitrateKbps: typedNumber(values.audioKbps) };
  return { video, audio, crop: values.crop } as EncodeInput;
}

/**
 * Switches to another preset: its server URL, transport and name replace the current ones unless
 * the person typed their own (a value that is not the previous preset's).
 */
export function applyPreset(values: DestinationFormValues, platformId: string): DestinationFormValues {
  const previous = findPlatform(values.platform);
  const next = findPlatform(platformId);
  if (!next) return { ...values, platform: platformId };
  const untouched = (current: string, presetValue: string | undefined) => current.trim() === "" || current === presetValue;
  return {
    ...values,
    platform: next.id,
    name: untouched(values.name, previous?.id === "custom" ? "" : previous?.name) && next.id !== "custom" ? next.name : values.name,
    url: untouched(values.url, previous?.url) ? next.url : values.url,
    transport: next.transport,
  };
}

/** Body of `POST /api/destinations`. */
export function toCreateInput(values: DestinationFormValues): DestinationInput {
  const input: DestinationInput = {
    name: values.name.trim(),
    url: values.url.trim(),
    transport: values.transport,
    platform: values.platform,
  };
  const key = values.key.trim();
  if (key !== "") input.key = key;
  if (values.quality === "own") input.encode = toEncode(values);
  input.priority = typedNumber(values.priority) as number;
  if (!values.giveWay) input.giveWay = false;
  return input;
}

/** Body of `PATCH /api/destinations/:id`: the key only when a new one was typed or it is cleared. */
export function toPatch(values: DestinationFormValues): DestinationPatch {
  const patch: DestinationPatch = {
    name: values.name.trim(),
    url: values.url.trim(),
    transport: values.transport,
    platform: values.platform,
    encode: toEncode(values),
    priority: typedNumber(values.priority) as number,
    giveWay: values.giveWay,
  };
  const key = values.key.trim();
  if (key !== "") patch.key = key;
  else if (values.clearKey) patch.key = "";
  return patch;
}

/** The input an error's `field` names ("url", "destinations.2.url", "key"…), or null for the form. */
export function fieldOfError(field: string | undefined): FormField | null {
  if (!field) return null;
  const encode = ENCODE_FIELDS[field.replace(/^destinations\.\d+\./, "")];
  if (encode) return encode;
  const last = field.split(/[.[\]/]/).filter(Boolean).pop() ?? "";
  if (last === "id") return "name";
  return (FORM_FIELDS as readonly string[]).includes(last) ? (last as FormField) : null;
}

/** Where the bridge's `encode.…` fields are on the form. */
const ENCODE_FIELDS: Record<string, FormField> = {
  encode: "quality",
  "encode.video": "videoKbps",
  "encode.video.bitrateKbps": "videoKbps",
  "encode.video.maxHeight": "maxHeight",
  "encode.video.fps": "fps",
  "encode.video.encoder": "encoder",
  "encode.audio": "audioKbps",
  "encode.audio.bitrateKbps": "audioKbps",
  "encode.crop": "crop",
};

/** An error message as shown beside its input: without the `url: ` the bridge puts in front. */
export function messageForField(message: string, field: string | undefined): string {
  if (!field) return message;
  const prefix = `${field}: `;
  return message.startsWith(prefix) ? message.charAt(prefix.length).toUpperCase() + message.slice(prefix.length + 1) : message;
}

/** A problem the form finds itself, before asking the bridge: a message id and its values. */
export interface FormProblem {
  field: FormField;
  id: "page.dialog.error.name" | "page.dialog.error.url" | "page.dialog.error.range";
  params?: { min: number; max: number };
}

/**
 * Every problem of the form at once (the bridge answers one at a time): an empty name, a server URL
 * that is not rtmp(s)://host…, a number out of its range. The bridge still checks everything.
 */
export function formProblems(values: DestinationFormValues): FormProblem[] {
  const problems: FormProblem[] = [];
  if (values.name.trim() === "") problems.push({ field: "name", id: "page.dialog.error.name" });
  if (!/^rtmps?:\/\/[^\s/?#]+/i.test(values.url.trim())) problems.push({ field: "url", id: "page.dialog.error.url" });
  if (values.quality === "own") {
    for (const [field, limits] of [["videoKbps", ENCODE_LIMITS.videoKbps], ["audioKbps", ENCODE_LIMITS.audioKbps]] as const) {
      const text = values[field].trim();
      if (field === "audioKbps" && text === "") continue;
      const value = Number(text);
      if (text === "" || !Number.isFinite(value) || value < limits.min || value > limits.max) problems.push({ field, id: "page.dialog.error.range", params: { min: limits.min, max: limits.max } });
    }
  }
  return problems;
}

/** The transport choice means something for an rtmps:// server only. */
export function transportApplies(url: string): boolean {
  return /^rtmps:\/\//i.test(url.trim());
}

/**
 * The form would save a destination with no stream key: none typed, none kept, none at the end of
 * the URL (a server that takes it there: rtmp://host/app/KEY or ?key=). Said once before saving.
 */
export function savesWithoutKey(values: DestinationFormValues, storedKey: boolean): boolean {
  if (values.key.trim() !== "") return false;
  if (storedKey && !values.clearKey) return false;
  return !urlHasKey(values.url.trim());
}

/** The same reading as the bridge's no_stream_key warning: two path segments or a query. */
function urlHasKey(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.pathname.split("/").filter((segment) => segment !== "").length >= 2 || parsed.search !== "";
  } catch {
    return false;
  }
}
