// Key images: one SVG per key, for the Stream Deck plugin, the status page and Companion's key routes.
// Pure (no Node or DOM APIs) so every consumer bundles the very same pictures.
//
// The Stream Deck app draws SVG with Qt's SVG Tiny renderer, so the markup keeps to Tiny's subset:
// presentation attributes only (no CSS, no filters, masks or dominant-baseline), text placed by its
// baseline, widths estimated here instead of measured.

import type { DestinationView, IngestView, ObsView, RelayState } from "./api.js";
import { platformBadge } from "./platforms.js";

/** Fonts present on Windows, macOS and Debian, in that order of preference. */
export const KEY_FONT_FAMILY = "'Segoe UI', Helvetica, Arial, 'DejaVu Sans', sans-serif";

export interface DestinationKeyOptions {
  /** Epoch milliseconds: uptime and countdowns are computed against it. */
  now: number;
  /** False when the bridge cannot be reached: the key says so instead of a stale state. */
  reachable: boolean;
  /** Pixel size of the square image: 72 (default) or 144. */
  size?: number;
}

export interface IngestKeyOptions {
  reachable: boolean;
  size?: number;
  /** OBS's own state, when the bridge is linked to OBS: the key then says what OBS is doing. */
  obs?: ObsView;
}

/** How one key looks, before it becomes SVG. */
interface KeyLook {
  title: string;
  background: string;
  badge: { text: string; color: string; dim?: boolean };
  label: { text: string; color: string };
  details: string[];
  detailColor: string;
  frame?: { color: string; dashed?: boolean };
  liveDot?: boolean;
}

const VIEW = 72;
const DARK = "#161616";
const GREY = "#8c8c8c";
const WHITE = "#ffffff";
const AMBER = "#ffb300";
const ORANGE = "#ff7b00";
const RED_TEXT = "#ff5c5c";
const LIVE_BACKGROUND = "#c4001a";

/** The image of a destination key: platform badge, state at a glance, live figures or countdown. */
export function renderDestinationKey(view: DestinationView | undefined, options: DestinationKeyOptions): string {
  return toSvg(destinationLook(view, options), options.size);
}

/** The image of the ingest key: whether OBS is sending into Relay, with bitrate and resolution. */
export function renderIngestKey(ingest: IngestView | undefined, options: IngestKeyOptions): string {
  return toSvg(ingestLook(ingest, options.reachable, options.obs), options.size);
}

/** The image of a key acting on several destinations: how many of them are on and live. */
export function renderGroupKey(
  views: readonly DestinationView[],
  options: { reachable: boolean; size?: number; label?: string },
): string {
  return toSvg(groupLook(views, options.reachable, options.label ?? "ALL"), options.size);
}

/** True when a destination key's picture changes with the clock (uptime or countdown). */
export function destinationKeyTicks(view: DestinationView | undefined, reachable: boolean): boolean {
  return reachable && view !== undefined && ((view.state === "live" && view.since !== null) || view.state === "retrying");
}

/** `850 kb/s`, `6.2 Mb/s`, `12 Mb/s`. */
export function formatBitrate(kbps: number): string {
  if (!Number.isFinite(kbps) || kbps <= 0) return "0 kb/s";
  if (kbps < 1000) return `${Math.round(kbps)} kb/s`;
  const mbps = kbps / 1000;
  return mbps < 9.95 ? `${mbps.toFixed(1)} Mb/s` : `${Math.round(mbps)} Mb/s`;
}

