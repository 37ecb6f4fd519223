import { describe, expect, it } from "vitest";
import { fitEncode, overLimits, type IngestLimits } from "../../../contract/encode.js";
import { findPlatform, PLATFORM_PRESETS } from "../../../contract/platforms.js";

const withLimits = PLATFORM_PRESETS.filter((preset) => preset.limits !== undefined);
const limitsOf = (id: string): IngestLimits => {
  const limits = findPlatform(id)?.limits;
  if (limits === undefined) throw new Error(`${id} has no limits`);
  return limits;
};

describe("the presets' published ingest limits", () => {
  it("has sane figures wherever a preset carries limits", () => {
    expect(withLimits.length).toBeGreaterThan(0);
    for (const { id, limits } of withLimits) {
      const { maxVideoKbps, maxHeight, maxFps } = limits!;
      for (const figure of [maxVideoKbps, maxHeight, maxFps]) expect(figure, id).toBeGreaterThan(0);
      expect(maxVideoKbps, id).toBeGreaterThanOrEqual(1000);
      expect(maxVideoKbps, id).toBeLessThanOrEqual(60_000);
      expect([720, 1080, 1280, 1440, 1920, 2160], id).toContain(maxHeight);
      expect([30, 60], id).toContain(maxFps);
    }
  });

  it("marks as vertical only the platforms that show a vertical picture", () => {
    const vertical = withLimits.filter((preset) => preset.limits!.vertical === true).map((preset) => preset.id);
    for (const id of vertical) expect(["tiktok", "instagram"]).toContain(id);
    expect(vertical).toEqual(["instagram"]);
    // A vertical platform's height is the 9:16 picture's (720×1280), a landscape one's at most 2160p.
    expect(limitsOf("instagram").maxHeight).toBe(1280);
  });

  it("gives both YouTube presets the same limits, and none to Custom, Restream and the platforms that publish none", () => {
    expect(findPlatform("youtube-rtmps")?.limits).toEqual(findPlatform("youtube")?.limits);
    for (const id of ["custom", "restream", "kick", "tiktok", "x", "linkedin"]) expect(findPlatform(id)?.limits, id).toBeUndefined();
  });
});

describe("a real preset's limits with overLimits and fitEncode", () => {
  const twitch = limitsOf("twitch");
  const ingest1440p60 = { width: 2560, height: 1440, fps: 60, bitrateKbps: 8000 };

  it("finds a 1440p60 8000 kbit/s ingest over Twitch's bitrate and height", () => {
    const over = overLimits({ videoKbps: 8000, height: 1440, fps: 60 }, twitch);
    expect(over.map((item) => item.what)).toEqual(["bitrate", "height"]);
    expect(over).toContainEqual({ what: "bitrate", sent: 8000, max: twitch.maxVideoKbps });
    expect(over).toContainEqual({ what: "height", sent: 1440, max: 1080 });
  });

  it("fits that ingest to Twitch: bitrate within the limit, 1080p, no cut, and then nothing is over", () => {
    const fitted = fitEncode(twitch, ingest1440p60);
    expect(fitted.video.bitrateKbps).toBeLessThanOrEqual(twitch.maxVideoKbps);
    expect(fitted.video.maxHeight).toBe(1080);
    expect(fitted.video.fps).toBeUndefined();
    expect(fitted.crop).toBe("none");
    expect(overLimits({ videoKbps: fitted.video.bitrateKbps, height: fitted.video.maxHeight!, fps: 60 }, twitch)).toEqual([]);
  });

  it("leaves a stream within a platform's limits alone, allowing for CBR's swing on the bitrate", () => {
    expect(overLimits({ videoKbps: twitch.maxVideoKbps * 1.05, height: 1080, fps: 60 }, twitch)).toEqual([]);
  });

  it("cuts a 1080p landscape source vertically for a vertical platform", () => {
    const instagram = limitsOf("instagram");
    const fitted = fitEncode(instagram, { width: 1920, height: 1080, fps: 30, bitrateKbps: 4500 });
    expect(fitted.crop).toBe("vertical");
    expect(fitted.video.bitrateKbps).toBeLessThanOrEqual(instagram.maxVideoKbps);
    // The 9:16 cut of a 1080p picture is 606×1080: below the platform's 1280, so the height is not capped.
    expect(fitted.video.maxHeight).toBeUndefined();
  });

  it("does not cut for a landscape platform", () => {
    expect(fitEncode(limitsOf("youtube"), { width: 1920, height: 1080, fps: 60, bitrateKbps: 6000 }).crop).toBe("none");
  });
});
