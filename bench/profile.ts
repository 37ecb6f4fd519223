// Where the bridge's own time and memory go with N live relays at 6 Mbit/s: the built bridge runs under
// `node --cpu-prof` with a heap snapshot on SIGUSR2; over a steady window its CPU and memory are read
// from /proc, then the profile and the snapshot are summarised (self time per function and per source
// file, mapped back through the bundle's source map; the heaviest kinds of object).
//
//   npm run bench:profile -- [--relays 1,10,20] [--seconds 20] [--out test-output/profile]
//
// Run it alone on the machine: anything beside it is in its figures.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { originalPositionFor, TraceMap } from "@jridgewell/trace-mapping";
import { ensureBuilt, ROOT } from "./build.js";
import { summariseProfile, type CpuProfile, type Locate, type ProfileSummary } from "./cpu-profile-summary.js";
import { summariseHeap, type HeapSnapshot, type HeapSummary } from "./heap-snapshot-summary.js";
import { ensureClip } from "./media/clip.js";
import { childrenOf, sampleProcesses } from "./process-sampler.js";
import { Resources } from "./resources.js";
import { loadPath } from "./measure/relay-cost.js";
import { launchPlatform, launchPublisher, press, waitStates } from "./rig.js";
import { startBridge } from "../rig/bridge.js";
import { now } from "../rig/clock.js";

const USAGE = "Usage: npm run bench:profile -- [--relays 1,10,20] [--seconds 20] [--status-load] [--out DIR]\n  --status-load  ask /api/status 200 times a second over the window (as the cost section does)\n  --node-args    more of Node's options for the bridge, e.g. \"--max-semi-space-size=1\"";

interface ProfileRun {
  relays: number;
  bridgeCpuPercent: number;
  bridgeRssMb: number;
  bridgePssMb: number;
  ffmpegCpuPercent: number;
  /** `/api/status` at 200 requests a second over the window, when asked. */
  statusLoad?: { p50Ms: number; p99Ms: number; requests: number };
  cpu: ProfileSummary;
  heap: HeapSummary;
}

interface ProfileArgs {
  counts: number[];
  seconds: number;
  statusLoad: boolean;
  nodeArgs: string[];
  outDir: string;
}

function parseArgs(argv: readonly string[]): ProfileArgs {
  let counts = [1, 10, 20];
  let seconds = 20;
  let statusLoad = false;
  let nodeArgs: string[] = [];
  let outDir = "test-output/profile";
  for (let index = 0; index < argv.length; index += 1) {
    const value = argv[index + 1];
    if (argv[index] === "--status-load") {
      statusLoad = true;
      continue;
    }
    if (argv[index] === "--relays" && value) counts = value.split(",").map(Number);
    else if (argv[index] === "--seconds" && value) seconds = Number(value);
    else if (argv[index] === "--out" && value) outDir = value;
    else if (argv[index] === "--node-args" && value) nodeArgs = value.split(/\s+/).filter(Boolean);
    else throw new Error(`unknown argument ${argv[index]}\n${USAGE}`);
    index += 1;
  }
  if (counts.some((count) => !Number.isInteger(count) || count < 0) || !(seconds > 0)) throw new Error(USAGE);
  return { counts, seconds, statusLoad, nodeArgs, outDir: resolve(ROOT, outDir) };
}

/** Maps a place in the bundle back to its source through the bundle's source map. */
function sourceMapLocator(): Locate {
  const maps = new Map<string, TraceMap | null>();
  return (url, line, column) => {
    if (!url.startsWith("file://")) return null;
    let map = maps.get(url);
    if (map === undefined) {
      const file = `${url.slice("file://".length)}.map`;
      map = existsSync(file) ? new TraceMap(readFileSync(file, "utf8"), url) : null;
      maps.set(url, map);
    }
    if (!map) return null;
    const found = originalPositionFor(map, { line: line + 1, column });
    return found.source ? { source: found.source, line: found.line ?? 0, ...(found.name ? { name: found.name } : {}) } : null;
  };
}

