// Key images: one SVG per key, for the Stream Deck plugin, the status page and Companion's key routes.
// Pure (no Node or DOM APIs) so every consumer bundles the very same pictures.
//
// The Stream Deck app draws SVG with Qt's SVG Tiny renderer, so the markup keeps to Tiny's subset:
// presentation attributes only (no CSS, no filters, masks or dominant-baseline), text placed by its
// baseline, widths estimated here instead of measured.

import type { DestinationView, IngestView, ObsView, RelayState } from "../contract/api.js";
import { codecLabel, formatBitrate, formatCountdown, formatDuration } from "./format.js";
import { t, type Lang } from "./i18n/translate.js";
import { platformBadge } from "../contract/platforms.js";

// The keys' figures read as on the page; kept importable from here.
export { formatBitrate, formatCountdown, formatDuration } from "./format.js";

/** Fonts present on Windows, macOS and Debian, in that order of preference. */
export const KEY_FONT_FAMILY = "'Segoe UI', Helvetica, Arial, 'DejaVu Sans', sans-serif";

export interface DestinationKeyOptions {
  /** Epoch milliseconds: uptime and countdowns are computed against it. */
  now: number;
  /** False when the bridge cannot be reached: the key says so instead of a stale state. */
  reachable: boolean;
  /** Pixel size of the square image: 72 (default) or 144. */
  size?: number;
  /** The streamer's language for the words on the key (default English). */
  lang?: Lang;
}

export interface IngestKeyOptions {
  reachable: boolean;
  size?: number;
  /** OBS's own state, when the bridge is linked to OBS: the key then says what OBS is doing. */
  obs?: ObsView;
  lang?: Lang;
}

/** How one key looks, before it becomes SVG. */
interface KeyLook {
  title: string;
  background: string;
  badge: { text: string; color: string; dim?: boolean };
  label: { text: string; color: string };
  details: string[];
  /** What the title says for the details, when the key had to split or tighten them. */
  spokenDetails?: string[];
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
  return toSvg(destinationLook(view, options, options.lang ?? "en"), options.size);
}

/** The image of the ingest key: whether OBS is sending into Relay, with bitrate and resolution. */
export function renderIngestKey(ingest: IngestView | undefined, options: IngestKeyOptions): string {
  return toSvg(ingestLook(ingest, options.reachable, options.lang ?? "en", options.obs), options.size);
}

/** The image of a key acting on several destinations: how many of them are on and live. */
export function renderGroupKey(
  views: readonly DestinationView[],
  options: { reachable: boolean; size?: number; label?: string; lang?: Lang },
): string {
  const lang = options.lang ?? "en";
  return toSvg(groupLook(views, options.reachable, options.label ?? t(lang, "key.group.all"), lang), options.size);
}

/** True when a destination key's picture changes with the clock (uptime or countdown). */
export function destinationKeyTicks(view: DestinationView | undefined, reachable: boolean): boolean {
  return reachable && view !== undefined && ((view.state === "live" && sessionStart(view) !== null) || view.state === "retrying");
}

function destinationLook(view: DestinationView | undefined, options: DestinationKeyOptions, lang: Lang): KeyLook {
  const badge = view ? platformBadge(view.platform, view.name) : { short: "?", color: "#555555" };
  const name = view?.name ?? t(lang, "key.title.unknown");
  if (!options.reachable) return offlineLook(name, badge.short, lang);
  if (!view) {
    return {
      title: t(lang, "key.title.unknown"),
      background: DARK,
      badge: { text: "?", color: "#555555" },
      label: { text: t(lang, "key.notSet"), color: GREY },
      details: [t(lang, "key.notSet.detail1"), t(lang, "key.notSet.detail2")],
      detailColor: GREY,
    };
  }
  const look = { ...stateLook(view, options.now, lang), ...codecLook(view, lang) };
  const state = t(lang, `key.title.state.${view.state in STATE_COLORS ? view.state : "off"}`);
  return {
    ...look,
    title: [t(lang, "key.title.destination", { name, state }), ...(look.spokenDetails ?? look.details)].join(", "),
    badge: { text: badge.short, color: badge.color, dim: view.state === "off" },
  };
}

