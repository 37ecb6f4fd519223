// The benchmark's composition root (`npm run bench [-- --quick]`): builds if needed, runs every
// measurement with the real programs on loopback, prints the quality bars, and writes
// docs/benchmarks.json, docs/benchmarks.md and docs/benchmarks-toggle.svg.

import { cpus, loadavg, totalmem } from "node:os";
import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { execa } from "execa";
import { buildRelayArgs } from "../bridge/ffmpeg/relay-args.js";
import { DIRECT_RELAY } from "./relay-variants.js";
import { ensureBuilt, ROOT } from "./build.js";
import { snapshotBuild } from "./build-snapshot.js";
import { ensureClip, type ClipSpec } from "./media/clip.js";
import { parsePlan, type BenchPlan } from "./options.js";
import { Resources } from "./resources.js";
import { seededRandom, summarize } from "./stats.js";
import { measureToggles } from "./measure/toggles.js";
import { measureRelayCost } from "./measure/relay-cost.js";
import { measureKeyImages } from "./measure/key-image.js";
import { measureRecovery } from "./measure/recovery.js";
import { measureObsDrops } from "./measure/obs-drop.js";
import { measureHungPlatform } from "./measure/hung-platform.js";
import { measureEncode } from "./measure/encode.js";
import { verdicts } from "./judge/verdicts.js";
import { asPrevious, consoleTable, markdownReport } from "./judge/report.js";
import { toggleChart } from "./judge/chart.js";
import type { BenchResults, RunContext } from "./results.js";

