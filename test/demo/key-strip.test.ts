// The README's picture of the keys: every state a streamer meets, drawn by the plugin's renderer.

import { describe, expect, it } from "vitest";
import { Resvg } from "@resvg/resvg-js";
import { renderKeyStrip, STRIP_KEYS } from "../../scripts/lib/key-strip.js";

describe("key strip", () => {
  const now = Date.parse("2026-01-01T12:00:00Z");
  const svg = renderKeyStrip({ now, keySize: 144 });

  it("shows one key per state, in order, each with its caption", () => {
    const labels = ["OFF", "ARMED", "STARTING", "LIVE", "RETRY", "FAILED", "OFFLINE"];
    const positions = labels.map((label) => svg.indexOf(`>${label}</text>`));
    expect(positions.every((position) => position > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    for (const key of STRIP_KEYS) expect(svg).toContain(`>${key.caption}</text>`);
    // The live key carries bitrate and uptime; the retrying key its countdown.
    expect(svg).toContain(">6.0 Mb/s</text>");
    expect(svg).toContain(">12:34</text>");
    expect(svg).toContain(">in 8 s</text>");
  });

  it("draws to a PNG of the expected size", () => {
    const image = new Resvg(svg, { font: { loadSystemFonts: true } }).render();
    expect(image.width).toBe(24 + STRIP_KEYS.length * (144 + 24));
    expect(image.asPng().subarray(1, 4).toString()).toBe("PNG");
  });
});