/** A codec the platform does not take, or this ffmpeg cannot read: said on the key instead of its figures. */
function codecLook(view: DestinationView, lang: Lang): Partial<KeyLook> {
  if ((view.warningCode !== "codec_not_accepted" && view.warningCode !== "codec_unreadable") || !view.warningCodec) return {};
  const details = [codecLabel(view.warningCodec), t(lang, view.warningCode === "codec_unreadable" ? "key.codec.unreadable" : "key.codec.notAccepted")];
  return { details, spokenDetails: details, detailColor: ORANGE };
}

/** The label colour of each state, which also tells the states apart. */
const STATE_COLORS: Record<RelayState, string> = {
  off: GREY,
  waiting: AMBER,
  starting: "#ffd54a",
  live: WHITE,
  holding: "#c9a7ff",
  retrying: ORANGE,
  failed: RED_TEXT,
  stopping: "#c8c8c8",
};

/** When the platform's session began: it goes on through a hold, so the uptime does too. */
function sessionStart(view: Pick<DestinationView, "since" | "sessionSince">): string | null {
  return view.sessionSince ?? view.since;
}

function stateLook(view: DestinationView, now: number, lang: Lang): Omit<KeyLook, "title" | "badge"> {
  const start = sessionStart(view);
  const since = start === null ? Number.NaN : Date.parse(start);
  const label = (state: RelayState) => ({ text: t(lang, `key.state.${state}`), color: STATE_COLORS[state] });
  const looks: Record<RelayState, () => Omit<KeyLook, "title" | "badge">> = {
    // A destination with its own quality says it ("720p · 3M") where the key has room for it.
    off: () => ({
      background: DARK,
      label: label("off"),
      details: view.encodeLabel ? qualityLines(view.encodeLabel, 2) : [],
      spokenDetails: view.encodeLabel ? [view.encodeLabel] : [],
      detailColor: GREY,
    }),
    // A destination that gave way to a full uplink waits for room, not for OBS.
    waiting: () => ({
      background: "#262014",
      label: label("waiting"),
      details: view.gaveWay === "paused" ? [t(lang, "key.uplinkFull.detail1"), t(lang, "key.uplinkFull.detail2")] : [t(lang, "key.waiting.detail1"), t(lang, "key.waiting.detail2")],
      detailColor: "#d9c08c",
      frame: { color: AMBER, dashed: true },
    }),
    starting: () => ({
      background: "#2b2410",
      label: label("starting"),
      details: [t(lang, "key.starting.detail")],
      detailColor: "#e0cf9a",
      frame: { color: "#ffd54a" },
    }),
    live: () => {
      const uptime = Number.isNaN(since) ? [] : [formatDuration(now - since)];
      const bitrate = view.bitrateKbps > 0 ? [formatBitrate(view.bitrateKbps, lang)] : [];
      return {
        background: LIVE_BACKGROUND,
        label: label("live"),
        details: [...(view.encodeLabel ? qualityLines(view.encodeLabel, 1) : bitrate), ...uptime],
        spokenDetails: [...(view.encodeLabel ? [view.encodeLabel] : bitrate), ...uptime],
        detailColor: WHITE,
        liveDot: true,
      };
    },
    holding: () => ({
      background: "#1f1633",
      label: label("holding"),
      details: [
        t(lang, "key.holding.detail"),
        view.holdUntil ? formatDuration(Math.max(0, Math.ceil((Date.parse(view.holdUntil) - now) / 1000) * 1000)) : t(lang, "key.holding.standIn"),
      ],
      detailColor: "#dccbff",
      frame: { color: "#c9a7ff", dashed: true },
    }),
    retrying: () => ({
      background: "#33200a",
      label: label("retrying"),
      details: [view.retryAt ? formatCountdown(Date.parse(view.retryAt) - now, lang) : t(lang, "key.retrying.soon"), t(lang, "key.retrying.hold")],
      detailColor: "#ffc58a",
      frame: { color: ORANGE, dashed: true },
    }),
    failed: () => ({
      background: "#2e0707",
      label: label("failed"),
      details: [t(lang, "key.failed.hold")],
      detailColor: "#ffb3b3",
      frame: { color: RED_TEXT },
    }),
    stopping: () => ({ background: DARK, label: label("stopping"), details: [], detailColor: GREY }),
  };
  return (looks[view.state] ?? looks.off)();
}