async function profileOnce(resources: Resources, relays: number, args: ProfileArgs, clip: string, log: (line: string) => void): Promise<ProfileRun> {
  const { seconds, outDir } = args;
  const dir = join(outDir, `relays-${relays}${args.statusLoad ? "-status-load" : ""}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return resources.scoped(async () => {
    const platform = await launchPlatform(resources);
    const ids = Array.from({ length: relays }, (_, index) => `p${index + 1}`);
    const bridge = resources.add(
      "the bridge",
      await startBridge({
        destinations: ids.map((id) => ({ id, name: id, url: platform.url, key: `profile_${id}`, transport: "direct" })),
        logLevel: null,
        outputTail: 20_000,
        nodeArgs: [...args.nodeArgs, "--cpu-prof", `--cpu-prof-dir=${dir}`, "--heapsnapshot-signal=SIGUSR2", `--diagnostic-dir=${dir}`],
      }),
      (running) => running.stop(),
    );
    launchPublisher(resources, { clip, url: `${bridge.ingestUrl}/obs` });
    for (const id of ids) await press(bridge, id, "start");
    await waitStates(bridge, ids, "live", 30_000);
    // The stand-in is rendered and encoded in the first seconds of a stream: let that pass.
    await sleep(8_000);
    const pid = bridge.child.pid!;
    const ffmpegs = (await childrenOf(pid, "ffmpeg")).map((found) => found.pid);
    const load = args.statusLoad ? loadPath(bridge, "/api/status", seconds) : undefined;
    const samples = await sampleProcesses([pid, ...ffmpegs], seconds * 1000);
    const statusLoad = await load;
    const windowEnd = now();
    const node = samples.find((sample) => sample.pid === pid)!;
    const ffmpeg = samples.filter((sample) => sample.pid !== pid);
    process.kill(pid, "SIGUSR2");
    const snapshot = await waitForFile(dir, (name) => name.endsWith(".heapsnapshot"));
    await bridge.stop();
    const skipEndMs = now() - windowEnd;
    // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main one.
    const profileFile = await waitForFile(dir, (name) => /\.\d+\.0\.\d+\.cpuprofile$/.test(name));
    const cpu = summariseProfile(JSON.parse(readFileSync(profileFile, "utf8")) as CpuProfile, {
      windowMs: seconds * 1000,
      skipEndMs,
      top: 25,
      root: ROOT,
      locate: sourceMapLocator(),
    });
    const heap = summariseHeap(JSON.parse(readFileSync(snapshot, "utf8")) as HeapSnapshot, 15);
    const run: ProfileRun = {
      relays,
      bridgeCpuPercent: node.cpuPercent,
      bridgeRssMb: node.rssMb,
      bridgePssMb: node.pssMb,
      ffmpegCpuPercent: ffmpeg.reduce((total, sample) => total + sample.cpuPercent, 0) / Math.max(1, ffmpeg.length),
      ...(statusLoad ? { statusLoad: { p50Ms: statusLoad.p50Ms, p99Ms: statusLoad.p99Ms, requests: statusLoad.requests } } : {}),
      cpu,
      heap,
    };
    if (run.statusLoad) log(`  /api/status at 200/s: p50 ${run.statusLoad.p50Ms.toFixed(1)} ms, p99 ${run.statusLoad.p99Ms.toFixed(1)} ms`);
    log(`${relays} relays: bridge ${run.bridgeCpuPercent.toFixed(2)} % of a core, RSS ${run.bridgeRssMb.toFixed(1)} MB (PSS ${run.bridgePssMb.toFixed(1)}); each ffmpeg ${run.ffmpegCpuPercent.toFixed(2)} %; JS heap ${heap.totalMb.toFixed(1)} MB`);
    return run;
  });
}

/** The first file in `dir` whose name `matches`, once its size stopped changing. */
async function waitForFile(dir: string, matches: (name: string) => boolean, timeoutMs = 60_000): Promise<string> {
  const deadline = now() + timeoutMs;
  let last = -1;
  for (;;) {
    const name = readdirSync(dir).find(matches);
    if (name) {
      const size = statSync(join(dir, name)).size;
      if (size > 0 && size === last) return join(dir, name);
      last = size;
    }
    if (now() > deadline) throw new Error(`the file was not written in ${dir} after ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

function report(runs: readonly ProfileRun[], { seconds, statusLoad, nodeArgs }: ProfileArgs): string {
  const lines = [
    "# Where the bridge's time and memory go",
    "",
    `Generated by \`npm run bench:profile\` on ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC: the built bridge under \`node --cpu-prof\`, N relays live at 6 Mbit/s (a 1280x720 30 fps clip looped with \`-c copy\`), a ${seconds} s window after 8 s of settling${nodeArgs.length > 0 ? `, Node's options \`${nodeArgs.join(" ")}\`` : ""}${statusLoad ? ", `/api/status` asked 200 times a second over it" : ""}.`,
    "",
    "| relays | bridge CPU (% of a core) | bridge RSS / PSS (MB) | JS heap (MB) | of which ArrayBuffer data (MB) | each ffmpeg (% of a core) |",
    "| --- | --- | --- | --- | --- | --- |",
    ...runs.map((run) => `| ${run.relays} | ${run.bridgeCpuPercent.toFixed(2)} | ${run.bridgeRssMb.toFixed(1)} / ${run.bridgePssMb.toFixed(1)} | ${run.heap.totalMb.toFixed(1)} | ${run.heap.arrayBufferMb.toFixed(1)} | ${run.ffmpegCpuPercent.toFixed(2)} |`),
  ];
  for (const run of runs) {
    const load = run.statusLoad ? ` \`/api/status\` at 200/s: p50 ${run.statusLoad.p50Ms.toFixed(1)} ms, p99 ${run.statusLoad.p99Ms.toFixed(1)} ms (${run.statusLoad.requests} requests).` : "";
    lines.push("", `## ${run.relays} relays`, "", `Busy (not idle) in the profile: ${run.cpu.busyPercent.toFixed(2)} % of a core over ${(run.cpu.windowMs / 1000).toFixed(1)} s.${load}`, "");
    lines.push("| self time by file | % of a core |", "| --- | --- |", ...run.cpu.files.map((line) => `| ${line.what} | ${line.percent.toFixed(3)} |`));
    lines.push("", "| self time by function | % of a core |", "| --- | --- |", ...run.cpu.functions.map((line) => `| ${line.what} | ${line.percent.toFixed(3)} |`));
    lines.push("", "| heap: kind | count | MB |", "| --- | --- | --- |", ...run.heap.top.map((line) => `| ${line.what} | ${line.count} | ${line.mb.toFixed(2)} |`));
  }
  return `${lines.join("\n")}\n`;
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const resources = new Resources();
  process.on("SIGINT", () => void resources.release().finally(() => process.exit(130)));
  await ensureBuilt(log);
  const clip = await ensureClip({ videoKbps: 6000, fps: 30, size: "1280x720", seconds: 20, gopSeconds: 2 });
  const runs: ProfileRun[] = [];
  try {
    for (const count of options.counts) runs.push(await profileOnce(resources, count, options, clip, log));
  } finally {
    await resources.release();
  }
  const file = join(options.outDir, "profile.md");
  await writeFile(file, report(runs, options));
  log(`Wrote ${file} (the raw .cpuprofile and .heapsnapshot files are beside it, one folder per count).`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
