// How numbers and times read on the keys, the status page and in Companion variables: short, stable
// widths, readable from across a desk. Pure, so the plugin, the page and the bridge share it.

import type { IngestView } from "../contract/api.js";
import { decimal, t, type Lang } from "./i18n/translate.js";

/** `850 kb/s`, `6.2 Mb/s` (`6,2 Mb/s` in French), `12 Mb/s`. */
export function formatBitrate(kbps: number, lang: Lang = "en"): string {
  if (!Number.isFinite(kbps) || kbps <= 0) return "0 kb/s";
  if (kbps < 1000) return `${Math.round(kbps)} kb/s`;
  const mbps = kbps / 1000;
  return mbps < 9.95 ? `${decimal(lang, mbps.toFixed(1))} Mb/s` : `${Math.round(mbps)} Mb/s`;
}

/** `0:07`, `12:34`, `1:02:03` (whole seconds, never negative). */
export function formatDuration(milliseconds: number): string {
  const total = Math.max(0, Math.floor(milliseconds / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}

/** Time left before a retry (`in 5 s`, `dans 5 s`), rounded up so the key never shows "0" while still waiting. */
export function formatCountdown(milliseconds: number, lang: Lang = "en"): string {
  const seconds = Math.ceil(milliseconds / 1000);
  if (seconds <= 0) return t(lang, "key.countdown.now");
  return t(lang, "key.countdown.in", { time: seconds < 60 ? `${seconds} s` : formatDuration(seconds * 1000) });
}

/** Time elapsed since an ISO instant, or "" when there is none (or it cannot be read). */
export function formatSince(since: string | null | undefined, now: number): string {
  const start = since ? Date.parse(since) : Number.NaN;
  return Number.isNaN(start) ? "" : formatDuration(now - start);
}

/** Whole seconds until an ISO instant (never negative), or null when there is none. */
export function secondsUntil(at: string | null | undefined, now: number): number | null {
  const when = at ? Date.parse(at) : Number.NaN;
  return Number.isNaN(when) ? null : Math.max(0, Math.ceil((when - now) / 1000));
}

/** `1920×1080 · 30 fps · h264 / aac`, or "" when the ingest has not described its media yet. */
export function formatMedia(ingest: Pick<IngestView, "video" | "audio">, lang: Lang = "en"): string {
  const parts: string[] = [];
  if (ingest.video) {
    if (ingest.video.width > 0 && ingest.video.height > 0) parts.push(`${ingest.video.width}×${ingest.video.height}`);
    if (ingest.video.fps > 0) parts.push(`${formatFps(ingest.video.fps, lang)} fps`);
  }
  const codecs = [ingest.video ? codecLabel(ingest.video.codec) : undefined, ingest.audio?.codec].filter((codec): codec is string => Boolean(codec));
  if (codecs.length > 0) parts.push(codecs.join(" / "));
  return parts.join(" · ");
}

/** How a video codec is named to the streamer (`hevc` reads HEVC); another name as it is. */
export function codecLabel(codec: string): string {
  return ({ h264: "H.264", hevc: "HEVC", av1: "AV1", vp9: "VP9" } as Record<string, string>)[codec] ?? codec;
}

/** `29.97` stays `29.97` (`29,97` in French), `30.0` becomes `30`. */
export function formatFps(fps: number, lang: Lang = "en"): string {
  return Number.isInteger(fps) ? String(fps) : decimal(lang, String(Math.round(fps * 100) / 100));
}

/** `850 kB`, `42 MB`, `1.3 GB` (`1,3 GB` in French): a total sent. */
export function formatBytes(bytes: number, lang: Lang = "en"): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return "0 kB";
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value < 9.95 && unit > 0 ? decimal(lang, value.toFixed(1)) : Math.round(value)} ${units[unit]}`;
}
