// What the status page says of states, OBS and keyframes, in the page's language. Pure: the page's
// modules put these sentences in the DOM.

import type { DestinationView, ObsView, RelayState, ServiceState } from "../contract/api.js";
import { codecLabel, formatBitrate } from "../presentation/format.js";
import { findPlatform } from "../contract/platforms.js";
import { CATALOGUES, decimal, t, type Lang, type MessageId } from "../presentation/i18n/translate.js";

/** Platforms ask for a keyframe every 2 s; over 4 s they complain and viewers wait to join. */
export const KEYFRAME_WARN_SECONDS = 4;

/** The measured keyframe interval, and a warning when it is too long. */
export function describeKeyframes(seconds: number | undefined, obsOutputMode?: "Simple" | "Advanced", lang: Lang = "en"): { text: string; warn: boolean } | null {
  if (seconds === undefined || seconds <= 0) return null;
  const interval = `${Number.isInteger(seconds) ? seconds : decimal(lang, seconds.toFixed(1))} s`;
  if (seconds > KEYFRAME_WARN_SECONDS) {
    const where = t(lang, obsOutputMode === "Advanced" ? "page.keyframes.advanced" : obsOutputMode === "Simple" ? "page.keyframes.simple" : "page.keyframes.unknown");
    return { text: t(lang, "page.keyframes.warn", { interval, where }), warn: true };
  }
  return { text: t(lang, "page.keyframes", { interval }), warn: false };
}

/** The word a state badge shows: the same word as on the keys, so every surface agrees. */
export function stateLabel(state: RelayState, lang: Lang = "en"): string {
  return t(lang, `key.state.${state}`);
}

/** The word a service's state reads as (an unknown state is shown as the bridge names it). */
export function serviceStateLabel(state: ServiceState, lang: Lang = "en"): string {
  const known: readonly ServiceState[] = ["stopped", "starting", "running", "restarting", "missing", "failed", "ready"];
  return known.includes(state) ? t(lang, `page.services.state.${state}`) : state;
}

/** One sentence saying what a state means for the streamer. */
export function describeState(state: RelayState, retryInSeconds: number | null, holdSeconds: number | null = null, lang: Lang = "en"): string {
  switch (state) {
    case "holding":
      return holdSeconds === null ? t(lang, "page.state.holding") : t(lang, "page.state.holdingFor", { seconds: holdSeconds });
    case "retrying":
      return retryInSeconds === null ? t(lang, "page.state.retrying") : t(lang, "page.state.retryingIn", { seconds: retryInSeconds });
    default:
      return t(lang, `page.state.${state}`);
  }
}

/** OBS's line on the page: connected or not, streaming, reconnecting, and what a streamer acts on. */
export function describeObs(obs: ObsView | undefined, lang: Lang = "en"): { state: "off" | "down" | "idle" | "live" | "reconnecting"; text: string; detail: string } {
  if (!obs || !obs.configured) return { state: "off", text: t(lang, "page.obs.notLinked"), detail: "" };
  if (!obs.connected) return { state: "down", text: t(lang, "page.obs.notConnected"), detail: obs.error ?? "" };
  const setup = obs.pointsAtRelay === false ? t(lang, "page.obs.elsewhere") : "";
  if (obs.reconnecting) return { state: "reconnecting", text: t(lang, "page.obs.reconnecting"), detail: setup };
  if (!obs.streaming) {
    const word = obs.outputState === "starting" ? "page.obs.starting" : obs.outputState === "stopping" ? "page.obs.stopping" : "page.obs.idle";
    return { state: "idle", text: t(lang, word), detail: setup };
  }
  const dropped =
    obs.totalFrames > 0
      ? t(lang, "page.obs.dropped", { skipped: obs.skippedFrames, total: obs.totalFrames, percent: decimal(lang, ((obs.skippedFrames / obs.totalFrames) * 100).toFixed(1)) })
      : "";
  const congestion = obs.congestion > 0.1 ? t(lang, "page.obs.congestion", { percent: Math.round(obs.congestion * 100) }) : "";
  return { state: "live", text: `${t(lang, "page.obs.streaming", { bitrate: formatBitrate(obs.bitrateKbps, lang) })}${congestion}${dropped}`, detail: setup };
}

/** A destination's warning in the page's language: by its code when the page knows it, else the bridge's words. */
export function warningText(view: Pick<DestinationView, "warning" | "warningCode" | "warningFigures" | "warningCodec" | "platform" | "encode">, lang: Lang): string {
  if (!view.warning) return "";
  if (view.warningCode === "over_platform_limit") {
    const preset = findPlatform(view.platform);
    if (!preset?.limits || !view.warningFigures) return view.warning;
    const limits = preset.limits;
    const figure = (what: "bitrate" | "height" | "fps", value: number) => t(lang, `page.figure.${what}`, { value: what === "bitrate" ? groupDigits(value, lang) : value });
    const sent = (one: { what: "bitrate" | "height" | "fps" | "landscape"; sent: number; max: number }) =>
      one.what === "landscape" ? t(lang, "page.figure.landscape", { width: one.sent, height: one.max }) : figure(one.what, one.sent);
    const shown = [figure("bitrate", limits.maxVideoKbps), figure("height", limits.maxHeight), figure("fps", limits.maxFps)];
    if (limits.vertical) shown.push(t(lang, "page.figure.vertical"));
    // A destination that has its own quality already is told to change it, not to get one.
    return t(lang, view.encode ? "page.card.warning.over_platform_limit.own" : "page.card.warning.over_platform_limit", {
      platform: preset.name,
      limits: shown.join(", "),
      sent: view.warningFigures.map(sent).join(", "),
    });
  }
  if ((view.warningCode === "codec_not_accepted" || view.warningCode === "codec_unreadable") && view.warningCodec) {
    return t(lang, `page.card.warning.${view.warningCode}`, { codec: codecLabel(view.warningCodec), platform: findPlatform(view.platform)?.name ?? "" });
  }
  const id = `page.card.warning.${view.warningCode ?? ""}`;
  return id in CATALOGUES[lang] ? t(lang, id as MessageId) : view.warning;
}

/** 6000 as the language writes it (6000 in English, 6 000 in French). */
function groupDigits(value: number, lang: Lang): string {
  return lang === "fr" ? String(value).replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f") : String(value);
}

/**
 * A platform badge's colours with text readable at 4.5:1 at least (WCAG AA): white on the brand
 * colour darkened a little, or black on the brand colour itself when it is too light for white (Kick).
 */
export function badgeColors(hex: string): { background: string; text: string } {
  const rgb = /^#([0-9a-f]{6})$/i.exec(hex) ? [0, 2, 4].map((at) => parseInt(hex.slice(1 + at, 3 + at), 16)) : [96, 125, 139];
  const darker = rgb.map((channel) => Math.round(channel * 0.72));
  if (contrast(darker, [255, 255, 255]) >= 4.5) return { background: toHex(darker), text: "#ffffff" };
  return { background: toHex(rgb), text: "#000000" };
}

function luminance(rgb: readonly number[]): number {
  const [r, g, b] = rgb.map((channel) => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** The contrast ratio of two colours (1 to 21). */
export function contrast(a: readonly number[], b: readonly number[]): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

function toHex(rgb: readonly number[]): string {
  return `#${rgb.map((channel) => channel.toString(16).padStart(2, "0")).join("")}`;
}
