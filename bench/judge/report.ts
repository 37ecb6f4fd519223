// Turns one run's results into what people read: the console table of quality bars, and the Markdown
// report (docs/benchmarks.md) with method, every table, the chart and the comparison with the
// previous run. Pure.

import { encodeReceive } from "../measure/encode.js";
import type { BenchResults, PreviousRun } from "../results.js";
import { barStatusLoad, bridgeNeighbours, relayCost, type Verdict } from "./verdicts.js";
import { summarize, type Summary } from "../stats.js";
import { DIRECT_RELAY } from "../relay-variants.js";
import { describeTrial } from "../measure/obs-drop.js";
import type { KeyPngLoad, LoopDelay } from "../measure/relay-cost.js";

const num = (value: number | null | undefined, digits = 0) => (value === null || value === undefined || !Number.isFinite(value) ? "—" : value.toFixed(digits));
const present = (values: Array<number | null>) => values.filter((value): value is number => value !== null);
const verdictMark = (pass: boolean | null) => (pass === null ? "not measured" : pass ? "met" : "MISSED");

/** The quality bars as an aligned plain-text table. */
export function consoleTable(rows: readonly Verdict[]): string {
  const header = ["bar", "target", "measured", "verdict"];
  const cells = rows.map((row) => [row.bar, row.target, row.measured, verdictMark(row.pass)]);
  const widths = header.map((title, column) => Math.min(70, Math.max(title.length, ...cells.map((cell) => cell[column]!.length))));
  const line = (cell: string[]) => cell.map((text, column) => text.padEnd(widths[column]!)).join("  ").trimEnd();
  return [line(header), widths.map((width) => "-".repeat(width)).join("  "), ...cells.map(line)].join("\n");
}

/** The figures worth following from run to run, by name (ms, %, MB). */
export function headline(results: BenchResults): Record<string, number> {
  const out: Record<string, number> = {};
  for (const run of results.toggles) {
    const receive = summarize(present(run.samples.map((sample) => sample.receiveMs)));
    const overhead = summarize(present(run.samples.map((sample) => sample.overheadMs)));
    out[`GOP ${run.gopSeconds} s: press → receiving, median (ms)`] = receive.median;
    out[`GOP ${run.gopSeconds} s: press → receiving, p95 (ms)`] = receive.p95;
    const direct = run.variants.find((variant) => variant.name === DIRECT_RELAY);
    if (direct) out[`GOP ${run.gopSeconds} s: direct from nginx, press → receiving, p95 (ms)`] = summarize(present(direct.samples.map((sample) => sample.receiveMs))).p95;
    else out[`GOP ${run.gopSeconds} s: overhead beyond the keyframe, p95 (ms)`] = overhead.p95;
    out[`GOP ${run.gopSeconds} s: press → relay gone, p95 (ms)`] = summarize(present(run.samples.map((sample) => sample.goneMs))).p95;
    out[`GOP ${run.gopSeconds} s: neighbours' worst extra delay (ms)`] = Math.max(...bridgeNeighbours(run.neighbours).map((view) => view.transit.extraMs));
  }
  const most = results.cost?.steps.at(-1);
  if (most) {
    out[`${most.relays} relays: CPU per relay (% of a core)`] = most.bridge.ffmpegCpuPercent + Math.max(0, most.bridge.nginxCpuPerRelay);
    out[`${most.relays} relays: PSS per relay (MB)`] = most.bridge.ffmpegPssMb;
    if (most.bridge.nodeCpuPerRelay !== undefined) {
      out[`${most.relays} relays: CPU per relay, data plane included (% of a core)`] = relayCost(most).cpu;
      out[`${most.relays} relays: PSS per relay, data plane included (MB)`] = relayCost(most).pss;
    }
    out[`${most.relays} relays: bridge CPU (% of a core)`] = most.bridge.nodeCpuPercent;
  }
  const status = results.cost ? barStatusLoad(results.cost) : undefined;
  if (status) out["/api/status p99 at 200 req/s (ms)"] = status.p99Ms;
  for (const trial of results.obsDrop?.trials ?? []) {
    out[`${describeTrial(trial)}: longest stop at the platform (ms)`] = Math.max(...trial.destinations.map((view) => view.silence.longestGapMs));
  }
  if (results.hungPlatform) {
    out["hung platform: neighbours' worst extra delay (ms)"] = Math.max(...results.hungPlatform.neighbours.map((view) => view.transit.extraMs));
    out["hung platform: bridge PSS growth, second half (MB)"] = results.hungPlatform.trend.lateGrowthMb;
  }
  if (results.keyImage) out["state change → key image, max (ms)"] = summarize(present(results.keyImage.samples.map((sample) => sample.imageMs))).max;
  if (results.recovery) {
    out["relay killed → receiving, median (ms)"] = summarize(present(results.recovery.relayKills.map((kill) => kill.receiveMs))).median;
    out["nginx killed → all live, max (ms)"] = summarize(present(results.recovery.nginxKills.map((kill) => kill.allLiveMs))).max;
  }
  return out;
}

