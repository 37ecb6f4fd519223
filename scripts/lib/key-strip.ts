// A picture of the Stream Deck keys in every state, drawn by the plugin's own key renderer: one
// destination key per state, side by side with its name underneath, as one SVG.

import type { DestinationView, RelayState } from "../../contract/api.js";
import { renderDestinationKey, KEY_FONT_FAMILY } from "../../presentation/key-image.js";

export interface StripKey {
  caption: string;
  /** The state shown; undefined for "bridge offline". */
  state?: RelayState;
}

/** The states a streamer meets, in the order a destination goes through them. */
export const STRIP_KEYS: readonly StripKey[] = [
  { caption: "off", state: "off" },
  { caption: "waiting for OBS", state: "waiting" },
  { caption: "starting", state: "starting" },
  { caption: "live", state: "live" },
  { caption: "retrying", state: "retrying" },
  { caption: "failed", state: "failed" },
  { caption: "bridge offline" },
];

/** A YouTube destination in `state` as the bridge would report it at `now`. */
export function sampleDestination(state: RelayState, now: number): DestinationView {
  const live = state === "live";
  return {
    id: "youtube",
    name: "YouTube",
    url: "rtmp://a.rtmp.youtube.com/live2",
    hasKey: true,
    enabled: state !== "off",
    state,
    since: new Date(now - (live ? 754_000 : 3_000)).toISOString(),
    bitrateKbps: live ? 6_020 : 0,
    fps: live ? 30 : 0,
    restarts: state === "retrying" || state === "failed" ? 3 : 0,
    lastError: state === "retrying" || state === "failed" ? "Connection refused" : null,
    ...(state === "retrying" ? { retryAt: new Date(now + 8_000).toISOString() } : {}),
    transport: "direct",
    platform: "youtube",
  };
}

/** The strip as SVG: keys of `keySize` px with rounded corners on a dark panel, captions below. */
export function renderKeyStrip({ now, keySize = 144, keys = STRIP_KEYS }: { now: number; keySize?: number; keys?: readonly StripKey[] }): string {
  const gap = Math.round(keySize / 6);
  const captionHeight = Math.round(keySize / 4);
  const width = gap + keys.length * (keySize + gap);
  const height = gap + keySize + captionHeight + gap / 2;
  const radius = Math.round(keySize / 9);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" rx="${radius}" fill="#2a2a2a"/>`,
  ];
  keys.forEach((key, index) => {
    const x = gap + index * (keySize + gap);
    // Offline, the plugin still knows which platform the key is for, from the last status it had.
    const image = renderDestinationKey(sampleDestination(key.state ?? "live", now), {
      now,
      reachable: key.state !== undefined,
      size: keySize,
    });
    parts.push(
      `<clipPath id="key-${index}"><rect x="${x}" y="${gap}" width="${keySize}" height="${keySize}" rx="${radius}"/></clipPath>`,
      `<g clip-path="url(#key-${index})">${image.replace("<svg ", `<svg x="${x}" y="${gap}" `)}</g>`,
      `<text x="${x + keySize / 2}" y="${gap + keySize + captionHeight * 0.75}" text-anchor="middle" font-family="${KEY_FONT_FAMILY}"` +
        ` font-size="${Math.round(keySize / 8)}" fill="#d0d0d0">${key.caption}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("");
}
