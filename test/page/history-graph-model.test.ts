// The health graph's drawing: samples placed on a time axis ending now, a round bitrate top with
// ticks, frame rate on its own scale, and the sample under the pointer.

import { describe, expect, it } from "vitest";
import { drawGraph, niceTop, sampleAt } from "../../page/history-graph-model.js";

const NOW = 1_800_000;
const SPAN = 1_800_000;
const series = { at: [0, 900_000, 1_800_000], kbps: [0, 5_200, 6_100], fps: [0, 30, 29.9] };

describe("history graph", () => {
  it("rounds the bitrate axis up to 1, 2 or 5 × a power of ten, at least 1 Mb/s", () => {
    expect(niceTop(0)).toBe(1000);
    expect(niceTop(6_100)).toBe(10_000);
    expect(niceTop(4_800)).toBe(5_000);
    expect(niceTop(12_000)).toBe(20_000);
  });

  it("places samples from 30 minutes ago (x = 0) to now (x = width), the bitrate against its top", () => {
    const drawing = drawGraph(series, NOW, SPAN, { width: 300, height: 60 });
    expect(drawing.kbpsLine).toBe("M0,60L150,28.8L300,23.4");
    expect(drawing.kbpsArea).toBe("M0,60L150,28.8L300,23.4L300,60L0,60Z");
    expect(drawing.kbpsTop).toBe(10_000);
    expect(drawing.kbpsTicks).toEqual([{ kbps: 0, y: 60 }, { kbps: 5_000, y: 30 }, { kbps: 10_000, y: 0 }]);
    expect(drawing.fpsTop).toBe(30);
    expect(drawing.fpsLine).toBe("M0,60L150,0L300,0.2");
    expect(drawing.timeTicks).toEqual([{ minutesAgo: 0, x: 300 }, { minutesAgo: 10, x: 200 }, { minutesAgo: 20, x: 100 }, { minutesAgo: 30, x: 0 }]);
    expect(drawing.flat).toBe(false);
  });

  it("leaves out samples older than the window, and is flat with nothing sent", () => {
    const drawing = drawGraph(series, NOW + 1_000_000, SPAN, { width: 300, height: 60 });
    // Only the last sample is in the window (from 1 000 000 to 2 800 000 ms).
    expect(drawing.kbpsLine).toBe("M133.3,23.4");
    expect(drawGraph({ at: [NOW], kbps: [0], fps: [0] }, NOW, SPAN, { width: 300, height: 60 }).flat).toBe(true);
    expect(drawGraph({ at: [], kbps: [], fps: [] }, NOW, SPAN, { width: 300, height: 60 }).kbpsLine).toBe("");
  });

  it("finds the sample nearest the pointer", () => {
    expect(sampleAt(series, NOW, SPAN, 300, 140)).toBe(1);
    expect(sampleAt(series, NOW, SPAN, 300, 299)).toBe(2);
    expect(sampleAt(series, NOW, SPAN, 300, -20)).toBe(0);
    expect(sampleAt({ at: [], kbps: [], fps: [] }, NOW, SPAN, 300, 10)).toBeNull();
  });
});
