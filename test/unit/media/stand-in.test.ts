import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import type { FlvTag } from "../../../bridge/media/flv.js";
import { clipFromFlv, StandInSource, standInArgs } from "../../../bridge/media/stand-in.js";
import { standInCardSvg } from "../../../bridge/media/stand-in-card.js";

const fixture = readFileSync(new URL("../../fixtures/two-gops.flv", import.meta.url));
const format = { video: { codec: "h264", width: 96, height: 64, fps: 10, profile: 77, level: 10 }, audio: { codec: "aac", sampleRate: 22050, channels: 1 } };

describe("stand-in", () => {
  it("is encoded to the ingest's own size, frame rate, profile, level and audio", () => {
    const args = standInArgs("card.png", { video: { codec: "h264", width: 1279, height: 719, fps: 29.97, profile: 77, level: 31 }, audio: { codec: "aac", sampleRate: 44100, channels: 1 } });
    const joined = args.join(" ");
    expect(joined).toContain("scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720");
    expect(joined).toContain("-r 30 ");
    expect(joined).toContain("-profile:v main -level 3.1");
    expect(joined).toContain("anullsrc=channel_layout=mono:sample_rate=44100");
    expect(joined).toContain("-g 30 ");
    expect(args.at(-1)).toBe("pipe:1");
    const silentOnly = standInArgs("x.png", { audio: { codec: "aac", sampleRate: 48000, channels: 2 } });
    expect(silentOnly).not.toContain("x.png");
    expect(silentOnly.join(" ")).toContain("-map 0:a");
    const pictureOnly = standInArgs("x.png", { video: { codec: "h264", width: 640, height: 360, fps: 30 } }).join(" ");
    expect(pictureOnly).not.toContain("anullsrc");
    expect(pictureOnly).toContain("-profile:v high");
  });

  it("cuts one GOP and one frame of silence out of the encoder's FLV", () => {
    const clip = clipFromFlv(fixture, format);
    expect(clip.videoFrames).toHaveLength(10);
    expect(clip.videoFrames[0]!.kind).toBe("keyframe");
    expect(clip.videoFrames.slice(1).every((tag) => tag.kind === "video")).toBe(true);
    expect(clip.videoFrames[0]!.timestamp).toBe(0);
    expect(clip.videoHeader?.kind).toBe("videoHeader");
    expect(clip.audioFrame?.kind).toBe("audio");
    expect(clip.fps).toBe(10);
  });

  it("plays in real time, in time order, looping from its keyframe", () => {
    vi.useFakeTimers();
    try {
      let now = 0;
      const source = new StandInSource(clipFromFlv(fixture, format), () => now);
      const seen: FlvTag[] = [];
      source.follow({ offer: (_source, tag) => seen.push(tag) });
      source.start();
      for (let step = 0; step < 250; step += 1) {
        now += 10;
        vi.advanceTimersByTime(10);
      }
      source.stop();
      const video = seen.filter((tag) => tag.type === 9);
      const audio = seen.filter((tag) => tag.type === 8);
      // 2.5 s at 10 fps; 22050 Hz audio in frames of 1024 samples.
      expect(video.length).toBeGreaterThanOrEqual(25);
      expect(video.length).toBeLessThanOrEqual(26);
      expect(audio.length).toBeGreaterThanOrEqual(53);
      expect(video.filter((tag) => tag.kind === "keyframe").map((tag) => tag.timestamp)).toEqual([0, 1000, 2000]);
      const times = seen.map((tag) => tag.timestamp);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      // A follower joining late starts from the loop's last keyframe.
      expect(source.cache.gop[0]!.timestamp).toBe(2000);
    } finally {
      vi.useRealTimers();
    }
  });

  it("draws a card at the stream's size, with text escaped", () => {
    const svg = standInCardSvg(1920, 1080, { title: "On revient <vite>", subtitle: "& bientôt" });
    expect(svg).toContain('width="1920" height="1080"');
    expect(svg).toContain("On revient &#60;vite&#62;");
    expect(svg).not.toContain("<vite>");
  });
});
