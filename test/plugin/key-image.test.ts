// The key renderer: every state has its own look, the figures it shows are right, text fits the key
// in the widest of the fonts it may get (DejaVu Sans, rendered for real by resvg), and the markup
// stays inside what the Stream Deck app's SVG renderer understands.

import { Resvg } from "@resvg/resvg-js";
import fc from "fast-check";
import { initialObsState, obsConnected } from "../../bridge/obs/obs-state.js";
import { describe, expect, it } from "vitest";
import { RELAY_STATES, type DestinationView, type IngestView, type RelayState } from "../../contract/api.js";
import {
  destinationKeyTicks,
  formatBitrate,
  formatCountdown,
  formatDuration,
  qualityLines,
  renderDestinationKey,
  renderGroupKey,
  renderIngestKey,
} from "../../presentation/key-image.js";
import { LANGUAGES, type Lang } from "../../presentation/i18n/translate.js";
import { imageTitle } from "../../rig/stream-deck-host.js";

const NOW = Date.parse("2025-06-01T20:00:00Z");

function view(state: RelayState, extra: Partial<DestinationView> = {}): DestinationView {
  return {
    id: "yt",
    name: "YouTube",
    url: "rtmp://a.rtmp.youtube.com/live2",
    hasKey: true,
    enabled: state !== "off",
    state,
    since: new Date(NOW - 3_723_000).toISOString(),
    bitrateKbps: state === "live" ? 6_234 : 0,
    fps: state === "live" ? 60 : 0,
    restarts: 0,
    lastError: null,
    transport: "direct",
    platform: "youtube",
    ...(state === "retrying" ? { retryAt: new Date(NOW + 12_300).toISOString() } : {}),
    ...extra,
  };
}

const LIVE_INGEST: IngestView = {
  live: true,
  name: "obs",
  since: new Date(NOW - 60_000).toISOString(),
  bitrateKbps: 6_000,
  video: { codec: "h264", width: 1920, height: 1080, fps: 60 },
  audio: { codec: "aac" },
};

function png(svg: string): Buffer {
  return new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } }).render().asPng();
}

/** Horizontal extent of each text element, drawn alone with real fonts. */
function textExtents(svg: string): Array<{ text: string; left: number; right: number }> {
  return [...svg.matchAll(/<text [^>]*>(.*?)<\/text>/g)].map((match) => {
    const alone = `<svg xmlns="http://www.w3.org/2000/svg" width="72" height="72" viewBox="0 0 72 72">${match[0]}</svg>`;
    const box = new Resvg(alone, { font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } }).innerBBox();
    if (!box || box.width <= 0) throw new Error(`"${match[1]}" drew nothing: no font found`);
    return { text: match[1]!, left: box.x, right: box.x + box.width };
  });
}

const everyLook = (lang: Lang = "en"): Array<[string, string]> => [
  ...RELAY_STATES.map((state): [string, string] => [state, renderDestinationKey(view(state), { now: NOW, reachable: true, lang })]),
  ["offline", renderDestinationKey(view("live"), { now: NOW, reachable: false, lang })],
  ["unknown", renderDestinationKey(undefined, { now: NOW, reachable: true, lang })],
];

const IDLE_INGEST: IngestView = { live: false, name: "", since: null, bitrateKbps: 0 };