function ingestLook(ingest: IngestView | undefined, reachable: boolean, lang: Lang, obs?: ObsView): KeyLook {
  if (!reachable || !ingest) return offlineLook(t(lang, "key.title.ingest"), "OBS", lang);
  const badge = { text: "OBS", color: "#3d3d3d" };
  if (obs?.connected && obs.reconnecting) {
    return {
      title: t(lang, "key.title.ingest.reconnecting"),
      background: DARK,
      badge,
      label: { text: t(lang, "key.ingest.reconnecting"), color: AMBER },
      details: [t(lang, "key.ingest.reconnecting.detail")],
      detailColor: AMBER,
      frame: { color: AMBER, dashed: true },
    };
  }
  if (obs?.connected && !ingest.live) {
    const streamingElsewhere = obs.streaming && obs.outputState === "started";
    const starting = obs.outputState === "starting";
    return {
      title: t(lang, streamingElsewhere ? "key.title.ingest.elsewhere" : starting ? "key.title.ingest.starting" : "key.title.ingest.ready"),
      background: DARK,
      badge,
      label: streamingElsewhere
        ? { text: t(lang, "key.ingest.elsewhere"), color: AMBER }
        : { text: t(lang, starting ? "key.ingest.starting" : "key.ingest.ready"), color: WHITE },
      details: [t(lang, streamingElsewhere ? "key.ingest.elsewhere.detail" : "key.ingest.notSending")],
      detailColor: streamingElsewhere ? AMBER : GREY,
    };
  }
  if (!ingest.live) {
    return {
      title: t(lang, "key.title.ingest.notSending"),
      background: DARK,
      badge,
      label: { text: t(lang, "key.ingest.noObs"), color: GREY },
      details: [t(lang, "key.ingest.notSending")],
      detailColor: GREY,
    };
  }
  const video = ingest.video ? [`${ingest.video.width}×${ingest.video.height}`] : [];
  const details = [formatBitrate(ingest.bitrateKbps, lang), ...video];
  return {
    title: [t(lang, "key.title.ingest.live"), ...details].join(", "),
    background: "#0f6b2f",
    badge,
    label: { text: t(lang, "key.ingest.input"), color: WHITE },
    details,
    detailColor: WHITE,
    liveDot: true,
  };
}

function groupLook(views: readonly DestinationView[], reachable: boolean, label: string, lang: Lang): KeyLook {
  const badge = { text: label, color: "#5b3fd1" };
  if (!reachable) return offlineLook(t(lang, "key.title.group", { label }), label, lang);
  const total = views.length;
  const enabled = views.filter((view) => view.enabled).length;
  const live = views.filter((view) => view.state === "live").length;
  const troubled = views.filter((view) => view.state === "retrying" || view.state === "failed").length;
  const trouble = troubled > 0 ? [t(lang, "key.group.failing", { count: troubled })] : [];
  const base = { badge, title: "" };
  let look: KeyLook;
  let state: "none" | "live" | "armed" | "off";
  if (total === 0) {
    state = "none";
    look = { ...base, background: DARK, label: { text: t(lang, "key.group.none"), color: GREY }, details: [t(lang, "key.group.none.detail1"), t(lang, "key.group.none.detail2")], detailColor: GREY };
  } else if (live > 0) {
    state = "live";
    look = { ...base, background: LIVE_BACKGROUND, label: { text: t(lang, "key.state.live"), color: WHITE }, details: [t(lang, "key.group.liveOf", { live, total }), ...trouble], detailColor: WHITE, liveDot: true };
  } else if (enabled > 0) {
    state = "armed";
    look = { ...base, background: "#262014", label: { text: t(lang, "key.state.waiting"), color: AMBER }, details: [t(lang, "key.group.onOf", { enabled, total }), ...trouble], detailColor: "#d9c08c", frame: { color: AMBER, dashed: true } };
  } else {
    state = "off";
    look = { ...base, background: DARK, label: { text: t(lang, "key.state.off"), color: GREY }, details: [t(lang, "key.group.count", { total })], detailColor: GREY };
  }
  if (troubled > 0) look.frame = { color: ORANGE };
  look.title = [t(lang, "key.title.group.state", { label, state: t(lang, `key.title.group.${state}`) }), ...look.details].join(", ");
  return look;
}

