// Relay's quality bars (listed with their targets at the top of docs/benchmarks.md), checked against one run's results: one row per bar with the measured
// value and whether it is met. Pure.

import type { BenchResults } from "../results.js";
import type { ToggleRun } from "../measure/toggles.js";
import type { CostRun, CostStep, StatusLoad } from "../measure/relay-cost.js";
import { percentile, summarize } from "../stats.js";
import { DIRECT_RELAY } from "../relay-variants.js";
import { describeTrial, type ObsDropRun } from "../measure/obs-drop.js";
import type { HungPlatformRun } from "../measure/hung-platform.js";
import { encodeReceive, type EncodeRun } from "../measure/encode.js";

/** The neighbours relayed by the bridge (runs before the comparison relays existed name them without a suffix). */
export function bridgeNeighbours<T extends { stream: string }>(views: readonly T[]): T[] {
  const marked = views.filter((view) => view.stream.endsWith("(bridge)"));
  return marked.length > 0 ? marked : views.filter((view) => !view.stream.startsWith("standalone"));
}

/** Growth of the bridge's PSS over the second half of a hang that still counts as flat, MB. */
export const FLAT_MEMORY_MB = 2;

/** One quality bar as measured. `pass` is null when the run did not measure it. */
export interface Verdict {
  bar: string;
  target: string;
  measured: string;
  pass: boolean | null;
}