/** What a later run keeps of `results` to compare with. */
export function asPrevious(results: BenchResults): PreviousRun {
  const { startedAt, commit, dirty, quick } = results.context;
  return { startedAt, commit, dirty, quick, headline: headline(results) };
}

export interface ReportInput {
  results: BenchResults;
  verdicts: readonly Verdict[];
  chartFile: string;
  /** Hand-written findings and proposed changes (bench/findings.md), included as they are. */
  findings: string;
}

/** docs/benchmarks.md */
export function markdownReport({ results, verdicts, chartFile, findings }: ReportInput): string {
  const { context, previous } = results;
  const out: string[] = [];
  out.push("# Benchmarks", "");
  out.push(
    `Generated by \`npm run bench${context.quick ? " -- --quick" : ""}\` on ${context.startedAt.slice(0, 16).replace("T", " ")} UTC, ` +
      `commit \`${context.commit.slice(0, 10)}\`${context.dirty ? " with uncommitted changes under bridge/ or src/" : ""}` +
      `${context.bridgeBuild ? ` (bridge bundle ${context.bridgeBuild}, copied aside for the whole run)` : ""}, ` +
      `${context.quick ? "quick mode (few samples: indicative only)" : "full mode"}, seed ${context.seed}. ` +
      `Everything runs on loopback with the real programs: the built bridge, nginx-rtmp, ffmpeg, the built Stream Deck plugin.`,
    "",
  );
  out.push(
    `Machine: ${context.machine.cpu}, ${context.machine.cores} cores, ${context.machine.memoryGb.toFixed(0)} GB; load average ` +
      `${context.machine.loadBefore.map((value) => value.toFixed(2)).join(" / ")} before, ${context.machine.loadAfter.map((value) => value.toFixed(2)).join(" / ")} after ` +
      `(the machine is shared: other work runs beside the benchmark). Node ${context.versions.node}, ${context.versions.ffmpeg}, ${context.versions.nginx}.`,
    "",
  );
  out.push(
    `Media: a ${context.clip.size} ${context.clip.fps} fps x264 clip at ${context.clip.videoKbps} kbit/s CBR (filler-padded, as OBS's CBR sends) with AAC audio, ` +
      `${num(context.clip.totalKbps)} kbit/s in all, fixed GOP of ${context.clip.gopSeconds.join(" and ")} s, looped at its real pace by an ffmpeg \`-re -c copy\` publisher standing in for OBS.`,
    "",
  );

  out.push("## Quality bars", "");
  out.push("| bar | target | measured | verdict |", "| --- | --- | --- | --- |");
  for (const row of verdicts) out.push(`| ${row.bar} | ${row.target} | ${row.measured} | ${row.pass === false ? "**missed**" : verdictMark(row.pass)} |`);
  out.push("");
  if (results.errors.length > 0) {
    out.push("Sections that failed in this run:", "");
    for (const error of results.errors) out.push(`- ${error.section}: ${error.message}`);
    out.push("");
  }

  if (findings.trim() !== "") out.push(findings.trim(), "");

  if (previous) {
    const before = previous.headline;
    const after = headline(results);
    const names = Object.keys(after).filter((name) => name in before);
    if (names.length > 0) {
      out.push("## Compared with the previous run", "");
      out.push(
        `Previous: ${previous.startedAt.slice(0, 16).replace("T", " ")} UTC, commit \`${previous.commit.slice(0, 10)}\`${previous.dirty ? " (uncommitted changes)" : ""}, ${previous.quick ? "quick" : "full"} mode.`,
        "",
      );
      out.push("| figure | previous | this run |", "| --- | --- | --- |");
      for (const name of names) out.push(`| ${name} | ${num(before[name], 2)} | ${num(after[name], 2)} |`);
      out.push("");
    }
  }

  if (results.toggles.length > 0) out.push(...toggleSection(results, chartFile));
  if (results.obsDrop) out.push(...obsDropSection(results));
  if (results.hungPlatform) out.push(...hungSection(results));
  if (results.cost) out.push(...costSection(results));
  if (results.keyImage) out.push(...keyImageSection(results));
  if (results.recovery) out.push(...recoverySection(results));
  if (results.encode) out.push(...encodeSection(results));
  out.push("## The relay's command line in this run", "", "The bridge's relays read FLV from the data plane on stdin:", "", "```", context.relayArgs.join(" "), "```", "");
  return out.join("\n");
}

function summaryRow(label: string, values: Array<number | null>, extra = ""): string {
  const summary: Summary = summarize(present(values));
  return `| ${label} | ${summary.count} | ${num(summary.median)} | ${num(summary.p95)} | ${num(summary.max)} |${extra}`;
}