function offlineLook(name: string, short: string, lang: Lang): KeyLook {
  return {
    title: t(lang, "key.title.offline", { name }),
    background: "#000000",
    badge: { text: short, color: "#4a4a4a" },
    label: { text: t(lang, "key.offline"), color: "#9e9e9e" },
    details: [t(lang, "key.offline.detail")],
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
    parts.push(textSvg(detail, { y, fontSize: fitFontSize(detail, DETAIL_WIDTH, 10, DETAIL_MIN, { bold: false }), color: look.detailColor, bold: false }));
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

/** Width and smallest readable size of a detail line (under the state). */
const DETAIL_WIDTH = 60;
const DETAIL_MIN = 7;

/**
 * A quality label ("9:16 · 1080p60 · 4.5M") on at most `lines` detail lines: whole when it fits at a
 * readable size, else split between two lines at a " · ", else tightened to "1080p60·4.5M".
 */
export function qualityLines(label: string, lines: 1 | 2): string[] {
  const fits = (text: string) => estimateTextWidth(text, DETAIL_MIN, { bold: false }) <= DETAIL_WIDTH;
  if (fits(label)) return [label];
  const parts = label.split(" · ");
  if (lines === 2 && parts.length > 1) {
    const cut = Math.ceil(parts.length / 2);
    return [parts.slice(0, cut).join(" · "), parts.slice(cut).join(" · ")];
  }
  return [parts.join("·")];
}

/** DejaVu Sans's advances over DejaVu Sans Bold's (digits 636/696, "a" 613/675, space 318/348). */
const REGULAR_TO_BOLD = 0.91;

/** Largest font size (down to `min`) at which `text` fits `maxWidth`, by the estimate below. */
export function fitFontSize(text: string, maxWidth: number, preferred: number, min: number, weight: { bold: boolean } = { bold: true }): number {
  let size = preferred;
  while (size > min && estimateTextWidth(text, size, weight) > maxWidth) size -= 0.5;
  return size;
}

/**
 * Width of `text` in a bold sans at `fontSize`, erring wide: the widest candidate font (DejaVu Sans
 * Bold) sets the per-character factors, so the text fits whichever font the host picks. Regular text
 * (`bold: false`) is DejaVu Sans's ratio narrower (its advances are about 0.91 of the bold's).
 */
export function estimateTextWidth(text: string, fontSize: number, weight: { bold: boolean } = { bold: true }): number {
  let em = 0;
  for (const char of text) {
    if (/[ .,:;'!|ijl·]/.test(char)) em += 0.38;
    else if (/[MW@%]/.test(char)) em += 1.1;
    else if (/[mw]/.test(char)) em += 1.05;
    else if (/[A-Z0-9#&?]/.test(char)) em += 0.8;
    else if (/[a-z]/.test(char)) em += 0.68;
    else if (/[×\-/()]/.test(char)) em += 0.84;
    else em += 0.9;
  }
  return em * fontSize * (weight.bold ? 1 : REGULAR_TO_BOLD);
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

/** Text safe inside an SVG element or attribute, whatever a hand edit put in it. */
export function escapeXml(text: string): string {
  // Characters XML 1.0 cannot hold at all (C0 controls but tab/newline/CR, lone surrogates,
  // U+FFFE/U+FFFF) are dropped: a hand-edited name must never make an image fail.
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "")
    .replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
