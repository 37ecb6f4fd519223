// The words and figures every surface shows (the page, the keys, Companion): time since, a countdown,
// what the media is, a frame rate.

import { describe, expect, it } from "vitest";
import { formatFps, formatMedia, formatSince, secondsUntil } from "../../../presentation/format.js";

const NOW = Date.parse("2025-01-01T12:00:00Z");

describe("formatSince", () => {
  it("reads the time elapsed since an ISO instant", () => {
    expect(formatSince("2025-01-01T11:59:53Z", NOW)).toBe("0:07");
    expect(formatSince("2025-01-01T10:57:57Z", NOW)).toBe("1:02:03");
  });
  it("is empty when there is no usable instant", () => {
    expect(formatSince(null, NOW)).toBe("");
    expect(formatSince("not a date", NOW)).toBe("");
  });
  it("never goes negative when the clocks disagree a little", () => {
    expect(formatSince("2025-01-01T12:00:05Z", NOW)).toBe("0:00");
  });
});

describe("secondsUntil", () => {
  it("rounds up so a countdown never shows 0 while still waiting", () => {
    expect(secondsUntil("2025-01-01T12:00:02.100Z", NOW)).toBe(3);
    expect(secondsUntil("2025-01-01T11:59:00Z", NOW)).toBe(0);
    expect(secondsUntil(undefined, NOW)).toBeNull();
  });
});

describe("formatMedia", () => {
  it("joins resolution, frame rate and codecs", () => {
    expect(formatMedia({ video: { codec: "H264", width: 1920, height: 1080, fps: 30 }, audio: { codec: "AAC" } })).toBe("1920×1080 · 30 fps · H264 / AAC");
  });
  it("leaves out what is unknown", () => {
    expect(formatMedia({})).toBe("");
    expect(formatMedia({ audio: { codec: "AAC" } })).toBe("AAC");
    expect(formatMedia({ video: { codec: "", width: 0, height: 0, fps: 0 } })).toBe("");
  });
  it("writes a fractional frame rate with a decimal comma in French", () => {
    expect(formatMedia({ video: { codec: "H264", width: 1280, height: 720, fps: 29.97 } }, "fr")).toBe("1280×720 · 29,97 fps · H264");
  });
});

describe("formatFps", () => {
  it("keeps fractional rates to two decimals and whole rates whole", () => {
    expect(formatFps(30)).toBe("30");
    expect(formatFps(29.97002997)).toBe("29.97");
  });
});