const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : "—");
const mb = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} MB` : "—");
const present = (values: Array<number | null>) => values.filter((value): value is number => value !== null);

/** Every bar, in the order the report lists them. */
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
    const beyond = neighbours.flatMap((view) => (view.gapBeyondIngest ? [view.gapBeyondIngest] : []));
    if (beyond.length > 0) {
      const worst = Math.max(...beyond.map((gap) => gap.worstMs));
      const p95 = Math.max(...beyond.map((gap) => gap.p95Ms));
      rows.push({
        bar: "Neighbours while one destination is toggled: longest gap beyond the ingest's own, 3 s after each press",
        target: "≤ 30 ms",
        measured: `worst ${ms(worst)}, p95 ${ms(p95)} (${beyond[0]!.windows} presses a run, ${beyond.length} neighbour streams)`,
        pass: Number.isFinite(worst) ? worst <= 30 : null,
      });
    }
  }
  if (results.obsDrop) rows.push(...dropVerdicts(results.obsDrop));
  if (results.hungPlatform) rows.push(...hungVerdicts(results.hungPlatform));
  if (results.cost) {
    for (const step of results.cost.steps) {
      const { cpu, pss } = relayCost(step);
      const direct = step.direct ? `; direct from nginx: ${(step.direct.ffmpegCpuPercent + Math.max(0, step.direct.nginxCpuPerRelay)).toFixed(2)} %, ${step.direct.ffmpegPssMb.toFixed(1)} MB` : "";
      rows.push({
        bar: `Cost per live relay at 6 Mbit/s, ${step.relays} relay${step.relays === 1 ? "" : "s"}, data plane included`,
        target: "≤ 1 % of a core, ≤ 20 MB PSS",
        measured:
          `${cpu.toFixed(2)} % (ffmpeg ${step.bridge.ffmpegCpuPercent.toFixed(2)} + ingest nginx ${step.bridge.nginxCpuPerRelay.toFixed(2)} + bridge ${(step.bridge.nodeCpuPerRelay ?? Number.NaN).toFixed(2)}), ` +
          `${pss.toFixed(1)} MB (ffmpeg ${step.bridge.ffmpegPssMb.toFixed(1)} + bridge ${(step.bridge.nodePssPerRelayMb ?? Number.NaN).toFixed(1)})${direct}`,
        pass: Number.isFinite(cpu) && Number.isFinite(pss) ? cpu <= 1 && pss <= 20 : false,
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
    const status = barStatusLoad(results.cost);
    if (status) {
      const pngs = status.keyPngs;
      rows.push({
        bar: `/api/status under load (${most?.relays ?? "?"} live relays${pngs ? `, ${pngs.keys} keys' PNGs ${pngs.pace === "companion" ? "at Companion's pace" : "back to back"}` : ""})`,
        target: "p99 ≤ 10 ms at 200 req/s",
        measured: `p50 ${status.p50Ms.toFixed(1)} ms, p99 ${status.p99Ms.toFixed(1)} ms, ${status.errors} errors${pngs ? `, ${pngs.answered} PNGs (p99 ${pngs.p99Ms.toFixed(1)} ms${pngs.errors > 0 ? `, ${pngs.errors} not given` : ""})` : ""}${status.bridgeLoopDelay ? `; the bridge's event loop late p99 ${status.bridgeLoopDelay.p99Ms.toFixed(1)} ms, max ${status.bridgeLoopDelay.maxMs.toFixed(1)} ms` : ""}${status.clientLoopDelay ? `, the client's p99 ${status.clientLoopDelay.p99Ms.toFixed(1)} ms, max ${status.clientLoopDelay.maxMs.toFixed(1)} ms` : ""}`,
        pass: status.p99Ms <= 10 && status.errors === 0 && (pngs?.errors ?? 0) === 0,
      });
    }
    const stall = results.cost.loadStall;
    if (stall) {
      rows.push({
        bar: `Platform media while /api/status is loaded and key PNGs rendered (${stall.relays} relays)`,
        target: "no stall over 100 ms",
        measured: `worst extra delay ${ms(stall.loadExtraMs)} (just before the load ${ms(stall.quietExtraMs)}), ${stall.pngs} PNGs`,
        pass: Number.isFinite(stall.loadExtraMs) ? stall.loadExtraMs <= 100 : null,
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
    // The bridge's relays start from the keyframe cache: a retry owes no keyframe wait, so the bar is the
    // backoff + 300 ms (the allowance of a toggle), at the 95th percentile of the kills.
    const kills = results.recovery.relayKills;
    const beyond = kills.map((kill) => (kill.receiveMs !== null && kill.backoffMs !== null ? kill.receiveMs - kill.backoffMs : Number.NaN));
    const liveBeyond = kills.map((kill) => (kill.liveMs !== null && kill.backoffMs !== null ? kill.liveMs - kill.backoffMs : Number.NaN));
    if (kills.length > 0) {
      const p95 = percentile(beyond, 95);
      rows.push({
        bar: "Relay killed → receiving again",
        target: "≤ its backoff + 300 ms, p95 (a start from the keyframe cache)",
        measured: `beyond the backoff: p95 ${ms(p95)} (${beyond.map((value) => ms(value)).join(", ")}); receiving after ${kills.map((kill) => ms(kill.receiveMs ?? Number.NaN)).join(", ")}; the bridge says live ${ms(percentile(liveBeyond, 50))} after the backoff (median)`,
        pass: beyond.every(Number.isFinite) ? p95 <= 300 : false,
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
  if (results.encode) rows.push(...encodeVerdicts(results.encode));
  return rows;
}

function toggleVerdicts(run: ToggleRun): Verdict[] {
  const receive = summarize(present(run.samples.map((sample) => sample.receiveMs)));
  const withAudio = run.samples.filter((sample) => sample.audioMs !== null).length;
  const notOnKeyframe = run.samples.filter((sample) => sample.firstKeyframe === false).length;
  const direct = directRelay(run);
  const before = direct ? summarize(present(direct.samples.map((sample) => sample.receiveMs))) : null;
  return [
    {
      bar: `Toggle on, GOP ${run.gopSeconds} s: press → platform receiving`,
      target: "p95 ≤ 500 ms, starting at a keyframe",
      measured:
        `median ${ms(receive.median)}, p95 ${ms(receive.p95)} (${receive.count} presses${run.failures > 0 ? `, ${run.failures} never received` : ""}); ` +
        `first frame a keyframe ${run.samples.length - notOnKeyframe} of ${run.samples.length}` +
        (before && before.count > 0 ? `; before (relay reading nginx directly): median ${ms(before.median)}, p95 ${ms(before.p95)}` : ""),
      pass: run.failures === 0 && receive.count > 0 ? receive.p95 <= 500 && notOnKeyframe === 0 : false,
    },
    {
      bar: `Toggle on, GOP ${run.gopSeconds} s: the platform gets every stream`,
      target: "video and audio on every toggle",
      measured: `audio in ${withAudio} of ${run.samples.length}`,
      pass: run.samples.length > 0 ? withAudio === run.samples.length : null,
    },
  ];
}

/** The standalone relay reading nginx directly in `run`, when it ran. */
export function directRelay(run: ToggleRun): ToggleRun["variants"][number] | undefined {
  return run.variants.find((variant) => variant.name === DIRECT_RELAY);
}

function dropVerdicts(run: ObsDropRun): Verdict[] {
  return run.trials.map((trial) => {
    const views = trial.destinations;
    const sessions = Math.max(...views.map((view) => view.sessions));
    const stop = Math.max(...views.map((view) => view.silence.longestGapMs));
    const backward = views.reduce((total, view) => total + view.backward.count, 0);
    const back = views.map((view) => view.pictureBackMs);
    const worstBack = back.some((value) => value === null) ? Number.POSITIVE_INFINITY : Math.max(...(back as number[]));
    return {
      bar: `${describeTrial(trial)} (hold ${run.holdSeconds} s), ${views.length} platforms`,
      target: "1 session each, no stop over 500 ms, time never backwards, OBS's picture ≤ its first keyframe + 200 ms",
      measured:
        `sessions ${views.map((view) => view.sessions).join(" / ")}; longest stop ${ms(stop)}; steps back ${backward}; ` +
        `picture back ${back.map((value) => (value === null ? "never" : ms(value))).join(" / ")} after the keyframe`,
      pass: views.length > 0 ? sessions === 1 && stop <= 500 && backward === 0 && worstBack <= 200 : null,
    };
  });
}

function hungVerdicts(run: HungPlatformRun): Verdict[] {
  const extra = Math.max(...run.neighbours.map((view) => view.transit.extraMs));
  const quiet = Math.max(...run.neighbours.map((view) => view.quiet.transit.extraMs));
  return [
    {
      bar: `A platform hung for ${run.hangSeconds} s: its neighbours`,
      target: "no stall over 100 ms",
      measured: `worst extra delay ${ms(extra)} (quiet window before ${ms(quiet)}); the hung relay skipped to a keyframe ${run.skipsAfter - run.skipsBefore} times${run.restartsAfter !== undefined ? ` and was restarted ${run.restartsAfter - (run.restartsBefore ?? 0)} times` : ""}`,
      pass: Number.isFinite(extra) ? extra <= 100 : null,
    },
    {
      bar: `A platform hung for ${run.hangSeconds} s: the bridge's memory`,
      target: `flat (PSS growth over the second half ≤ ${FLAT_MEMORY_MB} MB)`,
      measured: `PSS ${mb(run.trend.firstPssMb)} → max ${mb(run.trend.maxPssMb)} (second half +${mb(run.trend.lateGrowthMb)}, slope ${run.trend.slopeMbPerMinute.toFixed(1)} MB/min)`,
      pass: Number.isFinite(run.trend.lateGrowthMb) ? run.trend.lateGrowthMb <= FLAT_MEMORY_MB : null,
    },
  ];
}

