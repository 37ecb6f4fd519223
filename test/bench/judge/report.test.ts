import { describe, expect, it } from "vitest";
import type { BenchResults } from "../../../bench/results.js";
import type { ToggleSample } from "../../../bench/measure/toggles.js";
import { relayCost, verdicts } from "../../../bench/judge/verdicts.js";
import { DIRECT_RELAY } from "../../../bench/relay-variants.js";
import { asPrevious, consoleTable, headline, markdownReport } from "../../../bench/judge/report.js";

const sample = (keyframeWaitMs: number, receiveMs: number, goneMs = 80): ToggleSample => ({
  answerMs: 10,
  receiveMs,
  audioMs: receiveMs + 5,
  keyframeWaitMs,
  overheadMs: receiveMs - keyframeWaitMs,
  firstKeyframe: true,
  liveStateMs: receiveMs,
  liveEventMs: receiveMs + 1,
  offAnswerMs: 5,
  goneMs,
  flowEndMs: goneMs - 10,
});

const silenceOf = (longestGapMs: number) => ({ longestGapMs, longestVideoGapMs: longestGapMs, gapsOver100: longestGapMs > 100 ? 1 : 0, messages: 500 });

function results(receiveMs: number): BenchResults {
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
        samples: [0, 500, 1000, 1500, 1900].map((wait) => sample(wait, receiveMs)),
        variants: [{ name: DIRECT_RELAY, change: "reads nginx", samples: [{ receiveMs: 900, audioMs: 900, keyframeWaitMs: 800, overheadMs: 100, firstKeyframe: true, reportedMs: 900, goneMs: 20 }] }],
        neighbours: [{ stream: "neighbour one (bridge)", silence, transit: { matched: 1000, medianMs: 1, maxMs: 41, extraMs: 40, worstAt: 5 }, worstAfter: { what: "bridge: on press", ms: 900 }, quiet: { silence, transit: { matched: 500, medianMs: 1, maxMs: 31, extraMs: 30, worstAt: 2 } } }],
        ingest: silence,
        toggles: 10,
        failures: 0,
        windowSeconds: 20,
        measuringLoopDelay: { quietMaxMs: 6, maxMs: 12, p99Ms: 5 },
      },
    ],
    obsDrop: {
      holdSeconds: 30,
      trials: [
        {
          kind: "gone",
          seconds: 5,
          firstKeyframeMs: 40,
          bridgeLog: ["2026-01-02T03:05:00.000Z INFO  [relay:a] live → holding"],
          destinations: [{ id: "a", sessions: 1, silence: silenceOf(120), longestStopAtMs: 10, backward: { count: 0, worstMs: 0, firstAt: null }, pictureBackMs: 60, pictureKeyframe: 0, states: ["holding", "live"] }],
        },
        {
          kind: "freeze",
          seconds: 2,
          firstKeyframeMs: 40,
          bridgeLog: [],
          destinations: [{ id: "a", sessions: 2, silence: silenceOf(900), longestStopAtMs: 10, backward: { count: 1, worstMs: 2000, firstAt: 5 }, pictureBackMs: 2060, pictureKeyframe: 1, states: ["holding", "live"] }],
        },
      ],
    },
    hungPlatform: {
      hangSeconds: 40,
      neighbours: [{ stream: "near1", silence: silenceOf(60), longestGapAtS: 3, transit: { matched: 900, medianMs: 2, maxMs: 42, extraMs: 40, worstAt: 1 }, quiet: { silence: silenceOf(50), transit: { matched: 200, medianMs: 2, maxMs: 32, extraMs: 30, worstAt: 1 } } }],
      memory: [0, 1, 2, 3].map((atSeconds) => ({ atSeconds, rssMb: 90, pssMb: 70 + atSeconds * 5 })),
      trend: { firstPssMb: 70, maxPssMb: 85, lastPssMb: 85, maxRssMb: 90, lateGrowthMb: 10, slopeMbPerMinute: 300 },
      skipsBefore: 0,
      skipsAfter: 2,
      restartsBefore: 0,
      restartsAfter: 0,
      stateDuring: "live",
      stateAfter: "live",
      bridgeLog: [],
    },
    cost: null,
    keyImage: { samples: [{ state: "live", eventMs: 1, imageMs: 3 }], pressToImageMs: [5] },
    recovery: null,
    errors: [],
  };
}

