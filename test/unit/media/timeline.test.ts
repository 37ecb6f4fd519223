import { describe, expect, it } from "vitest";
import { Timeline } from "../../../bridge/media/timeline.js";

describe("relay timeline", () => {
  it("starts at 0, then anchors each new source just after what was sent", () => {
    const timeline = new Timeline();
    expect(timeline.anchor(5_000, 0)).toBe(0);
    expect(timeline.map("video", 5_000)).toBe(0);
    expect(timeline.map("audio", 5_010)).toBe(10);
    expect(timeline.map("video", 5_033)).toBe(33);
    // A new source whose own clock starts at 0.
    expect(timeline.anchor(0, 33)).toBe(66);
    expect(timeline.map("video", 0)).toBe(66);
    expect(timeline.map("audio", 5)).toBe(71);
  });

  it("drops a tag that would go back in time on its track, and anything before 0", () => {
    const timeline = new Timeline();
    timeline.anchor(1_000, 0);
    expect(timeline.map("audio", 990)).toBeNull();
    expect(timeline.map("video", 1_000)).toBe(0);
    expect(timeline.map("video", 1_040)).toBe(40);
    expect(timeline.map("video", 1_020)).toBeNull();
    expect(timeline.map("audio", 1_020)).toBe(20);
    expect(timeline.end).toBe(40);
    expect(timeline.headerTime()).toBe(40);
  });
});
