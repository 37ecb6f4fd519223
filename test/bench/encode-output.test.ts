import { describe, expect, it } from "vitest";
import { measureOutput } from "../../bench/measure/encode.js";

describe("the re-encoded output as the platform got it", () => {
  it("reads the bitrate and frame rate over whole GOPs, and every keyframe interval, from the stream's timestamps", () => {
    // 30 fps, a keyframe every 60 frames (2 s), 12 500 bytes a frame = 3000 kbit/s; a part-GOP at the end.
    const video = Array.from({ length: 150 }, (_, frame) => ({ at: frame * 33, kind: "video" as const, keyframe: frame % 60 === 0, sequenceHeader: false, timestamp: Math.round((frame * 1000) / 30), bytes: 12_500 }));
    const measured = measureOutput(video);
    expect(measured.keyframeIntervals).toEqual([2, 2]);
    expect(measured.videoKbps).toBeCloseTo(3000, -1);
    expect(measured.fps).toBeCloseTo(30, 0);
    expect(measureOutput(video.slice(0, 1))).toEqual({ videoKbps: 0, fps: 0, keyframeIntervals: [] });
  });
});