/** `0:07`, `12:34`, `1:02:03` (whole seconds, never negative). */
export function formatDuration(milliseconds: number): string {
  const total = Math.max(0, Math.floor(milliseconds / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}

/** Time left before a retry, rounded up so the key never shows "0" while still waiting. */
export function formatCountdown(milliseconds: number): string {
  const seconds = Math.ceil(milliseconds / 1000);
  if (seconds <= 0) return "now";
  return seconds < 60 ? `in ${seconds} s` : `in ${formatDuration(seconds * 1000)}`;
}

function destinationLook(view: DestinationView | undefined, options: DestinationKeyOptions): KeyLook {
  const badge = view ? platformBadge(view.platform, view.name) : { short: "?", color: "#555555" };
  const name = view?.name ?? "Unknown destination";
  if (!options.reachable) return offlineLook(name, badge.short);
  if (!view) {
    return {
      title: "Unknown destination",
      background: DARK,
      badge: { text: "?", color: "#555555" },
      label: { text: "NOT SET", color: GREY },
      details: ["choose a", "destination"],
      detailColor: GREY,
    };
  }
  const look = stateLook(view, options.now);
  return {
    ...look,
    title: [`${name}: ${view.state}`, ...look.details].join(", "),
    badge: { text: badge.short, color: badge.color, dim: view.state === "off" },
  };
}

function stateLook(view: DestinationView, now: number): Omit<KeyLook, "title" | "badge"> {
  const since = view.since === null ? Number.NaN : Date.parse(view.since);
  const looks: Record<RelayState, () => Omit<KeyLook, "title" | "badge">> = {
    off: () => ({ background: DARK, label: { text: "OFF", color: GREY }, details: [], detailColor: GREY }),
    waiting: () => ({
      background: "#262014",
      label: { text: "ARMED", color: AMBER },
      details: ["waiting", "for OBS"],
      detailColor: "#d9c08c",
      frame: { color: AMBER, dashed: true },
    }),
    starting: () => ({
      background: "#2b2410",
      label: { text: "STARTING", color: "#ffd54a" },
      details: ["connecting"],
      detailColor: "#e0cf9a",
      frame: { color: "#ffd54a" },
    }),
    live: () => ({
      background: LIVE_BACKGROUND,
      label: { text: "LIVE", color: WHITE },
      details: [
        ...(view.bitrateKbps > 0 ? [formatBitrate(view.bitrateKbps)] : []),
        ...(Number.isNaN(since) ? [] : [formatDuration(now - since)]),
      ],
      detailColor: WHITE,
      liveDot: true,
    }),
    holding: () => ({
      background: "#1f1633",
      label: { text: "HOLDING", color: "#c9a7ff" },
      details: ["OBS lost", view.holdUntil ? formatDuration(Math.max(0, Math.ceil((Date.parse(view.holdUntil) - now) / 1000) * 1000)) : "stand-in"],
      detailColor: "#dccbff",
      frame: { color: "#c9a7ff", dashed: true },
    }),
    retrying: () => ({
      background: "#33200a",
      label: { text: "RETRY", color: ORANGE },
      details: [view.retryAt ? formatCountdown(Date.parse(view.retryAt) - now) : "soon", "hold: now"],
      detailColor: "#ffc58a",
      frame: { color: ORANGE, dashed: true },
    }),
    failed: () => ({
      background: "#2e0707",
      label: { text: "FAILED", color: RED_TEXT },
      details: ["hold: retry"],
      detailColor: "#ffb3b3",
      frame: { color: RED_TEXT },
    }),
    stopping: () => ({ background: DARK, label: { text: "STOPPING", color: "#c8c8c8" }, details: [], detailColor: GREY }),
  };
  return (looks[view.state] ?? looks.off)();
}

function ingestLook(ingest: IngestView | undefined, reachable: boolean, obs?: ObsView): KeyLook {
  if (!reachable || !ingest) return offlineLook("OBS into Relay", "OBS");
  const badge = { text: "OBS", color: "#3d3d3d" };
  if (obs?.connected && obs.reconnecting) {
    return {
      title: "OBS into Relay: OBS is reconnecting",
      background: DARK,
      badge,
      label: { text: "RECONN", color: AMBER },
      details: ["OBS retries"],
      detailColor: AMBER,
      frame: { color: AMBER, dashed: true },
    };
  }
  if (obs?.connected && !ingest.live) {
    const streamingElsewhere = obs.streaming && obs.outputState === "started";
    return {
      title: streamingElsewhere ? "OBS streams, but not into Relay" : `OBS into Relay: OBS ${obs.outputState === "starting" ? "starting" : "ready, not streaming"}`,
      background: DARK,
      badge,
      label: streamingElsewhere ? { text: "OBS LIVE", color: AMBER } : { text: obs.outputState === "starting" ? "START…" : "READY", color: WHITE },
      details: streamingElsewhere ? ["not to Relay"] : ["not sending"],
      detailColor: streamingElsewhere ? AMBER : GREY,
    };
  }
  if (!ingest.live) {
    return {
      title: "OBS into Relay: not sending",
      background: DARK,
      badge,
      label: { text: "NO OBS", color: GREY },
      details: ["not sending"],
      detailColor: GREY,
    };
  }
  const video = ingest.video ? [`${ingest.video.width}×${ingest.video.height}`] : [];
  const details = [formatBitrate(ingest.bitrateKbps), ...video];
  return {
    title: ["OBS into Relay: live", ...details].join(", "),
    background: "#0f6b2f",
    badge,
    label: { text: "INPUT", color: WHITE },
    details,
    detailColor: WHITE,
    liveDot: true,
  };
}

function groupLook(views: readonly DestinationView[], reachable: boolean, label: string): KeyLook {
  const badge = { text: label, color: "#5b3fd1" };
  if (!reachable) return offlineLook(`${label} destinations`, label);
  const total = views.length;
  const enabled = views.filter((view) => view.enabled).length;
  const live = views.filter((view) => view.state === "live").length;
  const troubled = views.filter((view) => view.state === "retrying" || view.state === "failed").length;
  const trouble = troubled > 0 ? [`${troubled} failing`] : [];
  const base = { badge, title: "" };
  let look: KeyLook;
  if (total === 0) {
    look = { ...base, background: DARK, label: { text: "NONE", color: GREY }, details: ["no", "destinations"], detailColor: GREY };
  } else if (live > 0) {
    look = { ...base, background: LIVE_BACKGROUND, label: { text: "LIVE", color: WHITE }, details: [`${live} of ${total}`, ...trouble], detailColor: WHITE, liveDot: true };
  } else if (enabled > 0) {
    look = { ...base, background: "#262014", label: { text: "ARMED", color: AMBER }, details: [`${enabled} of ${total} on`, ...trouble], detailColor: "#d9c08c", frame: { color: AMBER, dashed: true } };
  } else {
    look = { ...base, background: DARK, label: { text: "OFF", color: GREY }, details: [`${total} dest.`], detailColor: GREY };
  }
  if (troubled > 0) look.frame = { color: ORANGE };
  look.title = [`${label} destinations: ${look.label.text.toLowerCase()}`, ...look.details].join(", ");
  return look;
}

function offlineLook(name: string, short: string): KeyLook {
  return {
    title: `${name}: bridge offline`,
    background: "#000000",
    badge: { text: short, color: "#4a4a4a" },
    label: { text: "OFFLINE", color: "#9e9e9e" },
    details: ["no bridge"],
    detailColor: "#757575",
    frame: { color: "#5a5a5a", dashed: true },
  };
}

function toSvg(look: KeyLook, size = VIEW): string {
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${VIEW} ${VIEW}">`,
    `<title>${escapeXml(look.title)}</title>`,
    `<rect x="0" y="0" width="${VIEW}" height="${VIEW}" fill="${look.background}"/>`,
  ];
  if (look.frame) {
    const dash = look.frame.dashed ? ` stroke-dasharray="6 4"` : "";
    parts.push(`<rect x="2" y="2" width="68" height="68" rx="6" fill="none" stroke="${look.frame.color}" stroke-width="3"${dash}/>`);
  }
  parts.push(...badgeSvg(look.badge));
  parts.push(...labelSvg(look.label, look.liveDot === true, look.details.length));
  look.details.slice(0, 2).forEach((detail, index) => {
    const y = look.details.length === 1 ? 60 : 54 + index * 11;
    parts.push(textSvg(detail, { y, fontSize: fitFontSize(detail, 60, 10, 7), color: look.detailColor, bold: false }));
  });
  parts.push("</svg>");
  return parts.join("");
}

function badgeSvg(badge: KeyLook["badge"]): string[] {
  const opacity = badge.dim ? ` fill-opacity="0.4"` : "";
  const textColor = badge.dim ? "#b0b0b0" : contrastText(badge.color);
  return [
    `<rect x="7" y="6" width="58" height="20" rx="5" fill="${badge.color}"${opacity} stroke="#000000" stroke-opacity="0.35" stroke-width="1"/>`,
    textSvg(badge.text, { y: 21, fontSize: fitFontSize(badge.text, 52, 14, 8), color: textColor, bold: true }),
  ];
}

function labelSvg(label: KeyLook["label"], liveDot: boolean, detailCount: number): string[] {
  const y = detailCount >= 2 ? 43 : 45;
  const fontSize = fitFontSize(label.text, liveDot ? 50 : 62, 15, 9);
  const text = textSvg(label.text, { y, fontSize, color: label.color, bold: true, x: liveDot ? 41 : 36 });
  if (!liveDot) return [text];
  const left = 41 - estimateTextWidth(label.text, fontSize) / 2 - 7;
  return [`<circle cx="${round(left)}" cy="${round(y - fontSize * 0.36)}" r="4" fill="${label.color}"/>`, text];
}

function textSvg(text: string, style: { y: number; fontSize: number; color: string; bold: boolean; x?: number }): string {
  const weight = style.bold ? ` font-weight="bold"` : "";
  return (
    `<text x="${style.x ?? 36}" y="${style.y}" text-anchor="middle" font-family="${KEY_FONT_FAMILY}"` +
    ` font-size="${style.fontSize}"${weight} fill="${style.color}">${escapeXml(text)}</text>`
  );
}

/** Largest font size (down to `min`) at which `text` fits `maxWidth`, by the estimate below. */
export function fitFontSize(text: string, maxWidth: number, preferred: number, min: number): number {
  let size = preferred;
  while (size > min && estimateTextWidth(text, size) > maxWidth) size -= 0.5;
  return size;
}

/**
 * Width of `text` in a bold sans at `fontSize`, erring wide: the widest candidate font (DejaVu Sans
 * Bold) sets the per-character factors, so the text fits whichever font the host picks.
 */
export function estimateTextWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const char of text) {
    if (/[ .,:;'!|ijl]/.test(char)) em += 0.38;
    else if (/[MW@%]/.test(char)) em += 1.1;
    else if (/[mw]/.test(char)) em += 1.05;
    else if (/[A-Z0-9#&?]/.test(char)) em += 0.8;
    else if (/[a-z]/.test(char)) em += 0.68;
    else if (/[×\-/()]/.test(char)) em += 0.84;
    else em += 0.9;
  }
  return em * fontSize;
}

function contrastText(hex: string): string {
  const value = Number.parseInt(hex.slice(1), 16);
  if (!/^#[0-9a-f]{6}$/i.test(hex) || Number.isNaN(value)) return WHITE;
  const channel = (shift: number) => {
    const c = ((value >> shift) & 255) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0);
  return luminance > 0.4 ? "#111111" : WHITE;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
