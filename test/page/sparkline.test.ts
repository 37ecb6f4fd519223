import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { INGEST_SERIES, pushSample, recordSamples, sparklineArea, sparklinePath } from "../../page/sparkline.js";

/** The points of an `M x,y L x,y …` path. */
function points(path: string): Array<[number, number]> {
  return path
    .slice(1)
    .split("L")
    .map((pair) => pair.split(",").map(Number) as [number, number]);
}

describe("pushSample", () => {
  it("keeps the newest samples up to the limit", () => {
    expect(pushSample([1, 2, 3], 4, 3)).toEqual([2, 3, 4]);
    expect(pushSample([], 5, 3)).toEqual([5]);
  });
  it("counts missing or negative bitrates as 0", () => {
    expect(pushSample([], Number.NaN)).toEqual([0]);
    expect(pushSample([], -3)).toEqual([0]);
  });
});

describe("sparklinePath", () => {
  it("is empty without samples", () => {
    expect(sparklinePath([], 100, 20)).toBe("");
    expect(sparklineArea([], 100, 20)).toBe("");
  });

  it("puts the newest sample at the right edge and the peak at the top", () => {
    const path = points(sparklinePath([0, 50, 100], 100, 20, { capacity: 3 }));
    expect(path).toEqual([
      [0, 20],
      [50, 10],
      [100, 0],
    ]);
  });

  it("grows in from the right while the history is shorter than the window", () => {
    const path = points(sparklinePath([10, 10], 110, 20, { capacity: 12 }));
    expect(path.map(([x]) => x)).toEqual([100, 110]);
  });

  it("draws a flat baseline when everything is 0, and a line even from one sample", () => {
    expect(points(sparklinePath([0], 100, 20))).toEqual([
      [100, 20],
      [100, 20],
    ]);
  });

  it("scales to `max` when it is above every sample", () => {
    const [[, y]] = points(sparklinePath([50], 100, 20, { max: 100 })) as [[number, number]];
    expect(y).toBe(10);
  });

  it("stays inside the box for any samples", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }), (values) => {
        for (const [x, y] of points(sparklinePath(values, 120, 28))) {
          expect(x).toBeGreaterThanOrEqual(-0.05);
          expect(x).toBeLessThanOrEqual(120);
          expect(y).toBeGreaterThanOrEqual(0);
          expect(y).toBeLessThanOrEqual(28);
        }
      }),
    );
  });

  it("closes the area down to the baseline", () => {
    expect(sparklineArea([0, 100], 100, 20, { capacity: 2 })).toBe("M0,20L100,0L100,20L0,20Z");
  });
});

describe("recordSamples", () => {
  it("adds one sample per series, 0 when nothing flows, and forgets removed destinations", () => {
    const first = recordSamples(new Map([["gone", [1]]]), {
      ingest: { live: true, bitrateKbps: 6000 },
      destinations: [
        { id: "youtube", bitrateKbps: 5900, state: "live" },
        { id: "twitch", bitrateKbps: 4000, state: "retrying" },
      ],
    });
    expect(first.get(INGEST_SERIES)).toEqual([6000]);
    expect(first.get("youtube")).toEqual([5900]);
    expect(first.get("twitch")).toEqual([0]);
    expect(first.has("gone")).toBe(false);
    const second = recordSamples(first, { ingest: { live: false, bitrateKbps: 6000 }, destinations: [{ id: "youtube", bitrateKbps: 6100, state: "live" }] });
    expect(second.get(INGEST_SERIES)).toEqual([6000, 0]);
    expect(second.get("youtube")).toEqual([5900, 6100]);
  });
});
