import { describe, expect, it } from "vitest";
import { croppedSize, encodeLabel, encodeOutput, fitEncode, fitToLimits, overLimits, shortBitrate, type EncodeSettings } from "../../../contract/encode.js";

const settings = (video: Partial<EncodeSettings["video"]> = {}, rest: Partial<EncodeSettings> = {}): EncodeSettings => ({
  video: { bitrateKbps: 3000, encoder: "auto", ...video },
  audio: { bitrateKbps: 160 },
  crop: "none",
  ...rest,
});
const hd = { width: 1920, height: 1080, fps: 60 };

describe("what a re-encode sends", () => {
  it("caps the height and frame rate, the width following evenly", () => {
    expect(encodeOutput(settings({ maxHeight: 720, fps: 30 }), hd)).toEqual({ width: 1280, height: 720, fps: 30, videoKbps: 3000, audioKbps: 160 });
    expect(encodeOutput(settings({ maxHeight: 480 }), { width: 1280, height: 720, fps: 30 })).toMatchObject({ width: 854, height: 480 });
  });

  it("keeps a height or frame rate above the source's at the source's, and says so", () => {
    const output = encodeOutput(settings({ maxHeight: 1440, fps: 120 }), hd);
    expect(output).toMatchObject({ width: 1920, height: 1080, fps: 60 });
    expect(output.note).toBe("1440p asked, the source is 1080p: kept at 1080p; 120 fps asked, the source has 60: kept at 60");
  });

  it("cuts a centred 9:16 picture of a landscape source, a portrait one stays whole", () => {
    expect(croppedSize(hd, "vertical")).toEqual({ width: 606, height: 1080 });
    expect(croppedSize({ width: 640, height: 360 }, "vertical")).toEqual({ width: 202, height: 360 });
    expect(croppedSize({ width: 720, height: 1280 }, "vertical")).toEqual({ width: 720, height: 1280 });
    expect(encodeOutput(settings({ maxHeight: 720 }, { crop: "vertical" }), hd)).toMatchObject({ width: 404, height: 720 });
  });
});

describe("the label under a platform's name", () => {
  it("says the height, the frame rate when capped, and the bitrate", () => {
    expect(encodeLabel(settings({ maxHeight: 720 }))).toBe("720p · 3M");
    expect(encodeLabel(settings({ maxHeight: 720, fps: 60, bitrateKbps: 4500 }))).toBe("720p60 · 4.5M");
    expect(encodeLabel(settings({ fps: 30, bitrateKbps: 2500 }))).toBe("30 fps · 2.5M");
    expect(encodeLabel(settings({ bitrateKbps: 800 }, { crop: "vertical" }))).toBe("9:16 · 800k");
    expect(encodeLabel("copy")).toBeNull();
    expect(encodeLabel(undefined)).toBeNull();
  });

  it("says what is really sent once the source is known", () => {
    const encode = settings({ maxHeight: 1440 });
    expect(encodeLabel(encode, encodeOutput(encode, hd))).toBe("1080p · 3M");
    expect(shortBitrate(6000)).toBe("6M");
    expect(shortBitrate(12_345)).toBe("12.3M");
  });
});

describe("a platform's limits", () => {
  const limits = { maxVideoKbps: 6000, maxHeight: 1080, maxFps: 60 };

  it("names what is over, with the figures, allowing OBS's bitrate swing of 10 %", () => {
    expect(overLimits({ videoKbps: 6500, height: 1080, fps: 60 }, limits)).toEqual([]);
    expect(overLimits({ videoKbps: 8000, height: 1440, fps: 60 }, limits)).toEqual([
      { what: "bitrate", sent: 8000, max: 6000 },
      { what: "height", sent: 1440, max: 1080 },
    ]);
    expect(overLimits({ videoKbps: 3000, height: 720, fps: 120 }, limits)).toEqual([{ what: "fps", sent: 120, max: 60 }]);
  });

  it("fits an encode to the platform: its bitrate, its height and frame rate where the source is above them", () => {
    expect(fitEncode(limits, { width: 2560, height: 1440, fps: 120, bitrateKbps: 12_000 })).toEqual({
      video: { bitrateKbps: 6000, maxHeight: 1080, fps: 60, encoder: "auto" },
      audio: { bitrateKbps: 160 },
      crop: "none",
    });
    // Never above what the source has, keeping what the streamer chose.
    const current = settings({ bitrateKbps: 2500, encoder: "x264", maxHeight: 720 });
    expect(fitEncode(limits, { ...hd, bitrateKbps: 4000 }, current)).toEqual({ video: { bitrateKbps: 2500, maxHeight: 720, encoder: "x264" }, audio: { bitrateKbps: 160 }, crop: "none" });
    expect(fitEncode({ ...limits, maxHeight: 1280, vertical: true }, { ...hd, bitrateKbps: 9000 }).crop).toBe("vertical");
  });

  it("says a landscape picture to a platform that shows a vertical one, and nothing of a portrait one", () => {
    const vertical = { maxVideoKbps: 6000, maxHeight: 1280, maxFps: 60, vertical: true };
    expect(overLimits({ videoKbps: 3000, width: 1280, height: 720, fps: 30 }, vertical)).toEqual([{ what: "landscape", sent: 1280, max: 720 }]);
    expect(overLimits({ videoKbps: 3000, width: 720, height: 1280, fps: 30 }, vertical)).toEqual([]);
    // A platform that shows landscape does not care, nor does a stream whose width is unknown.
    expect(overLimits({ videoKbps: 3000, width: 1280, height: 720, fps: 30 }, limits)).toEqual([]);
    expect(overLimits({ videoKbps: 3000, height: 720, fps: 30 }, vertical)).toEqual([]);
  });

  it("fits with a copy when OBS's stream already fits, whatever the destination re-encodes now", () => {
    const own = settings({ bitrateKbps: 9000, maxHeight: 1440, encoder: "x264" });
    expect(fitToLimits(limits, { width: 1280, height: 720, fps: 30, bitrateKbps: 2800 }, own)).toBe("copy");
    expect(fitToLimits(limits, { width: 1280, height: 720, fps: 30, bitrateKbps: 2800 })).toBe("copy");
    // Over in one thing: the re-encode, keeping what the streamer chose where it fits.
    expect(fitToLimits(limits, { width: 1920, height: 1080, fps: 30, bitrateKbps: 8000 }, own)).toEqual({
      video: { bitrateKbps: 6000, encoder: "x264" },
      audio: { bitrateKbps: 160 },
      crop: "none",
    });
    // Landscape to a vertical platform: never a copy, the 9:16 cut.
    const vertical = { maxVideoKbps: 6000, maxHeight: 1280, maxFps: 60, vertical: true };
    expect(fitToLimits(vertical, { width: 1280, height: 720, fps: 30, bitrateKbps: 2800 })).toMatchObject({ crop: "vertical" });
  });
});