/** Every picture a key can show, in `lang`: each destination state (with the widest figures), the ingest's and the group's. */
function everyPicture(lang: Lang): Array<[string, string]> {
  const obs = obsConnected(initialObsState(true), "29.0.2").view;
  const wide = { bitrateKbps: 8_888, since: new Date(NOW - 188 * 3_600_000).toISOString(), retryAt: new Date(NOW + 58_000).toISOString(), holdUntil: new Date(NOW + 28_000).toISOString() };
  return [
    ...everyLook(lang),
    ...RELAY_STATES.map((state): [string, string] => [`${state} (wide figures)`, renderDestinationKey(view(state, wide), { now: NOW, reachable: true, lang })]),
    ["off, widest quality", renderDestinationKey(view("off", { encodeLabel: "9:16 · 1080p60 · 4.5M" }), { now: NOW, reachable: true, lang })],
    ["live, widest quality", renderDestinationKey(view("live", { ...wide, encodeLabel: "9:16 · 1080p60 · 4.5M" }), { now: NOW, reachable: true, lang })],
    ["retrying, now", renderDestinationKey(view("retrying", { retryAt: new Date(NOW - 1).toISOString() }), { now: NOW, reachable: true, lang })],
    ["retrying, soon", renderDestinationKey({ ...view("retrying"), retryAt: undefined }, { now: NOW, reachable: true, lang })],
    ["retrying, minutes", renderDestinationKey(view("retrying", { retryAt: new Date(NOW + 125_000).toISOString() }), { now: NOW, reachable: true, lang })],
    ["holding, stand-in", renderDestinationKey({ ...view("holding"), holdUntil: undefined }, { now: NOW, reachable: true, lang })],
    ["ingest live", renderIngestKey({ ...LIVE_INGEST, bitrateKbps: 8_888, video: { codec: "h264", width: 3840, height: 2160, fps: 60 } }, { reachable: true, lang })],
    ["ingest idle", renderIngestKey(IDLE_INGEST, { reachable: true, lang })],
    ["ingest offline", renderIngestKey(IDLE_INGEST, { reachable: false, lang })],
    ["ingest OBS ready", renderIngestKey(IDLE_INGEST, { reachable: true, lang, obs })],
    ["ingest OBS starting", renderIngestKey(IDLE_INGEST, { reachable: true, lang, obs: { ...obs, outputState: "starting" } })],
    ["ingest OBS reconnecting", renderIngestKey(IDLE_INGEST, { reachable: true, lang, obs: { ...obs, streaming: true, reconnecting: true, outputState: "reconnecting" } })],
    ["ingest OBS elsewhere", renderIngestKey(IDLE_INGEST, { reachable: true, lang, obs: { ...obs, streaming: true, outputState: "started" } })],
    ["group live", renderGroupKey([view("live"), view("failed"), ...Array.from({ length: 18 }, () => view("off"))], { reachable: true, lang })],
    ["group armed", renderGroupKey([view("waiting"), view("retrying"), ...Array.from({ length: 18 }, () => view("off"))], { reachable: true, lang })],
    ["group off", renderGroupKey(Array.from({ length: 20 }, () => view("off")), { reachable: true, lang })],
    ["group none", renderGroupKey([], { reachable: true, lang })],
    ["group offline", renderGroupKey([view("live")], { reachable: false, lang })],
  ];
}

