import { describe, expect, it } from "vitest";
import type { BenchResults } from "../../scripts/bench/results.js";
import type { ToggleSample } from "../../scripts/bench/measure/toggles.js";
import { verdicts } from "../../scripts/bench/verdicts.js";
import { asPrevious, consoleTable, headline, markdownReport } from "../../scripts/bench/report.js";

const sample = (keyframeWaitMs: number, overheadMs: number, goneMs = 80): ToggleSample => ({
  answerMs: 10,
  receiveMs: keyframeWaitMs + overheadMs,
  audioMs: keyframeWaitMs + overheadMs,
  keyframeWaitMs,
  overheadMs,
  liveStateMs: keyframeWaitMs + overheadMs,
  liveEventMs: keyframeWaitMs + overheadMs + 1,
  offAnswerMs: 5,
  goneMs,
  flowEndMs: goneMs - 10,
});

function results(overheadMs: number): BenchResults {
  const silence = { longestGapMs: 60, longestVideoGapMs: 60, gapsOver100: 0, messages: 1000 };
  return {
    context: {
      startedAt: "2026-01-02T03:04:05.000Z",
      finishedAt: "2026-01-02T03:20:00.000Z",
      quick: false,
      seed: 1,
      commit: "0123456789abcdef",
      dirty: false,
      machine: { cpu: "Test CPU", cores: 2, memoryGb: 8, loadBefore: [1, 1, 1], loadAfter: [1, 1, 1] },
      versions: { node: "v20", ffmpeg: "ffmpeg 5.1", nginx: "nginx/1.22" },
      relayArgs: ["-i", "rtmp://127.0.0.1:INGEST_PORT/live/STREAM", "rtmp://PLATFORM/app/STREAM_KEY"],
      clip: { size: "1280x720", fps: 30, videoKbps: 6000, totalKbps: 6280, gopSeconds: [2] },
    },
    toggles: [
      {
        gopSeconds: 2,
        samples: [0, 500, 1000, 1500, 1900].map((wait) => sample(wait, overheadMs)),
        variants: [{ name: "product", change: "as it is", samples: [{ receiveMs: 900, audioMs: 900, keyframeWaitMs: 800, overheadMs: 100, reportedMs: 900, goneMs: 20 }] }],
        neighbours: [{ stream: "neighbour one (bridge)", silence, transit: { matched: 1000, medianMs: 1, maxMs: 41, extraMs: 40, worstAt: 5 }, worstAfter: { what: "bridge: on press", ms: 900 }, quiet: { silence, transit: { matched: 500, medianMs: 1, maxMs: 31, extraMs: 30, worstAt: 2 } } }],
        ingest: silence,
        toggles: 10,
        failures: 0,
        windowSeconds: 20,
        measuringLoopDelay: { quietMaxMs: 6, maxMs: 12, p99Ms: 5 },
      },
    ],
    cost: null,
    keyImage: { samples: [{ state: "live", eventMs: 1, imageMs: 3 }], pressToImageMs: [5] },
    recovery: null,
    errors: [],
  };
}

describe("verdicts", () => {
  it("meets the toggle bar when the overhead beyond the keyframe is small", () => {
    const rows = verdicts(results(80));
    expect(rows.find((row) => row.bar.startsWith("Toggle on, GOP 2 s: press"))?.pass).toBe(true);
    expect(rows.find((row) => row.bar.startsWith("Toggle off"))?.pass).toBe(true);
    expect(rows.find((row) => row.bar.startsWith("Neighbours"))?.pass).toBe(true);
    expect(rows.find((row) => row.bar.startsWith("Bridge state change"))?.pass).toBe(true);
  });
  it("misses it when a relay adds a GOP", () => {
    const row = verdicts(results(2040)).find((one) => one.bar.startsWith("Toggle on, GOP 2 s: press"))!;
    expect(row.pass).toBe(false);
    expect(row.measured).toContain("overhead median 2040 ms");
  });
});

describe("report", () => {
  it("prints an aligned console table", () => {
    const table = consoleTable(verdicts(results(80)));
    const lines = table.split("\n");
    expect(lines[0]).toMatch(/^bar\s+target\s+measured\s+verdict$/);
    expect(lines[1]).toMatch(/^-+ {2}-+ {2}-+ {2}-+$/);
    expect(table).toContain("met");
  });
  it("writes the Markdown report with the bars, the chart and the comparison with the previous run", () => {
    const current = { ...results(80), previous: asPrevious(results(2040)) };
    const md = markdownReport({ results: current, verdicts: verdicts(current), chartFile: "benchmarks-toggle.svg", findings: "## Findings\n\nSomething." });
    expect(md).toMatch(/^# Benchmarks/);
    expect(md).toContain("| Toggle on, GOP 2 s: press → platform receiving |");
    expect(md).toContain("![Press → platform receiving");
    expect(md).toContain("## Findings");
    expect(md).toContain("## Compared with the previous run");
    expect(md).toMatch(/\| GOP 2 s: overhead beyond the keyframe, p95 \(ms\) \| 2040\.00 \| 80\.00 \|/);
    expect(md).toContain("rtmp://PLATFORM/app/STREAM_KEY");
    expect(md).not.toMatch(/NaN|undefined/);
  });
  it("names the figures to follow from run to run", () => {
    expect(Object.keys(headline(results(80)))).toEqual(expect.arrayContaining(["GOP 2 s: press → receiving, p95 (ms)", "state change → key image, max (ms)"]));
  });
});