describe("verdicts", () => {
  it("meets the toggle bar when the platform receives within 500 ms, on a keyframe", () => {
    const rows = verdicts(results(180));
    expect(rows.find((row) => row.bar.startsWith("Toggle on, GOP 2 s: press"))?.pass).toBe(true);
    expect(rows.find((row) => row.bar.startsWith("Toggle off"))?.pass).toBe(true);
    expect(rows.find((row) => row.bar.startsWith("Neighbours"))?.pass).toBe(true);
    expect(rows.find((row) => row.bar.startsWith("Bridge state change"))?.pass).toBe(true);
  });
  it("misses it when the platform waits for the next keyframe, and shows the direct relay as before", () => {
    const row = verdicts(results(2040)).find((one) => one.bar.startsWith("Toggle on, GOP 2 s: press"))!;
    expect(row.pass).toBe(false);
    expect(row.measured).toContain("p95 2040 ms");
    expect(row.measured).toContain("before (relay reading nginx directly): median 900 ms");
  });
  it("misses it when the platform's first frame is not a keyframe", () => {
    const run = results(180);
    run.toggles[0]!.samples[2]!.firstKeyframe = false;
    const row = verdicts(run).find((one) => one.bar.startsWith("Toggle on, GOP 2 s: press"))!;
    expect(row.pass).toBe(false);
    expect(row.measured).toContain("first frame a keyframe 4 of 5");
  });
  it("judges each OBS drop on sessions, stops, timestamps and the picture's return", () => {
    const rows = verdicts(results(180)).filter((row) => row.bar.startsWith("OBS "));
    expect(rows.map((row) => row.pass)).toEqual([true, false]);
    expect(rows[1]!.measured).toContain("sessions 2");
    expect(rows[1]!.measured).toContain("steps back 1");
  });
  it("judges a hung platform on the neighbours and on the bridge's memory staying flat", () => {
    const rows = verdicts(results(180)).filter((row) => row.bar.startsWith("A platform hung"));
    expect(rows.map((row) => row.pass)).toEqual([true, false]);
    expect(rows[0]!.measured).toContain("skipped to a keyframe 2 times");
  });
  it("counts the bridge's share in a relay's cost, and noise below zero as nothing", () => {
    const step = {
      relays: 10,
      bridge: { ffmpegCpuPercent: 0.6, ffmpegCpuTicksPercent: 0.6, ffmpegPssMb: 15, ffmpegPssMaxMb: 16, ffmpegPssAnonMb: 12, nginxCpuPerRelay: -0.02, nodeCpuPercent: 5, nodePssMb: 80, nodeRssMb: 120, nodeCpuPerRelay: 0.3, nodePssPerRelayMb: 1.5, slowestRealtime: 1 },
      anchor: { cpuPerPush: 0.05, pssPerPushMb: 0.1, slowestRealtime: 1 },
    };
    expect(relayCost(step).cpu).toBeCloseTo(0.9);
    expect(relayCost(step).pss).toBeCloseTo(16.5);
  });
});