describe("renderDestinationKey", () => {
  it("gives every state its own picture, and says the state in its title", () => {
    const looks = everyLook();
    const images = looks.map(([, svg]) => png(svg).toString("base64"));
    expect(new Set(images).size).toBe(looks.length);
    for (const [state, svg] of looks.slice(0, RELAY_STATES.length)) expect(imageTitle(svg)).toMatch(new RegExp(`^YouTube: ${state}`));
    // Distinct at a glance, not only by text: background and frame differ between the states a streamer acts on.
    const backgrounds = new Map(looks.map(([state, svg]) => [state, /<rect x="0" y="0" width="72" height="72" fill="([^"]+)"/.exec(svg)![1]]));
    expect(backgrounds.get("live")).not.toBe(backgrounds.get("off"));
    expect(backgrounds.get("failed")).not.toBe(backgrounds.get("retrying"));
    expect(backgrounds.get("offline")).not.toBe(backgrounds.get("off"));
  });

  it("shows the platform's short name and colour from the presets", () => {
    const svg = renderDestinationKey(view("live", { platform: "twitch", name: "My Twitch" }), { now: NOW, reachable: true });
    expect(svg).toContain(">TTV<");
    expect(svg).toContain('fill="#9146ff"');
  });

  it("shows bitrate and uptime while live, and the countdown while retrying", () => {
    const live = renderDestinationKey(view("live"), { now: NOW, reachable: true });
    expect(live).toContain(">6.2 Mb/s<");
    expect(live).toContain(">1:02:03<");
    expect(live).toContain(">LIVE<");
    const retrying = renderDestinationKey(view("retrying"), { now: NOW, reachable: true });
    expect(retrying).toContain(">in 13 s<");
    const due = renderDestinationKey(view("retrying"), { now: NOW + 20_000, reachable: true });
    expect(due).toContain(">now<");
  });

  it("counts the uptime from the platform's session, which went on through a hold, not from the state's start", () => {
    // Live again for 5 s after an OBS drop, in a session that began 19 minutes ago.
    const back = view("live", { since: new Date(NOW - 5_000).toISOString(), sessionSince: new Date(NOW - 1_140_000).toISOString() });
    const key = renderDestinationKey(back, { now: NOW, reachable: true });
    expect(key).toContain(">19:00<");
    expect(key).not.toContain(">0:05<");
  });

  it("a destination with its own quality shows it under the state, live and off; a copy does not", () => {
    const live = renderDestinationKey(view("live", { encodeLabel: "720p60 · 4.5M" }), { now: NOW, reachable: true });
    expect(live).toContain(">720p60 · 4.5M<");
    expect(live).toContain(">1:02:03<");
    expect(imageTitle(live)).toContain("720p60 · 4.5M");
    expect(renderDestinationKey(view("off", { encodeLabel: "1080p · 4M" }), { now: NOW, reachable: true })).toContain(">1080p · 4M<");
    expect(renderDestinationKey(view("off"), { now: NOW, reachable: true })).not.toContain("·");
  });

  it("splits a quality too wide for one line in two when off, and tightens it when live beside the uptime", () => {
    const label = "9:16 · 1080p60 · 4.5M";
    const off = renderDestinationKey(view("off", { encodeLabel: label }), { now: NOW, reachable: true });
    expect(off).toContain(">9:16 · 1080p60<");
    expect(off).toContain(">4.5M<");
    expect(imageTitle(off)).toBe(`YouTube: off, ${label}`);
    const live = renderDestinationKey(view("live", { encodeLabel: label }), { now: NOW, reachable: true });
    expect(live).toContain(">9:16·1080p60·4.5M<");
    expect(live).toContain(">1:02:03<");
    expect(imageTitle(live)).toContain(label);
    // A short label stays whole on both.
    expect(qualityLines("720p · 3M", 1)).toEqual(["720p · 3M"]);
    expect(qualityLines("720p · 3M", 2)).toEqual(["720p · 3M"]);
  });

  it("says the bridge is offline instead of a stale state, keeping the platform's name", () => {
    const svg = renderDestinationKey(view("live"), { now: NOW, reachable: false });
    expect(imageTitle(svg)).toBe("YouTube: bridge offline");
    expect(svg).toContain(">OFFLINE<");
    expect(svg).toContain(">YT<");
    expect(svg).not.toContain(">LIVE<");
  });

  it("renders an unknown destination as not set", () => {
    const svg = renderDestinationKey(undefined, { now: NOW, reachable: true });
    expect(svg).toContain(">NOT SET<");
    expect(imageTitle(svg)).toBe("Unknown destination");
  });

  it("is 72 px by default and 144 px when asked, from the same 72-unit drawing", () => {
    expect(renderDestinationKey(view("off"), { now: NOW, reachable: true })).toMatch(/^<svg [^>]*width="72" height="72" viewBox="0 0 72 72"/);
    const large = renderDestinationKey(view("off"), { now: NOW, reachable: true, size: 144 });
    expect(large).toMatch(/^<svg [^>]*width="144" height="144" viewBox="0 0 72 72"/);
    const image = new Resvg(large).render();
    expect([image.width, image.height]).toEqual([144, 144]);
  });

  it("escapes names, and never draws the server URL", () => {
    const svg = renderDestinationKey(view("live", { platform: "custom", name: `<b>&"x'`, url: "rtmp://ingest.example/app/" }), { now: NOW, reachable: true });
    expect(svg).not.toContain("<b>");
    expect(svg).not.toContain("ingest.example");
    expect(imageTitle(svg)).toMatch(/^<B>&"X'|^<b>&"x'/);
    expect(() => png(svg)).not.toThrow();
  });

  it("keeps to the SVG Tiny subset the Stream Deck app draws", () => {
    for (const [, svg] of everyLook()) {
      expect(svg).not.toMatch(/style=|<style|dominant-baseline|<filter|<mask|rgba\(|<foreignObject|textLength/);
      expect(svg).toContain(`font-family="'Segoe UI', Helvetica, Arial, 'DejaVu Sans', sans-serif"`);
    }
  });

  it("fits every text on the key with DejaVu Sans, whatever the name and figures", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...RELAY_STATES),
        fc.string({ unit: fc.constantFrom(..."WMQ@%#MW0Oabcmw i.-é"), minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 99_000 }),
        fc.integer({ min: 0, max: 200 * 3600 * 1000 }),
        (state, name, kbps, uptime) => {
          const svg = renderDestinationKey(
            view(state, { platform: "custom", name, bitrateKbps: kbps, since: new Date(NOW - uptime).toISOString(), retryAt: new Date(NOW + uptime).toISOString() }),
            { now: NOW, reachable: true },
          );
          for (const extent of textExtents(svg)) {
            expect(extent.left, `"${extent.text}" starts off the key`).toBeGreaterThanOrEqual(1);
            expect(extent.right, `"${extent.text}" ends off the key`).toBeLessThanOrEqual(71);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  for (const lang of LANGUAGES) {
    it(`fits every picture's text on the key in ${lang === "en" ? "English" : "French"}, drawn with the real fonts`, () => {
      for (const [what, svg] of everyPicture(lang)) {
        for (const extent of textExtents(svg)) {
          expect(extent.left, `${what}: "${extent.text}" starts off the key`).toBeGreaterThanOrEqual(1);
          expect(extent.right, `${what}: "${extent.text}" ends off the key`).toBeLessThanOrEqual(71);
        }
      }
    });
  }

  it("says every state in French on the key, accents drawn by the fonts", () => {
    const words = everyLook("fr").map(([, svg]) => [...svg.matchAll(/<text [^>]*>(.*?)<\/text>/g)].map((match) => match[1]).join(" "));
    expect(words.join(" | ")).toContain("ARRÊT");
    expect(words.join(" | ")).toContain("DIRECT");
    expect(words.join(" | ")).toContain("RELANCE");
    expect(words.join(" | ")).toContain("dans 13 s");
    expect(words.join(" | ")).toContain("HORS LIGNE");
    expect(words.join(" | ")).not.toMatch(/\b(OFF|LIVE|RETRY|FAILED|OFFLINE|in \d)/);
    // The accented capitals have glyphs: É draws wider than E would if it fell back to nothing.
    const accent = textExtents(renderDestinationKey(view("failed"), { now: NOW, reachable: true, lang: "fr" })).find((extent) => extent.text === "ÉCHEC")!;
    const plain = textExtents(renderDestinationKey(view("failed"), { now: NOW, reachable: true, lang: "fr" }).replace(">ÉCHEC<", ">ECHEC<")).find((extent) => extent.text === "ECHEC")!;
    expect(accent.right - accent.left).toBeCloseTo(plain.right - plain.left, 0);
    expect(png(renderDestinationKey(view("failed"), { now: NOW, reachable: true, lang: "fr" })).equals(png(renderDestinationKey(view("failed"), { now: NOW, reachable: true, lang: "fr" }).replace(">ÉCHEC<", ">ECHEC<")))).toBe(false);
  });

  it("keeps the badge text inside its badge", () => {
    for (const name of ["WWWWWW", "MMMMMM", "Kick", "@@@@@@"]) {
      const svg = renderDestinationKey(view("off", { platform: "custom", name }), { now: NOW, reachable: true });
      const badge = textExtents(svg)[0]!;
      expect(badge.left).toBeGreaterThanOrEqual(7);
      expect(badge.right).toBeLessThanOrEqual(65);
    }
  });

  it("ticks only when the picture shows a clock", () => {
    expect(destinationKeyTicks(view("live"), true)).toBe(true);
    expect(destinationKeyTicks(view("retrying"), true)).toBe(true);
    expect(destinationKeyTicks(view("live"), false)).toBe(false);
    for (const state of ["off", "waiting", "starting", "failed", "stopping"] as const) expect(destinationKeyTicks(view(state), true)).toBe(false);
    expect(destinationKeyTicks(undefined, true)).toBe(false);
  });
});

describe("renderIngestKey", () => {
  it("shows bitrate and resolution while OBS is sending", () => {
    const svg = renderIngestKey(LIVE_INGEST, { reachable: true });
    expect(svg).toContain(">6.0 Mb/s<");
    expect(svg).toContain(">1920×1080<");
    expect(imageTitle(svg)).toBe("OBS into Relay: live, 6.0 Mb/s, 1920×1080");
  });

  it("has three distinct pictures: live, not sending, bridge offline", () => {
    const idle: IngestView = { live: false, name: "", since: null, bitrateKbps: 0 };
    const pictures = [
      renderIngestKey(LIVE_INGEST, { reachable: true }),
      renderIngestKey(idle, { reachable: true }),
      renderIngestKey(LIVE_INGEST, { reachable: false }),
    ];
    expect(new Set(pictures.map((svg) => png(svg).toString("base64"))).size).toBe(3);
    expect(imageTitle(pictures[1])).toBe("OBS into Relay: not sending");
    expect(imageTitle(pictures[2])).toBe("OBS into Relay: bridge offline");
    expect(renderIngestKey(undefined, { reachable: true })).toContain(">OFFLINE<");
  });

  it("shows OBS's own state when the bridge is linked to OBS: ready, reconnecting, streaming elsewhere", () => {
    const idle: IngestView = { live: false, name: "", since: null, bitrateKbps: 0 };
    const obs = obsConnected(initialObsState(true), "29.0.2").view;
    const ready = renderIngestKey(idle, { reachable: true, obs });
    expect(ready).toContain(">READY<");
    expect(imageTitle(ready)).toBe("OBS into Relay: OBS ready, not streaming");
    const reconnecting = renderIngestKey(idle, { reachable: true, obs: { ...obs, streaming: true, reconnecting: true, outputState: "reconnecting" } });
    expect(reconnecting).toContain(">RECONN<");
    const elsewhere = renderIngestKey(idle, { reachable: true, obs: { ...obs, streaming: true, outputState: "started" } });
    expect(imageTitle(elsewhere)).toBe("OBS streams, but not into Relay");
    // Streaming into Relay: the live picture, as without OBS's link.
    expect(renderIngestKey(LIVE_INGEST, { reachable: true, obs: { ...obs, streaming: true, outputState: "started" } })).toBe(renderIngestKey(LIVE_INGEST, { reachable: true }));
    // Not connected: as before.
    expect(renderIngestKey(idle, { reachable: true, obs: initialObsState(true).view })).toBe(renderIngestKey(idle, { reachable: true }));
  });
});

describe("renderGroupKey", () => {
  it("counts live destinations and flags failing ones", () => {
    const svg = renderGroupKey([view("live"), view("failed"), view("off")], { reachable: true });
    expect(imageTitle(svg)).toBe("ALL destinations: live, 1 of 3, 1 failing");
    expect(imageTitle(renderGroupKey([view("off"), view("off")], { reachable: true }))).toBe("ALL destinations: off, 2 dest.");
    expect(imageTitle(renderGroupKey([view("waiting"), view("off")], { reachable: true }))).toBe("ALL destinations: armed, 1 of 2 on");
    expect(imageTitle(renderGroupKey([], { reachable: true }))).toBe("ALL destinations: none, no, destinations");
    expect(imageTitle(renderGroupKey([view("live")], { reachable: false }))).toBe("ALL destinations: bridge offline");
  });
});

describe("formatting", () => {
  it("formats bitrates, durations and countdowns", () => {
    expect(formatBitrate(0)).toBe("0 kb/s");
    expect(formatBitrate(850.4)).toBe("850 kb/s");
    expect(formatBitrate(6_234)).toBe("6.2 Mb/s");
    expect(formatBitrate(12_400)).toBe("12 Mb/s");
    expect(formatDuration(7_900)).toBe("0:07");
    expect(formatDuration(754_000)).toBe("12:34");
    expect(formatDuration(3_723_000)).toBe("1:02:03");
    expect(formatDuration(-5)).toBe("0:00");
    expect(formatCountdown(12_001)).toBe("in 13 s");
    expect(formatCountdown(125_000)).toBe("in 2:05");
    expect(formatCountdown(0)).toBe("now");
  });
});

describe("formatting in French", () => {
  it("uses a decimal comma and says countdowns in French", () => {
    expect(formatBitrate(6_234, "fr")).toBe("6,2 Mb/s");
    expect(formatBitrate(850, "fr")).toBe("850 kb/s");
    expect(formatCountdown(12_001, "fr")).toBe("dans 13 s");
    expect(formatCountdown(125_000, "fr")).toBe("dans 2:05");
    expect(formatCountdown(0, "fr")).toBe("maintenant");
  });
});