/**
 * What one live relay costs with the data plane: its ffmpeg, plus its share of the ingest nginx's and
 * the bridge's use above their idle levels (a share below zero, noise, counts as zero).
 */
export function relayCost(step: CostStep): { cpu: number; pss: number } {
  const share = (value: number | undefined) => Math.max(0, value ?? Number.NaN);
  return {
    cpu: step.bridge.ffmpegCpuPercent + share(step.bridge.nginxCpuPerRelay) + share(step.bridge.nodeCpuPerRelay),
    pss: step.bridge.ffmpegPssMb + share(step.bridge.nodePssPerRelayMb),
  };
}

/** The re-encoded destination's bars (issue: per-destination encoding). */
function encodeVerdicts(run: EncodeRun): Verdict[] {
  const receive = encodeReceive(run);
  const neighbour = Math.max(...run.presses.flatMap((sample) => [sample.neighbourStartExtraMs, sample.neighbourStopExtraMs]));
  const steady = run.steady;
  const intervals = steady.keyframeIntervals;
  const off = Math.abs(steady.videoKbps / run.output.videoKbps - 1);
  const rows: Verdict[] = [
    {
      bar: "Re-encoded destination (1080p30 6M → 720p30 3M, x264): press → receiving",
      target: "p95 ≤ 800 ms",
      measured: `p50 ${ms(receive.median)}, p95 ${ms(receive.p95)} (${receive.count} of ${run.presses.length} presses, ${run.presses.filter((sample) => sample.firstIsKeyframe).length} starting on a keyframe)`,
      pass: receive.count === run.presses.length && receive.count > 0 ? receive.p95 <= 800 : false,
    },
    {
      bar: "Re-encoded destination starting and stopping: copies' extra stall",
      target: "≤ 100 ms",
      measured: `worst ${ms(neighbour)} beyond the ingest's own gap`,
      pass: Number.isFinite(neighbour) ? neighbour <= 100 : null,
    },
    {
      bar: "Re-encoded output: keyframe interval and bitrate over the steady window",
      target: "2 s; bitrate within ±15 %",
      measured: `keyframes every ${intervals.length > 0 ? `${Math.min(...intervals).toFixed(2)}–${Math.max(...intervals).toFixed(2)}` : "—"} s, ${Math.round(steady.videoKbps)} kbit/s (${(off * 100).toFixed(1)} % off)`,
      pass: intervals.length > 0 ? intervals.every((interval) => Math.abs(interval - 2) <= 0.05) && off <= 0.15 : false,
    },
    {
      bar: "Re-encoded destination: its cost",
      target: "speed ≥ 1 (keeps up)",
      measured: `ffmpeg ${steady.cpuPercent === null ? "—" : `${steady.cpuPercent.toFixed(1)} %`} of a core (the bridge reports ${steady.reportedCpuPercent === null ? "—" : `${steady.reportedCpuPercent.toFixed(1)} %`}), speed ${steady.speedMin ?? "—"}–${steady.speedMean?.toFixed(2) ?? "—"}`,
      pass: steady.speedMin !== null ? steady.speedMin >= 0.95 : null,
    },
  ];
  if (run.drop) {
    rows.push({
      bar: `Re-encoded destination through OBS gone ${run.drop.seconds} s`,
      target: "one session, longest stop ≤ 500 ms",
      measured: `${run.drop.sessions} session(s), longest stop ${ms(run.drop.longestStopMs)}`,
      pass: run.drop.sessions === 1 && run.drop.longestStopMs <= 500,
    });
  }
  return rows;
}

/**
 * The `/api/status` load the bar is judged on: the one beside Companion's key PNGs; in a run from
 * before that load existed, the first `/api/status` load.
 */
export function barStatusLoad(cost: CostRun): StatusLoad | undefined {
  const status = cost.statusLoad.filter((load) => load.path === "/api/status");
  return status.find((load) => load.keyPngs?.pace === "companion") ?? status[0];
}