const CLIP: Omit<ClipSpec, "gopSeconds"> = { videoKbps: 6000, fps: 30, size: "1280x720", seconds: 20 };
/** What a re-encode is measured on: 1080p30 at 6 Mbit/s, keyframes every 2 s. */
const ENCODE_CLIP: ClipSpec = { videoKbps: 6000, fps: 30, size: "1920x1080", seconds: 20, gopSeconds: 2 };
const CHART_FILE = "benchmarks-toggle.svg";
const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"];

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const plan = parsePlan(process.argv.slice(2), Date.now() % 1_000_000_007);
  const resources = new Resources();
  let interrupted = false;
  const onSignal = (signal: string) => {
    if (interrupted) return;
    interrupted = true;
    log(`\n${signal}: stopping everything the benchmark started`);
    void resources.release().finally(() => process.exit(130));
  };
  process.on("SIGINT", () => onSignal("SIGINT"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));

  const outDir = resolve(ROOT, plan.outDir);
  const jsonFile = join(outDir, "benchmarks.json");
  if (plan.reportOnly) {
    const saved = readResults(jsonFile);
    if (!saved) throw new Error(`${jsonFile} is missing or not a benchmark result`);
    await writeReport(saved, outDir);
    return 0;
  }
  log(`Relay benchmark, ${plan.quick ? "quick" : "full"} mode, seed ${plan.seed}, sections: ${plan.sections.join(", ")}`);
  await ensureBuilt(log);
  // Commit and build are read now: the checkout may change while the run goes on.
  const build = resources.add("the build snapshot", await snapshotBuild(ROOT), (snapshot) => snapshot.remove());
  const source = await sourceState();
  const gops = [...new Set([...plan.toggles.map((toggle) => toggle.gopSeconds), 1, 2])].sort((a, b) => a - b);
  const clips = new Map<number, string>();
  for (const gopSeconds of gops) clips.set(gopSeconds, await ensureClip({ ...CLIP, gopSeconds }));
  const clipFor = (gopSeconds: number) => clips.get(gopSeconds)!;
  const totalKbps = (statSync(clipFor(2)).size * 8) / CLIP.seconds / 1000;

  const startedAt = new Date().toISOString();
  const loadBefore = loadavg();
  const results: BenchResults = { context: undefined as unknown as RunContext, toggles: [], obsDrop: null, hungPlatform: null, cost: null, keyImage: null, recovery: null, encode: null, errors: [] };
  const random = seededRandom(plan.seed);
  const section = async (name: BenchPlan["sections"][number], work: () => Promise<void>) => {
    if (!plan.sections.includes(name) || interrupted) return;
    const started = Date.now();
    log(`\n== ${name}`);
    try {
      await work();
    } catch (error) {
      if (interrupted) return;
      const message = (error as Error).message;
      results.errors.push({ section: name, message });
      log(`  FAILED: ${message}`);
    }
    log(`  (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  };

  await section("toggles", async () => {
    for (const toggle of plan.toggles) {
      results.toggles.push(await measureToggles(resources, { ...toggle, bridgeEntry: build.bridgeEntry, clip: clipFor(toggle.gopSeconds), random, log }));
    }
  });
  await section("obs-drop", async () => {
    results.obsDrop = await measureObsDrops(resources, { ...plan.obsDrop, bridgeEntry: build.bridgeEntry, clip: clipFor(2), log });
  });
  await section("hung-platform", async () => {
    results.hungPlatform = await measureHungPlatform(resources, { ...plan.hungPlatform, bridgeEntry: build.bridgeEntry, clip: clipFor(2), log });
  });
  await section("cost", async () => {
    results.cost = await measureRelayCost(resources, { ...plan.cost, bridgeEntry: build.bridgeEntry, clip: clipFor(2), clipKbps: totalKbps, log });
  });
  await section("key-image", async () => {
    results.keyImage = await measureKeyImages(resources, { ...plan.keyImage, bridgeEntry: build.bridgeEntry, pluginDir: build.pluginDir, clip: clipFor(1), log });
  });
  await section("recovery", async () => {
    results.recovery = await measureRecovery(resources, { ...plan.recovery, bridgeEntry: build.bridgeEntry, clip: clipFor(2), gopSeconds: 2, log });
  });
  await section("encode", async () => {
    results.encode = await measureEncode(resources, { ...plan.encode, bridgeEntry: build.bridgeEntry, clip: await ensureClip(ENCODE_CLIP), log });
  });
  await resources.release();
  if (interrupted) return 130;

  results.context = await runContext(plan, { startedAt, loadBefore, totalKbps, gops, source, bridgeBuild: build.bridgeId });
  const previous = readResults(jsonFile);
  if (previous) results.previous = asPrevious(previous);
  await mkdir(outDir, { recursive: true });
  await writeFile(jsonFile, `${JSON.stringify(results, null, 1)}\n`);
  await writeReport(results, outDir);
  return results.errors.length > 0 ? 1 : 0;
}

/** Writes benchmarks.md and the chart for `results`, and prints the quality bars. */
async function writeReport(results: BenchResults, outDir: string): Promise<void> {
  const rows = verdicts(results);
  const findingsFile = join(ROOT, "bench", "findings.md");
  const findings = existsSync(findingsFile) ? readFileSync(findingsFile, "utf8") : "";
  await writeFile(join(outDir, CHART_FILE), chartOf(results));
  await writeFile(join(outDir, "benchmarks.md"), markdownReport({ results, verdicts: rows, chartFile: CHART_FILE, findings }));
  log(`\n${consoleTable(rows)}\n`);
  log(`Wrote benchmarks.json, benchmarks.md and ${CHART_FILE} in ${outDir}.`);
}

function chartOf(results: BenchResults): string {
  // Left: press → receiving through the bridge (solid) and through the relay before the data plane,
  // reading nginx directly (dashed), one colour per keyframe interval. Right: the bridge's samples, with
  // the 500 ms bar.
  const cdf = results.toggles.flatMap((run, index) => {
    const direct = run.variants.find((variant) => variant.name === DIRECT_RELAY);
    return [
      { label: `bridge, GOP ${run.gopSeconds} s`, values: present(run.samples.map((sample) => sample.receiveMs)), color: COLORS[index % COLORS.length]! },
      ...(direct ? [{ label: `direct from nginx, GOP ${run.gopSeconds} s`, values: present(direct.samples.map((sample) => sample.receiveMs)), color: COLORS[index % COLORS.length]!, dashed: true }] : []),
    ];
  });
  const strips = results.toggles.map((run, index) => ({ label: `bridge, GOP ${run.gopSeconds} s`, values: present(run.samples.map((sample) => sample.receiveMs)), color: COLORS[index % COLORS.length]! }));
  const receive = results.toggles.map((run) => `GOP ${run.gopSeconds} s p95 ${Math.round(summarize(present(run.samples.map((sample) => sample.receiveMs))).p95)} ms`);
  return toggleChart({ title: `Toggle on: press → platform receiving through the bridge (${receive.join(", ")})`, cdf, strips, stripLimitMs: 500 });
}

/** The commit, and whether bridge/ or src/ differ from it. */
async function sourceState(): Promise<{ commit: string; dirty: boolean }> {
  const git = async (...args: string[]) => (await execa("git", args, { cwd: ROOT, reject: false })).stdout.trim();
  return { commit: (await git("rev-parse", "HEAD")) || "unknown", dirty: (await git("status", "--porcelain", "--", "bridge", "src")) !== "" };
}

interface RunFacts {
  startedAt: string;
  loadBefore: number[];
  totalKbps: number;
  gops: number[];
  source: { commit: string; dirty: boolean };
  bridgeBuild: string;
}

async function runContext(plan: BenchPlan, { startedAt, loadBefore, totalKbps, gops, source, bridgeBuild }: RunFacts): Promise<RunContext> {
  const ffmpeg = (await execa("ffmpeg", ["-version"], { reject: false })).stdout.split("\n")[0] ?? "ffmpeg ?";
  const nginx = (await execa("nginx", ["-v"], { reject: false, all: true })).all?.trim() ?? "nginx ?";
  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    quick: plan.quick,
    seed: plan.seed,
    commit: source.commit,
    dirty: source.dirty,
    bridgeBuild,
    machine: { cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, memoryGb: totalmem() / 1024 ** 3, loadBefore, loadAfter: loadavg() },
    versions: { node: process.version, ffmpeg: ffmpeg.replace(/ Copyright.*$/, ""), nginx: nginx.replace(/^nginx version: /, "") },
    relayArgs: buildRelayArgs({ outputUrl: "rtmp://PLATFORM/app/STREAM_KEY" }),
    clip: { size: CLIP.size, fps: CLIP.fps, videoKbps: CLIP.videoKbps, totalKbps, gopSeconds: gops },
  };
}

function readResults(file: string): BenchResults | null {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as BenchResults;
    return parsed?.context?.startedAt ? parsed : null;
  } catch {
    return null;
  }
}

function present(values: Array<number | null>): number[] {
  return values.filter((value): value is number => value !== null);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
