import { describe, expect, it } from "vitest";
import { firstAtOrAfter, gaps, longestGap, percentile, ratio, seededRandom, summarize } from "../../bench/stats.js";

describe("statistics", () => {
  it("interpolates percentiles between closest ranks", () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 95)).toBeCloseTo(48);
    expect(percentile([5], 99)).toBe(5);
    expect(percentile([3, 1, 2], 0)).toBe(1);
    expect(percentile([3, 1, 2], 100)).toBe(3);
    expect(percentile([], 50)).toBeNaN();
  });
  it("summarizes without sorting the caller's array", () => {
    const values = [30, 10, 20];
    expect(summarize(values)).toMatchObject({ count: 3, min: 10, median: 20, mean: 20, max: 30 });
    expect(values).toEqual([30, 10, 20]);
    expect(summarize([]).count).toBe(0);
  });
  it("finds gaps, the longest one and the first time at or after a moment", () => {
    expect(gaps([0, 33, 66, 166])).toEqual([33, 33, 100]);
    expect(longestGap([0, 33, 66, 166, 199])).toEqual({ gap: 100, at: 66 });
    expect(longestGap([5]).gap).toBe(0);
    expect(firstAtOrAfter([10, 20, 30], 15)).toBe(20);
    expect(firstAtOrAfter([10, 20, 30], 20)).toBe(20);
    expect(firstAtOrAfter([10, 20, 30], 31)).toBeUndefined();
  });
  it("gives NaN for a ratio that cannot be told", () => {
    expect(ratio(1, 4)).toBe(0.25);
    expect(ratio(1, 0)).toBeNaN();
  });
  it("replays the same pseudo-random sequence for a seed, spread over [0, 1)", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const values = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(values);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.filter((value) => value < 0.5).length).toBeGreaterThan(400);
    expect(seededRandom(43)()).not.toBe(seededRandom(42)());
  });
});
