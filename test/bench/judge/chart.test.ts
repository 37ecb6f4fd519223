import { describe, expect, it } from "vitest";
import { cdfPoints, niceTicks, toggleChart } from "../../../bench/judge/chart.js";

describe("chart", () => {
  it("picks round ticks that cover the range", () => {
    expect(niceTicks(2300)).toEqual([0, 500, 1000, 1500, 2000, 2500]);
    expect(niceTicks(90, 4)).toEqual([0, 50, 100]);
    expect(niceTicks(0)).toEqual([0]);
    for (const max of [1, 7, 333, 4100, 98_765]) expect(niceTicks(max).at(-1)!).toBeGreaterThanOrEqual(max);
  });
  it("steps the empirical CDF up by 1/n at each sorted value", () => {
    expect(cdfPoints([30, 10])).toEqual([[10, 0], [10, 0.5], [30, 0.5], [30, 1]]);
  });
  it("draws a standalone SVG with one line per series and one dot per sample", () => {
    const svg = toggleChart({
      title: "Toggle <on>",
      cdf: [{ label: "GOP 2 s", values: [1200, 1500, 2100], color: "#123456" }, { label: "keyframe", values: [100, 900], color: "#123456", dashed: true }],
      strips: [{ label: "bridge", values: [80, 90, 2050], color: "#654321" }],
      stripLimitMs: 300,
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain("Toggle &lt;on&gt;");
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toContain("300 ms");
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });
});
