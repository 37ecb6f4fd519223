import { describe, expect, it } from "vitest";
import { gapBeyondSource, silences, timestampOffset, transit, type Delivered } from "../../bench/delivery.js";

/** The part in [from, to) of a source with video every 33 ms and audio every 21 ms from t = 50 000, arriving at `at(t)`, timestamps shifted by `shift`. */
function stream(from: number, to: number, at: (timestamp: number) => number, shift = 0): Delivered[] {
  const out: Delivered[] = [];
  for (let t = 50_000; t < 60_000; t += 33) if (t >= from && t < to) out.push({ kind: "video", timestamp: t - shift, at: at(t), sequenceHeader: false });
  for (let t = 50_000; t < 60_000; t += 21) if (t >= from && t < to) out.push({ kind: "audio", timestamp: t - shift, at: at(t) + 0.5, sequenceHeader: false });
  return out.sort((a, b) => a.at - b.at);
}

describe("silences", () => {
  it("finds the longest gap, counting the window's edges", () => {
    const arrivals: Delivered[] = [0, 30, 60, 260, 290].map((at) => ({ at, kind: "video", timestamp: at, sequenceHeader: false }));
    expect(silences(arrivals, 0, 400)).toEqual({ longestGapMs: 200, longestVideoGapMs: 200, gapsOver100: 2, messages: 5 });
  });
  it("does not count codec headers as media", () => {
    const arrivals: Delivered[] = [
      { at: 10, kind: "video", timestamp: 0, sequenceHeader: true },
      { at: 150, kind: "video", timestamp: 0, sequenceHeader: false },
    ];
    expect(silences(arrivals, 0, 160).longestGapMs).toBe(150);
  });
});

describe("gapBeyondSource", () => {
  it("counts only the part of a relay's silence that its source did not have itself", () => {
    // The source pauses 163 ms after 957 (its own pacing); the relay passes that pause on, 3 ms late.
    const sourceTimes = [...Array.from({ length: 30 }, (_, i) => i * 33), 1_120, 1_153, 1_186];
    const source: Delivered[] = sourceTimes.map((at) => ({ at, kind: "video", timestamp: at, sequenceHeader: false }));
    const relayed = source.map((arrival) => ({ ...arrival, at: arrival.at + 3 }));
    // A second relay adds a stall of its own: nothing between 399 and 630 (231 ms, 68 more than the source's).
    const stalled = relayed.filter((arrival) => arrival.at < 400 || arrival.at > 600);
    const windows: Array<[number, number]> = [[0, 1_200]];
    expect(gapBeyondSource(relayed, source, windows).worstMs).toBe(0);
    expect(gapBeyondSource(stalled, source, windows).worstMs).toBe(68);
    expect(gapBeyondSource(stalled, source, [[0, 300], [0, 1_200]])).toMatchObject({ windows: 2 });
  });
});

describe("transit", () => {
  const ingest = stream(50_000, 60_000, (t) => 1_000 + t);
  it("finds the constant timestamp shift of a relay", () => {
    const relayed = stream(52_000, 56_000, (t) => 1_003 + t, 52_000);
    expect(timestampOffset(ingest, relayed)).toBe(52_000);
  });
  it("measures the worst extra delay against the ingest, free of the source's own pacing", () => {
    // The relay adds 3 ms, except one stall of 150 ms around t = 54 000.
    const relayed = stream(52_000, 56_000, (t) => 1_003 + t + (t >= 54_000 && t < 54_100 ? 150 : 0), 52_000);
    const view = transit(ingest, relayed, 0, Number.POSITIVE_INFINITY);
    expect(view.matched).toBe(relayed.length);
    expect(view.medianMs).toBeCloseTo(3, 5);
    expect(view.maxMs).toBeCloseTo(153, 5);
    expect(view.extraMs).toBeCloseTo(150, 5);
    expect(view.worstAt).toBeGreaterThan(1_000 + 54_000);
  });
  it("reports nothing matched rather than a made-up delay", () => {
    expect(transit(ingest, [], 0, 1).matched).toBe(0);
    expect(transit(ingest, [], 0, 1).extraMs).toBeNaN();
  });
});

describe("transit with remuxed timestamps", () => {
  it("matches messages whose timestamps were rounded 1 ms apart by the relay", () => {
    const ingest = stream(50_000, 60_000, (t) => 1_000 + t);
    // The relay rounds every third timestamp the other way.
    const relayed = stream(52_000, 56_000, (t) => 1_002 + t, 52_000).map((message, index) => ({ ...message, timestamp: message.timestamp + (index % 3 === 0 ? 1 : 0) }));
    const view = transit(ingest, relayed, 0, Number.POSITIVE_INFINITY);
    expect(view.matched).toBe(relayed.length);
    expect(view.medianMs).toBeCloseTo(2, 0);
    expect(view.extraMs).toBeLessThan(1);
  });
});