function toggleSection(results: BenchResults, chartFile: string): string[] {
  const out: string[] = [];
  out.push("## Toggle on: press → platform receiving", "");
  out.push(
    "Method. The bridge relays to a test platform (a second nginx-rtmp). An RTMP player written for the benchmark subscribes to the platform stream " +
      "before the press (nginx-rtmp feeds an idle subscriber as soon as a publisher comes), so the first video message it reads is the moment the platform " +
      "started receiving, and its keyframe flag says whether the platform started on a keyframe; a second player on the bridge's ingest timestamps every " +
      "keyframe as it passes through nginx. The bridge's data plane keeps the current GOP of the ingest and starts a new relay from its last keyframe, " +
      "so *press → receiving* is the bridge's figure, whatever the GOP. *Before*: in the same rounds (random order, random phase), a standalone relay " +
      "reading the ingest from nginx directly (`buildRelayArgs({ inputUrl })`, the relay before the data plane) to its own platform stream; nginx-rtmp " +
      "has no GOP cache, so it cannot start before the next keyframe: *keyframe wait* = press → next keyframe at the ingest, *overhead* = receiving − " +
      "that keyframe. Presses come at random phases of the GOP (uniform over a GOP, seeded). All times on one monotonic clock in one process; a player " +
      "reads its socket as data arrives, so the error is the event loop's delay (typically < 1 ms, a few ms on a loaded machine). Press = the HTTP " +
      "request leaving the client (`POST /api/destinations/:id/start`, as Companion sends it).",
    "",
  );
  out.push("### Before and after, same run", "");
  out.push(
    "| GOP | relay | n | receiving median (ms) | p95 | max | first frame a keyframe | audio | next keyframe wait, median | receiving − next keyframe, median |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  );
  for (const run of results.toggles) {
    const lines: Array<[string, Array<{ receiveMs: number | null; audioMs: number | null; keyframeWaitMs: number | null; overheadMs: number | null; firstKeyframe?: boolean | null }>]> = [["**bridge (data plane)**", run.samples]];
    const direct = run.variants.find((variant) => variant.name === DIRECT_RELAY);
    if (direct) lines.push(["direct from nginx (before)", direct.samples]);
    for (const [label, samples] of lines) {
      const receive = summarize(present(samples.map((sample) => sample.receiveMs)));
      const keyframes = samples.filter((sample) => sample.firstKeyframe === true).length;
      const told = samples.filter((sample) => sample.firstKeyframe !== undefined && sample.firstKeyframe !== null).length;
      const audio = samples.filter((sample) => sample.audioMs !== null).length;
      out.push(
        `| ${run.gopSeconds} s | ${label} | ${samples.length} | ${num(receive.median)} | ${num(receive.p95)} | ${num(receive.max)} | ${told > 0 ? `${keyframes}/${told}` : "—"} | ${audio}/${samples.length} | ` +
          `${num(summarize(present(samples.map((sample) => sample.keyframeWaitMs))).median)} | ${num(summarize(present(samples.map((sample) => sample.overheadMs))).median)} |`,
      );
    }
  }
  out.push("");
  out.push("### Through the bridge, in detail", "");
  out.push("| GOP | measure (ms after the press) | n | median | p95 | max |", "| --- | --- | --- | --- | --- | --- |");
  for (const run of results.toggles) {
    const rows: Array<[string, Array<number | null>]> = [
      ["API answered", run.samples.map((sample) => sample.answerMs)],
      ["**platform receiving video**", run.samples.map((sample) => sample.receiveMs)],
      ["platform receiving audio", run.samples.map((sample) => sample.audioMs)],
      ["next keyframe at the ingest (reference)", run.samples.map((sample) => sample.keyframeWaitMs)],
      ["receiving − next keyframe (negative: before it, from the cache)", run.samples.map((sample) => sample.overheadMs)],
      ["bridge says `live` (state `since`)", run.samples.map((sample) => sample.liveStateMs)],
      ["`live` event reached an SSE client", run.samples.map((sample) => sample.liveEventMs)],
      ["`live` said before receiving (live − receiving)", run.samples.map((sample) => (sample.liveStateMs === null || sample.receiveMs === null ? null : sample.receiveMs - sample.liveStateMs))],
    ];
    for (const [label, values] of rows) out.push(summaryRow(`${run.gopSeconds} s | ${label}`, values));
  }
  out.push("");
  for (const run of results.toggles) {
    const direct = run.variants.find((variant) => variant.name === DIRECT_RELAY);
    if (!direct) continue;
    // A relay reading nginx that subscribes after the next keyframe passed waits a whole GOP more.
    const misses = direct.samples.filter((sample) => sample.overheadMs !== null && sample.overheadMs > (run.gopSeconds * 1000) / 2);
    const waits = misses.map((sample) => sample.keyframeWaitMs).filter((wait): wait is number => wait !== null);
    out.push(
      `GOP ${run.gopSeconds} s: the direct relay started on the next keyframe after ${direct.samples.length - misses.length} of ${direct.samples.length} starts` +
        (misses.length > 0 ? `; it missed it when that keyframe passed ${waits.map((wait) => num(wait)).join(", ")} ms after the start (the relay was not reading the ingest yet).` : "."),
      "",
    );
  }
  out.push(`![Press → platform receiving: through the bridge (solid) and through a relay reading nginx directly (dashed)](${chartFile})`, "");

  const withVariants = results.toggles.filter((run) => run.variants.length > 1);
  for (const run of withVariants) {
    out.push(`### The direct relay's ffmpeg input flags side by side (GOP ${run.gopSeconds} s, same ingest, same platform, same rounds)`, "");
    out.push(
      "Standalone ffmpeg relays reading nginx directly, built from the product's own `buildRelayArgs({ inputUrl })` with one change each, started in the same rounds as the bridge's toggles " +
        "(random order, random phase). Spawn → platform receiving; *claimed media* is when ffmpeg's `-progress` first showed media the way the bridge " +
        "reads it (`showsMedia`: frame > 0 or out_time > 0), which is when the bridge says `live`. Each is then asked to stop its way and " +
        "timed until its process is gone.",
      "",
    );
    out.push(
      "| variant | change | n | receiving median | overhead median | overhead p95 | overhead max | audio | claimed media before receiving (median) | stop → gone median / max |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    );
    for (const variant of run.variants) {
      const receive = summarize(present(variant.samples.map((sample) => sample.receiveMs)));
      const overhead = summarize(present(variant.samples.map((sample) => sample.overheadMs)));
      const audio = variant.samples.filter((sample) => sample.audioMs !== null).length;
      const early = summarize(present(variant.samples.map((sample) => (sample.reportedMs === null || sample.receiveMs === null ? null : sample.receiveMs - sample.reportedMs))));
      const gone = summarize(present(variant.samples.map((sample) => sample.goneMs)));
      out.push(`| ${variant.name} | ${variant.change} | ${variant.samples.length} | ${num(receive.median)} | ${num(overhead.median)} | ${num(overhead.p95)} | ${num(overhead.max)} | ${audio}/${variant.samples.length} | ${num(early.median)} ms | ${num(gone.median)} / ${num(gone.max)} ms |`);
    }
    out.push("");
  }

  out.push("## Toggle off, and the neighbours", "");
  out.push(
    "Off press → the relay's ffmpeg process is gone (its /proc entry polled every 2 ms; a zombie counts as gone), and → the last media the platform got " +
      "from it. Meanwhile two neighbour destinations stay live; their players record every message. *Extra delay* matches each message the neighbour's " +
      "platform received to the same message at the ingest (ffmpeg `-c copy` shifts timestamps by one constant) and takes the worst transit minus the " +
      "median transit: a stall a viewer would see, free of the publisher's own pacing jitter. The same figure over a quiet window before any switching " +
      "shows what the shared machine alone causes. The raw longest gap between two messages is shown too, with the ingest's own longest gap over the same " +
      "window for reference. *Gap beyond the ingest's*: in the 3 s after each on and off press, the neighbour's longest gap minus the ingest's own longest gap " +
      "in the same 3 s (a pause the publisher made itself is not the bridge's); the worst and the 95th percentile over the presses.",
    "",
  );
  out.push("| GOP | measure (ms after the off press) | n | median | p95 | max |", "| --- | --- | --- | --- | --- | --- |");
  for (const run of results.toggles) {
    out.push(summaryRow(`${run.gopSeconds} s | API answered`, run.samples.map((sample) => sample.offAnswerMs)));
    out.push(summaryRow(`${run.gopSeconds} s | **relay process gone**`, run.samples.map((sample) => sample.goneMs)));
    out.push(summaryRow(`${run.gopSeconds} s | last media at the platform`, run.samples.map((sample) => sample.flowEndMs)));
  }
  out.push("");
  out.push(
    "| GOP | stream | toggles | window (s) | messages | worst extra delay (ms) | same, quiet window before (ms) | median transit (ms) | raw longest gap (ms) | gap beyond the ingest's, 3 s after a press: worst / p95 (ms) | gaps > 100 ms | worst came after | relay CPU (% of a core) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  );
  for (const run of results.toggles) {
    for (const view of run.neighbours) {
      const after = view.worstAfter ? `${view.worstAfter.what} (+${num(view.worstAfter.ms)} ms)` : "—";
      const beyond = view.gapBeyondIngest ? `${num(view.gapBeyondIngest.worstMs)} / ${num(view.gapBeyondIngest.p95Ms)}` : "—";
      out.push(`| ${run.gopSeconds} s | ${view.stream} | ${run.toggles} | ${num(run.windowSeconds)} | ${view.silence.messages} | ${num(view.transit.extraMs)} | ${num(view.quiet.transit.extraMs)} | ${num(view.transit.medianMs, 1)} | ${num(view.silence.longestGapMs)} | ${beyond} | ${view.silence.gapsOver100} | ${after} | ${num(view.cpuPercent, 2)} |`);
    }
    out.push(`| ${run.gopSeconds} s | the ingest itself (reference) | — | ${num(run.windowSeconds)} | ${run.ingest.messages} | — | — | — | ${num(run.ingest.longestGapMs)} | — | ${run.ingest.gapsOver100} | — | — |`);
  }
  out.push("");
  out.push(
    "The measuring process's own event loop (every arrival is timed there, so a late loop looks like a delay the relays did not cause): " +
      results.toggles
        .map((run) => `GOP ${run.gopSeconds} s: at most ${num(run.measuringLoopDelay?.quietMaxMs)} ms late in the quiet window, ${num(run.measuringLoopDelay?.maxMs)} ms (p99 ${num(run.measuringLoopDelay?.p99Ms, 1)} ms) while switching`)
        .join("; ") +
      ".",
    "",
  );
  return out;
}

function costSection(results: BenchResults): string[] {
  const cost = results.cost!;
  const out: string[] = [];
  out.push("## Cost per live relay at 6 Mbit/s, data plane included, against the direct relay and nginx's own push", "");
  out.push(
    `Method. N destinations are switched on and left live, then over a ${cost.windowSeconds} s window CPU time (the scheduler's nanosecond ` +
      "accounting, /proc/PID/task/*/schedstat; utime + stime from /proc/PID/stat, in 10 ms ticks, as a cross-check below) and PSS " +
      "(/proc/PID/smaps_rollup; PSS splits shared pages among the processes mapping them, so ffmpeg's libraries weigh less per relay as relays are " +
      "added: the anonymous part is each relay's own memory) are read for every relay ffmpeg (the bridge's children), the bridge's nginx worker and the bridge " +
      "itself. The bridge now reads the ingest and feeds every relay (the data plane): its CPU and PSS above its idle level (publisher only, no relay, " +
      "its ingest reader running; CPU: the lower of a reading before the steps and one after them, PSS: the one before), " +
      "divided by N, are each relay's share, as is the ingest nginx worker's CPU above its idle level. *Per relay* = ffmpeg + nginx share + bridge share " +
      "(a share below zero, noise, counts as zero). *Direct from nginx*, in the same run right after: N standalone relays reading the ingest from nginx " +
      "themselves (the relay before the data plane; the bridge then feeds none). *Push*: an nginx-rtmp with N `push` lines to the same platform, fed by " +
      "the same publisher; its worker's CPU and PSS above its level with no push. *Real time*: bytes the platform received per stream over the window, " +
      "divided by the clip's rate.",
    "",
  );
  out.push(
    `Idle levels (publisher only): bridge's nginx worker ${num(cost.idle.bridgeNginxCpu, 2)} %, bridge ${num(cost.idle.nodeCpuPercent, 2)} % and ${num(cost.idle.nodePssMb, 1)} MB PSS, push nginx worker ${num(cost.idle.anchorNginxCpu, 2)} % and ${num(cost.idle.anchorNginxPssMb, 1)} MB.` +
      (cost.idle.nodeCpuNoPublisherPercent !== undefined
        ? ` Before any publisher (the bridge's housekeeping alone, no ingest stream read): bridge ${num(cost.idle.nodeCpuNoPublisherPercent, 2)} %; the difference is what reading the ingest into the keyframe cache costs.`
        : ""),
    "",
  );
  out.push(
    "| relays | ffmpeg CPU per relay (% of a core) | + ingest nginx | + bridge | = **per relay** | ffmpeg PSS per relay (MB, max) | of which anonymous | + bridge PSS | = **per relay (MB)** | direct from nginx: CPU (ffmpeg + nginx) / PSS | nginx push CPU / PSS per push | bridge CPU / PSS / RSS | slowest stream (× real time): bridge / direct / push |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  );
  for (const step of cost.steps) {
    const { cpu, pss } = relayCost(step);
    const direct = step.direct;
    out.push(
      `| ${step.relays} | ${num(step.bridge.ffmpegCpuPercent, 2)} | ${num(step.bridge.nginxCpuPerRelay, 2)} | ${num(step.bridge.nodeCpuPerRelay, 2)} | **${num(cpu, 2)}** | ` +
        `${num(step.bridge.ffmpegPssMb, 1)} (${num(step.bridge.ffmpegPssMaxMb, 1)}) | ${num(step.bridge.ffmpegPssAnonMb, 1)} | ${num(step.bridge.nodePssPerRelayMb, 1)} | **${num(pss, 1)}** | ` +
        `${direct ? `${num(direct.ffmpegCpuPercent + Math.max(0, direct.nginxCpuPerRelay), 2)} (${num(direct.ffmpegCpuPercent, 2)} + ${num(direct.nginxCpuPerRelay, 2)}) / ${num(direct.ffmpegPssMb, 1)}` : "—"} | ` +
        `${num(step.anchor.cpuPerPush, 2)} / ${num(step.anchor.pssPerPushMb, 2)} | ${num(step.bridge.nodeCpuPercent, 2)} % / ${num(step.bridge.nodePssMb, 0)} / ${num(step.bridge.nodeRssMb, 0)} | ` +
        `${num(step.bridge.slowestRealtime, 3)} / ${num(direct?.slowestRealtime, 3)} / ${num(step.anchor.slowestRealtime, 3)} |`,
    );
  }
  const rendered = cost.steps.filter((step) => step.bridge.renderer);
  out.push(
    "",
    "*Bridge CPU / PSS / RSS* is the bridge's own process. Its key renderer is a process of its own, started by a key PNG and ended after a minute without one: " +
      (rendered.length > 0
        ? `it was running over the window at ${rendered.map((step) => `${step.relays} relays (${num(step.bridge.renderer!.cpuPercent, 2)} %, ${num(step.bridge.renderer!.pssMb, 0)} MB PSS, ${num(step.bridge.renderer!.rssMb, 0)} MB RSS)`).join(", ")}, not counted in the bridge's column.`
        : "it was not running over any of the windows (its figures under load are below)."),
  );
  out.push("", `Cross-check, ffmpeg CPU per relay from utime + stime ticks: ${cost.steps.map((step) => `${step.relays} relays ${num(step.bridge.ffmpegCpuTicksPercent, 2)} %`).join(", ")}.`, "");
  if (cost.statusLoad.length > 0) {
    const relays = cost.steps.at(-1)?.relays ?? 0;
    out.push(`### The bridge's HTTP API under load, ${relays} relays live`, "");
    out.push(
      "autocannon, 10 connections, a fixed 200 requests per second (open loop), every answer's latency recorded from its `response` event. " +
        "`/api/health` goes through the same Koa app and does no work: it is the control for what the machine and the client add. " +
        "`/api/status` is loaded twice: beside key PNGs at Companion's pace (Relay's Companion module redraws every key at once on its 1 s clock tick and on each status event, " +
        "about one a second: here every key's PNG at Companion's button size, all at once, twice a second), which is the bar's load; then beside key PNGs fetched back to back, " +
        "as fast as the bridge answers them (a stress far beyond any client, with the media watched, below).",
      "",
    );
    out.push(
      "*Event loop late*: how late a 10 ms timer ran (Node's `monitorEventLoopDelay`, its 10 ms taken off), p99 / max: in the bridge (loaded into it for this section only), and in the benchmark's own process, where autocannon times every answer, so its lateness is in the latencies too.",
      "",
    );
    out.push(
      "| path | key PNGs meanwhile | requests | errors | p50 (ms) | p99 (ms) | max (ms) | bridge CPU meanwhile | bridge's event loop late, p99 / max (ms) | the client's event loop late, p99 / max (ms) |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    );
    const loop = (delay: LoopDelay | undefined) => (delay ? `${num(delay.p99Ms, 1)} / ${num(delay.maxMs, 1)}` : "—");
    for (const load of cost.statusLoad) {
      out.push(`| \`${load.path}\` | ${keyPngsCell(load.keyPngs, load.seconds)} | ${load.requests} | ${load.errors} | ${num(load.p50Ms, 1)} | ${num(load.p99Ms, 1)} | ${num(load.maxMs, 1)} | ${num(load.nodeCpuPercent, 1)} % | ${loop(load.bridgeLoopDelay)} | ${loop(load.clientLoopDelay)} |`);
    }
    out.push("");
    const stall = cost.loadStall;
    if (stall) {
      out.push(
        `Media meanwhile: two of the ${stall.relays} platform streams are watched (extra delay matched against the ingest, as in the toggle section) while ` +
          `\`/api/status\` is loaded and key PNGs are fetched one after another (${stall.pngs} rendered, median ${num(stall.pngMedianMs, 1)} ms each, both sizes in turn so the ` +
          `bridge's cache of renderings rarely answers): worst extra delay ${num(stall.loadExtraMs)} ms, longest gap ${num(stall.loadLongestGapMs)} ms; ` +
          `over the cost window just before, ${num(stall.quietExtraMs)} ms. ` +
          (stall.renderer
            ? `The key renderer's own process meanwhile: ${num(stall.renderer.cpuPercent, 1)} % of a core, ${num(stall.renderer.pssMb, 0)} MB PSS (${num(stall.renderer.rssMb, 0)} MB RSS), beside the bridge's CPU above.`
            : "No key renderer process was found during the load."),
        "",
      );
    }
  }
  return out;
}

function keyImageSection(results: BenchResults): string[] {
  const run = results.keyImage!;
  const out: string[] = [];
  out.push("## Bridge state change → SSE event → key image", "");
  out.push(
    "The built plugin runs against a stand-in for the Stream Deck app (a WebSocket server speaking the app's protocol) and the real bridge. A key is " +
      "pressed (keyDown/keyUp, as the app sends them); for each state the destination goes through, the time from the bridge's own `since` (Date.now() in " +
      "the bridge) to the event reaching an SSE client and to the plugin's `setImage` with that state's title arriving at the stand-in (Date.now(), same " +
      "machine clock, 1 ms resolution).",
    "",
  );
  out.push("| state | n | event: median | event: max | key image: median | key image: p95 | key image: max |", "| --- | --- | --- | --- | --- | --- | --- |");
  for (const state of ["starting", "live", "stopping", "off"] as const) {
    const samples = run.samples.filter((sample) => sample.state === state);
    if (samples.length === 0) continue;
    const event = summarize(samples.map((sample) => sample.eventMs));
    const image = summarize(present(samples.map((sample) => sample.imageMs)));
    out.push(`| ${state} | ${samples.length} | ${num(event.median)} | ${num(event.max)} | ${num(image.median)} | ${num(image.p95)} | ${num(image.max)} |`);
  }
  const press = summarize(run.pressToImageMs);
  out.push("", `Key down → the key shows the new state (starting or stopping): median ${num(press.median)} ms, max ${num(press.max)} ms over ${press.count} presses.`, "");
  return out;
}

function encodeSection(results: BenchResults): string[] {
  const run = results.encode!;
  const receive = encodeReceive(run);
  const out: string[] = ["## Per-destination encoding", ""];
  out.push(
    `OBS sends ${run.input}; one destination re-encodes it to ${run.output.height}p${run.output.fps} at ${run.output.videoKbps} kbit/s with ${run.output.encoder} ` +
      "(veryfast, zero latency), beside two destinations that copy it. Press → receiving is the first video frame at the platform; the copies' extra " +
      "stall is their longest video gap in the 3 s after a press minus the ingest's own gap in the same window.",
    "",
    "| figure | value |",
    "| --- | --- |",
    `| press → receiving | p50 ${num(receive.median)} ms, p95 ${num(receive.p95)} ms, max ${num(receive.max)} ms (${receive.count} presses) |`,
    `| first frame a keyframe | ${run.presses.filter((sample) => sample.firstIsKeyframe).length} of ${run.presses.length} |`,
    `| copies' extra stall, start / stop | worst ${num(Math.max(...run.presses.map((sample) => sample.neighbourStartExtraMs)))} / ${num(Math.max(...run.presses.map((sample) => sample.neighbourStopExtraMs)))} ms |`,
    `| its ffmpeg's CPU (from /proc; the bridge reports) | ${num(run.steady.cpuPercent, 1)} % / ${num(run.steady.reportedCpuPercent, 1)} % of one core |`,
    `| speed (media per real second, min–mean) | ${num(run.steady.speedMin, 2)}–${num(run.steady.speedMean, 2)} |`,
    `| output over ${num(run.steady.windowMs / 1000)} s | ${num(run.steady.videoKbps)} kbit/s video, ${num(run.steady.fps, 1)} fps, keyframes every ${run.steady.keyframeIntervals.map((interval) => interval.toFixed(2)).join(", ")} s |`,
  );
  if (run.drop) out.push(`| OBS gone ${run.drop.seconds} s | ${run.drop.sessions} session(s), longest stop ${num(run.drop.longestStopMs)} ms (a copy beside it: ${num(run.drop.copyLongestStopMs)} ms) |`);
  out.push("");
  return out;
}

function recoverySection(results: BenchResults): string[] {
  const run = results.recovery!;
  const out: string[] = [];
  out.push("## Recovery", "");
  out.push(
    `${run.destinations} destinations live (GOP ${run.gopSeconds} s). *Relay killed*: SIGKILL to one relay's ffmpeg; backoff = the bridge's \`retryAt\` − the ` +
      "moment it went `retrying`; keyframe wait = from the retry's start to the next keyframe at the ingest; excess = receiving − backoff − keyframe wait " +
      "(a retry starts from the data plane's keyframe cache and need not wait for that keyframe: the excess may be negative). " +
      "Each trial starts from the first backoff (the destination is switched off and on between trials). *nginx killed*: SIGKILL to the bridge's nginx " +
      "master and worker; the OBS stand-in publishes again 500 ms after its connection drops (OBS's automatic reconnect).",
    "",
  );
  if (run.relayKills.length > 0) {
    out.push("| relay killed | backoff | receiving again | `live` again | keyframe wait | excess |", "| --- | --- | --- | --- | --- | --- |");
    run.relayKills.forEach((kill, index) => out.push(`| ${index + 1} | ${num(kill.backoffMs)} | ${num(kill.receiveMs)} | ${num(kill.liveMs)} | ${num(kill.keyframeWaitMs)} | ${num(kill.excessMs)} |`));
    out.push("");
  }
  if (run.nginxKills.length > 0) {
    out.push("| nginx killed | nginx running | OBS publishing again | every destination `live` | every platform receiving | relays after |", "| --- | --- | --- | --- | --- | --- |");
    run.nginxKills.forEach((kill, index) => out.push(`| ${index + 1} | ${num(kill.nginxRunningMs)} | ${num(kill.ingestLiveMs)} | ${num(kill.allLiveMs)} | ${num(kill.allReceivingMs)} | ${kill.relaysAfter} |`));
    out.push("");
  }
  return out;
}

function obsDropSection(results: BenchResults): string[] {
  const run = results.obsDrop!;
  const out: string[] = [];
  out.push("## OBS drops and comes back", "");
  out.push(
    `Two destinations live on one platform (an nginx-rtmp with \`record all\` and \`record_unique\`: one file per publish, so files = sessions), hold ${run.holdSeconds} s. ` +
      "*Gone N s*: the OBS stand-in stops (a clean unpublish) and a new one publishes the same name N s later. *Frozen*: the OBS stand-in is frozen " +
      "(SIGSTOP: its connection stays open, nothing flows), a new one publishes the same name after the given seconds, and the frozen one is killed once the " +
      "new one's first keyframe passed. Players on the platform streams record every message: *longest stop* = the longest wall-clock gap between two media " +
      "messages from 1 s before the drop to 3 s after OBS's picture was back; *steps back* = messages whose timestamp is below the previous one of the same " +
      "track; *picture back* = the first frame of OBS's picture at the platform (OBS's first keyframe after it came back, recognised by its size: the relays " +
      "copy frames as they are, the stand-in's are much smaller) − when that keyframe passed the ingest (a player there). *States*: what the bridge's " +
      "events said of the destination meanwhile.",
    "",
  );
  out.push(
    "| drop | OBS back → first keyframe (ms) | platform | sessions | longest stop (ms, from when after the drop) | longest video stop (ms) | steps back (worst, ms) | picture back after OBS's first keyframe (ms; which keyframe) | states |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  );
  for (const trial of run.trials) {
    for (const view of trial.destinations) {
      out.push(
        `| ${describeTrial(trial)} | ${num(trial.firstKeyframeMs)} | ${view.id} | ${view.sessions} | ${num(view.silence.longestGapMs)} (+${num(view.longestStopAtMs)}) | ${num(view.silence.longestVideoGapMs)} | ` +
          `${view.backward.count} (${num(view.backward.worstMs)}) | ${view.pictureBackMs === null ? "never" : `${num(view.pictureBackMs)} (#${(view.pictureKeyframe ?? 0) + 1})`} | ${view.states.join(" → ") || "—"} |`,
      );
    }
  }
  out.push("");
  const logged = run.trials.filter((trial) => trial.bridgeLog.length > 0);
  if (logged.length > 0) {
    out.push("What the bridge logged meanwhile:", "");
    for (const trial of logged) out.push(`- ${describeTrial(trial)}:`, "", "  ```", ...trial.bridgeLog.map((line) => `  ${line}`), "  ```", "");
  }
  return out;
}

function hungSection(results: BenchResults): string[] {
  const run = results.hungPlatform!;
  const out: string[] = [];
  out.push("## A platform that hangs", "");
  out.push(
    `Three destinations live: one on a platform of its own, two neighbours on another. The first platform's nginx is frozen (SIGSTOP, master and worker) for ${run.hangSeconds} s: ` +
      "its relay can no longer write, and the data plane's queue for it fills up to its limit, then skips to the next keyframe. The neighbours' *extra delay* " +
      "is matched against the ingest as in the toggle section, over the hang and over a quiet window before it. The bridge's RSS and PSS " +
      "(/proc/PID/smaps_rollup) are read every second over the hang; *second-half growth* = the largest PSS in the second half − the largest in the first.",
    "",
  );
  out.push("| stream | worst extra delay (ms) | quiet window before (ms) | median transit (ms) | longest gap (ms, s into the hang) | gaps > 100 ms | messages |", "| --- | --- | --- | --- | --- | --- | --- |");
  for (const view of run.neighbours) out.push(`| ${view.stream} | ${num(view.transit.extraMs)} | ${num(view.quiet.transit.extraMs)} | ${num(view.transit.medianMs, 1)} | ${num(view.silence.longestGapMs)} (+${num(view.longestGapAtS, 1)}) | ${view.silence.gapsOver100} | ${view.silence.messages} |`);
  out.push("");
  out.push(
    `Bridge PSS ${num(run.trend.firstPssMb, 1)} MB at the start, ${num(run.trend.maxPssMb, 1)} MB at most, ${num(run.trend.lastPssMb, 1)} MB at the end ` +
      `(second-half growth ${num(run.trend.lateGrowthMb, 1)} MB, slope ${num(run.trend.slopeMbPerMinute, 2)} MB/min; RSS at most ${num(run.trend.maxRssMb, 1)} MB). ` +
      `The hung destination's \`skippedToKeyframe\`: ${run.skipsBefore} before, ${run.skipsAfter} at the end of the hang; its \`restarts\`: ${run.restartsBefore ?? "—"} before, ${run.restartsAfter ?? "—"} at the end; its state then \`${run.stateDuring}\`, ` +
      `and 5 s after its platform was thawed \`${run.stateAfter}\`.`,
    "",
  );
  out.push(`PSS each second (MB): ${run.memory.map((reading) => num(reading.pssMb, 1)).join(", ")}.`, "");
  if (run.bridgeLog.length > 0) {
    out.push(`What the bridge logged over the hang${run.frozenAt ? ` (platform frozen at ${run.frozenAt.slice(11, 23)}, thawed at ${run.thawedAt?.slice(11, 23)})` : ""}:`, "", "```", ...run.bridgeLog, "```", "");
  }
  return out;
}

/** The key PNGs asked for beside a load, in a table cell. */
function keyPngsCell(pngs: KeyPngLoad | undefined, seconds: number): string {
  if (!pngs) return "none";
  const pace = pngs.pace === "companion" ? `${pngs.keys} keys at Companion's pace` : "back to back";
  return `${pace}: ${pngs.answered} (${num(pngs.answered / seconds, 0)}/s${pngs.errors > 0 ? `, ${pngs.errors} not given` : ""}), median ${num(pngs.medianMs, 1)} ms, p99 ${num(pngs.p99Ms, 1)} ms`;
}
