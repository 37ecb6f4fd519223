import { describe, expect, it } from "vitest";
import { noStandInEncoderMessage, standInEncoder, standInEncoderArgs } from "../../../bridge/media/stand-in-encoder.js";
import { standInArgs } from "../../../bridge/media/stand-in.js";

const DEBIAN_13 = ["libx264", "libx265", "libaom-av1", "librav1e", "libsvtav1", "libvpx-vp9"];
const DEBIAN_12_MINIMAL = ["libx264"];

describe("the stand-in's encoder", () => {
  it("encodes in the stream's own codec, the fastest encoder this ffmpeg has first", () => {
    expect(standInEncoder({ codec: "h264" }, DEBIAN_13)).toBe("libx264");
    expect(standInEncoder({ codec: "hevc" }, DEBIAN_13)).toBe("libx265");
    expect(standInEncoder({ codec: "av1" }, DEBIAN_13)).toBe("libsvtav1");
    expect(standInEncoder({ codec: "av1" }, ["libaom-av1"])).toBe("libaom-av1");
    expect(standInEncoder({ codec: "vp9" }, DEBIAN_13)).toBe("libvpx-vp9");
  });

  it("has none for a codec this ffmpeg cannot encode, and says what would", () => {
    expect(standInEncoder({ codec: "hevc" }, DEBIAN_12_MINIMAL)).toBeNull();
    expect(noStandInEncoderMessage("hevc")).toMatch(/no HEVC encoder.*libx265.*end their session/);
  });

  it("keeps one keyframe a second for every codec", () => {
    const video = { codec: "hevc", width: 320, height: 180, fps: 25 };
    expect(standInEncoderArgs("libx265", video, 25).join(" ")).toContain("keyint=25:min-keyint=25");
    expect(standInEncoderArgs("libsvtav1", { ...video, codec: "av1" }, 25).join(" ")).toContain("keyint=25");
    expect(standInEncoderArgs("libx264", { ...video, codec: "h264", profile: 77, level: 31 }, 25).join(" ")).toContain("-profile:v main -level 3.1 -g 25");
    const args = standInArgs("card.png", { video, audio: { codec: "aac", sampleRate: 48000, channels: 2 } }, "libx265").join(" ");
    expect(args).toContain("-c:v libx265");
    expect(args).not.toContain("libx264");
  });
});
