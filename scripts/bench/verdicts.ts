// DESIGN.md's quality bars, checked against one run's results: one row per bar with the measured
// value and whether it is met. Pure.

import type { BenchResults } from "./results.js";
import type { ToggleRun } from "./measure/toggles.js";
import { summarize } from "./stats.js";
import { bridgeNeighbours } from "./report.js";

/** One quality bar as measured. `pass` is null when the run did not measure it. */
export interface Verdict {
  bar: string;
  target: string;
  measured: string;
  pass: boolean | null;
}

const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : "—");
const present = (values: Array<number | null>) => values.filter((value): value is number => value !== null);

/** Every bar, in DESIGN.md's order. */
export function verdicts(results: BenchResults): Verdict[] {
  const rows: Verdict[] = [];
  for (const run of results.toggles) rows.push(...toggleVerdicts(run));
  const offs = results.toggles.flatMap((run) => run.samples.map((sample) => sample.goneMs));
  if (results.toggles.length > 0) {
    const gone = summarize(present(offs));
    rows.push({
      bar: "Toggle off: press → relay gone",
      target: "p95 ≤ 150 ms",
      measured: `p95 ${ms(gone.p95)}, max ${ms(gone.max)} (${gone.count} presses${offs.length > gone.count ? `, ${offs.length - gone.count} never ended` : ""})`,
      pass: gone.count === offs.length && gone.count > 0 ? gone.p95 <= 150 : false,
    });
    // The bar is about the bridge's own relays; standalone comparison relays are reported apart.
    const neighbours = results.toggles.flatMap((run) => bridgeNeighbours(run.neighbours));
    const toggles = results.toggles.reduce((total, run) => total + run.toggles, 0);
    const extra = Math.max(...neighbours.map((view) => view.transit.extraMs));
    const raw = Math.max(...neighbours.map((view) => view.silence.longestGapMs));
    const source = Math.max(...results.toggles.map((run) => run.ingest.longestGapMs));
    rows.push({
      bar: `Neighbours while one destination is toggled ${toggles} times`,
      target: "no gap over 100 ms",
      measured: `worst extra delay ${ms(extra)} (raw longest gap ${ms(raw)}; the ingest's own longest gap ${ms(source)})`,
      pass: Number.isFinite(extra) ? extra <= 100 : null,
    });
  }
  if (results.cost) {
    for (const step of results.cost.steps) {
      const cpu = step.bridge.ffmpegCpuPercent + Math.max(0, step.bridge.nginxCpuPerRelay);
      rows.push({
        bar: `Cost per live relay at 6 Mbit/s, ${step.relays} relay${step.relays === 1 ? "" : "s"}`,
        target: "≤ 1 % of a core, ≤ 20 MB PSS",
        measured: `${cpu.toFixed(2)} % (ffmpeg ${step.bridge.ffmpegCpuPercent.toFixed(2)} + ingest nginx ${step.bridge.nginxCpuPerRelay.toFixed(2)}), ${step.bridge.ffmpegPssMb.toFixed(1)} MB`,
        pass: cpu <= 1 && step.bridge.ffmpegPssMb <= 20,
      });
    }
    const most = results.cost.steps.at(-1);
    if (most) {
      rows.push({
        bar: `${most.relays} relays in real time on this machine`,
        target: "every platform stream ≥ 0.97 × the ingest rate",
        measured: `slowest ${most.bridge.slowestRealtime.toFixed(3)} ×`,
        pass: most.bridge.slowestRealtime >= 0.97,
      });
    }
    const status = results.cost.statusLoad.find((load) => load.path === "/api/status");
    if (status) {
      rows.push({
        bar: `/api/status under load (${most?.relays ?? "?"} live relays)`,
        target: "p99 ≤ 10 ms at 200 req/s",
        measured: `p50 ${status.p50Ms.toFixed(1)} ms, p99 ${status.p99Ms.toFixed(1)} ms, ${status.errors} errors`,
        pass: status.p99Ms <= 10 && status.errors === 0,
      });
    }
  }
  if (results.keyImage) {
    const images = results.keyImage.samples.map((sample) => sample.imageMs);
    const got = summarize(present(images));
    rows.push({
      bar: "Bridge state change → key image sent",
      target: "≤ 100 ms",
      measured: `p95 ${ms(got.p95)}, max ${ms(got.max)} (${got.count} changes${images.length > got.count ? `, ${images.length - got.count} never shown` : ""})`,
      pass: got.count > 0 && got.count === images.length ? got.max <= 100 : false,
    });
  }
  if (results.recovery) {
    // "Backoff + one keyframe": the retry may start no later than its backoff, then wait for the next
    // keyframe like any start, with the same 300 ms allowance as a toggle.
    const kills = results.recovery.relayKills;
    const overBar = kills.filter((kill) => kill.excessMs === null || kill.excessMs > 300);
    if (kills.length > 0) {
      rows.push({
        bar: "Relay killed → receiving again",
        target: `≤ its backoff + the next keyframe + 300 ms (GOP ${results.recovery.gopSeconds} s)`,
        measured: `${kills.map((kill) => ms(kill.receiveMs ?? Number.NaN)).join(", ")}; beyond backoff + keyframe wait: ${kills.map((kill) => ms(kill.excessMs ?? Number.NaN)).join(", ")}`,
        pass: overBar.length === 0,
      });
    }
    const nginx = results.recovery.nginxKills;
    if (nginx.length > 0) {
      const worst = Math.max(...nginx.map((kill) => kill.allLiveMs ?? Number.POSITIVE_INFINITY));
      rows.push({
        bar: "nginx killed → every enabled destination live",
        target: "≤ 5 s, one relay per destination",
        measured: `${nginx.map((kill) => ms(kill.allLiveMs ?? Number.NaN)).join(", ")} (receiving: ${nginx.map((kill) => ms(kill.allReceivingMs ?? Number.NaN)).join(", ")})`,
        pass: worst <= 5_000 && nginx.every((kill) => kill.relaysAfter === results.recovery!.destinations),
      });
    }
  }
  return rows;
}

function toggleVerdicts(run: ToggleRun): Verdict[] {
  const receive = summarize(present(run.samples.map((sample) => sample.receiveMs)));
  const overhead = summarize(present(run.samples.map((sample) => sample.overheadMs)));
  const wait = summarize(present(run.samples.map((sample) => sample.keyframeWaitMs)));
  const withAudio = run.samples.filter((sample) => sample.audioMs !== null).length;
  return [
    {
      bar: `Toggle on, GOP ${run.gopSeconds} s: press → platform receiving`,
      target: `≤ next keyframe + 300 ms (p95 overhead ≤ 300 ms${run.gopSeconds === 2 ? "; p95 ≤ 2.3 s" : ""})`,
      measured: `median ${ms(receive.median)}, p95 ${ms(receive.p95)}; keyframe wait median ${ms(wait.median)}; overhead median ${ms(overhead.median)}, p95 ${ms(overhead.p95)}`,
      pass: run.failures === 0 && receive.count > 0 ? overhead.p95 <= 300 && (run.gopSeconds !== 2 || receive.p95 <= 2_300) : false,
    },
    {
      bar: `Toggle on, GOP ${run.gopSeconds} s: the platform gets every stream`,
      target: "video and audio on every toggle",
      measured: `audio in ${withAudio} of ${run.samples.length}`,
      pass: run.samples.length > 0 ? withAudio === run.samples.length : null,
    },
  ];
}