describe("report", () => {
  it("prints an aligned console table", () => {
    const table = consoleTable(verdicts(results(180)));
    const lines = table.split("\n");
    expect(lines[0]).toMatch(/^bar\s+target\s+measured\s+verdict$/);
    expect(lines[1]).toMatch(/^-+ {2}-+ {2}-+ {2}-+$/);
    expect(table).toContain("met");
  });
  it("writes the Markdown report with the bars, the chart and the comparison with the previous run", () => {
    const current = { ...results(180), previous: asPrevious(results(2040)) };
    const md = markdownReport({ results: current, verdicts: verdicts(current), chartFile: "benchmarks-toggle.svg", findings: "## Findings\n\nSomething." });
    expect(md).toMatch(/^# Benchmarks/);
    expect(md).toContain("| Toggle on, GOP 2 s: press → platform receiving |");
    expect(md).toContain("![Press → platform receiving");
    expect(md).toContain("## Findings");
    expect(md).toContain("## Compared with the previous run");
    expect(md).toMatch(/\| GOP 2 s: press → receiving, p95 \(ms\) \| 2040\.00 \| 180\.00 \|/);
    expect(md).toContain("| 2 s | direct from nginx (before) | 1 | 900 |");
    expect(md).toContain("## OBS drops and comes back");
    expect(md).toContain("| OBS frozen, a new encoder after 2 s | 40 | a | 2 | 900 (+10) |");
    expect(md).toContain("2060 (#2)");
    expect(md).toContain("## A platform that hangs");
    expect(md).toContain("PSS each second (MB): 70.0, 75.0, 80.0, 85.0.");
    expect(md).toContain("rtmp://PLATFORM/app/STREAM_KEY");
    expect(md).not.toMatch(/NaN|undefined/);
  });
  it("gives the key renderer's process and the bridge's event-loop delay beside the bridge's own figures", () => {
    const status = (path: string, p99Ms: number, maxMs: number) => ({ path, rate: 200, seconds: 20, requests: 4000, errors: 0, p50Ms: 1.2, p99Ms: 7, maxMs: 20, nodeCpuPercent: 9, bridgeLoopDelay: { samples: 1900, p50Ms: 0.1, p99Ms, maxMs }, clientLoopDelay: { samples: 1900, p50Ms: 0.2, p99Ms: 6.4, maxMs: 12.5 } });
    const current: BenchResults = {
      ...results(180),
      cost: {
        steps: [
          {
            relays: 10,
            bridge: { ffmpegCpuPercent: 0.6, ffmpegCpuTicksPercent: 0.6, ffmpegPssMb: 15, ffmpegPssMaxMb: 16, ffmpegPssAnonMb: 12, nginxCpuPerRelay: 0.01, nodeCpuPercent: 2, nodePssMb: 62, nodeRssMb: 98, renderer: { cpuPercent: 0.05, pssMb: 35, rssMb: 65 }, nodeCpuPerRelay: 0.15, nodePssPerRelayMb: 1, slowestRealtime: 1 },
            anchor: { cpuPerPush: 0.05, pssPerPushMb: 0.1, slowestRealtime: 1 },
          },
        ],
        idle: { bridgeNginxCpu: 0.1, anchorNginxCpu: 0.1, anchorNginxPssMb: 2, nodeCpuPercent: 0.5, nodePssMb: 50, nodeCpuNoPublisherPercent: 0.25 },
        statusLoad: [
          status("/api/health", 1.5, 4.2),
          { ...status("/api/status", 2.5, 8.7), keyPngs: { pace: "companion", keys: 10, answered: 400, errors: 0, medianMs: 1.5, p99Ms: 6.25 } },
          { ...status("/api/status", 4.5, 18.7), p99Ms: 14, keyPngs: { pace: "back-to-back", keys: 10, answered: 12000, errors: 0, medianMs: 0.4, p99Ms: 2 } },
        ],
        loadStall: { relays: 10, quietExtraMs: 20, loadExtraMs: 30, loadLongestGapMs: 60, pngs: 3000, pngMedianMs: 3, renderer: { cpuPercent: 40.5, pssMb: 82, rssMb: 114 } },
        windowSeconds: 20,
      },
    };
    const md = markdownReport({ results: current, verdicts: verdicts(current), chartFile: "benchmarks-toggle.svg", findings: "" });
    expect(md).toContain("it was running over the window at 10 relays (0.05 %, 35 MB PSS, 65 MB RSS), not counted in the bridge's column");
    expect(md).toContain("The key renderer's own process meanwhile: 40.5 % of a core, 82 MB PSS (114 MB RSS)");
    expect(md).toContain("Before any publisher (the bridge's housekeeping alone, no ingest stream read): bridge 0.25 %");
    expect(md).toContain("| `/api/health` | none | 4000 | 0 | 1.2 | 7.0 | 20.0 | 9.0 % | 1.5 / 4.2 | 6.4 / 12.5 |");
    expect(md).toContain("| `/api/status` | 10 keys at Companion's pace: 400 (20/s), median 1.5 ms, p99 6.3 ms | 4000 | 0 | 1.2 | 7.0 | 20.0 | 9.0 % | 2.5 / 8.7 | 6.4 / 12.5 |");
    expect(md).toContain("| `/api/status` | back to back: 12000 (600/s), median 0.4 ms, p99 2.0 ms | 4000 | 0 | 1.2 | 14.0 | 20.0 | 9.0 % | 4.5 / 18.7 | 6.4 / 12.5 |");
    // The bar is judged on the load beside Companion's PNGs, not on the stress.
    expect(md).toContain("| /api/status under load (10 live relays, 10 keys' PNGs at Companion's pace) | p99 ≤ 10 ms at 200 req/s | p50 1.2 ms, p99 7.0 ms, 0 errors, 400 PNGs (p99 6.3 ms); the bridge's event loop late p99 2.5 ms, max 8.7 ms, the client's p99 6.4 ms, max 12.5 ms | met |");
    expect(headline(current)["/api/status p99 at 200 req/s (ms)"]).toBe(7);
    expect(md).not.toMatch(/NaN|undefined/);
  });
  it("names the figures to follow from run to run", () => {
    expect(Object.keys(headline(results(180)))).toEqual(
      expect.arrayContaining(["GOP 2 s: press → receiving, p95 (ms)", "GOP 2 s: direct from nginx, press → receiving, p95 (ms)", "state change → key image, max (ms)", "OBS gone 5 s: longest stop at the platform (ms)"]),
    );
  });
});
