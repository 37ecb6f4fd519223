// What each live relay costs at 6 Mbit/s with 1, 10 and 20 relays, data plane included: CPU % of a
// core and PSS of its ffmpeg, plus its share of what the ingest nginx's worker and the bridge (which
// now reads the ingest and feeds every relay) use above their idle levels. Side by side in the same
// run: the same number of standalone relays reading nginx directly (the relay before the data plane),
// and nginx-rtmp's own `push`. With 20 relays live, how fast `/api/status` answers at 200 requests per
// second, and whether that load plus key images being rendered stalls the media at the platform.

import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import autocannon from "autocannon";
import type { Resources } from "../resources.js";
import { now } from "../../rig/clock.js";
import { percentile } from "../stats.js";
import { execa } from "execa";
import { spawn } from "node:child_process";
import type { KeyPngLoaderJob, KeyPngPace, KeyPngSummary } from "../key-png-pace.js";
import { buildRelayArgs } from "../../bridge/ffmpeg/relay-args.js";
import { transit, silences } from "../delivery.js";
import { perRelay } from "../media-checks.js";
import { childrenOf, descendantsOf, sampleProcesses, type ProcessSample } from "../process-sampler.js";
import { startPushAnchor } from "../nginx-push-anchor.js";
import { launchBridge, launchPlatform, launchPlayer, launchPublisher, press, waitStates, type Platform, type Player, type RunningBridge } from "../rig.js";

export interface CostOptions {
  /** The pinned bridge build. */
  bridgeEntry: string;
  counts: number[];
  clip: string;
  /** The clip's total bitrate, kbit/s (what every platform stream should receive in real time). */
  clipKbps: number;
  windowMs: number;
  settleMs: number;
  loadSeconds: number;
  log: (line: string) => void;
}

/** One count of relays, through the bridge and through nginx's push. */
export interface CostStep {
  relays: number;
  bridge: {
    /** Mean over the relays' ffmpeg processes. */
    ffmpegCpuPercent: number;
    /** The same from utime + stime ticks (cross-check). */
    ffmpegCpuTicksPercent: number;
    ffmpegPssMb: number;
    ffmpegPssMaxMb: number;
    /** Anonymous PSS per relay: its own memory, without its share of ffmpeg's libraries. */
    ffmpegPssAnonMb: number;
    /** The ingest nginx worker's CPU above its level with no relay, per relay. */
    nginxCpuPerRelay: number;
    nodeCpuPercent: number;
    nodePssMb: number;
    nodeRssMb: number;
    /** The bridge's key renderer (its own process) when it was running over the window. */
    renderer?: RendererSample;
    /** The bridge's CPU and PSS above their idle levels, per relay (the data plane's share). */
    nodeCpuPerRelay?: number;
    nodePssPerRelayMb?: number;
    /** The slowest platform stream's received rate over the ingest's: 1 = real time. */
    slowestRealtime: number;
  };
  /** The same number of standalone relays reading nginx directly (before the data plane). */
  direct?: {
    ffmpegCpuPercent: number;
    ffmpegPssMb: number;
    ffmpegPssAnonMb: number;
    nginxCpuPerRelay: number;
    slowestRealtime: number;
  };
  anchor: {
    /** The push nginx worker's CPU above its level with no push, per push. */
    cpuPerPush: number;
    /** Its PSS above its level with no push, per push. */
    pssPerPushMb: number;
    slowestRealtime: number;
  };
}

export interface StatusLoad {
  path: string;
  rate: number;
  seconds: number;
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The bridge's CPU while answering. */
  nodeCpuPercent: number;
  /** How late the bridge's own event loop ran its timers meanwhile (loop-delay-preload.mjs). */
  bridgeLoopDelay?: LoopDelay;
  /** How late this process's loop ran meanwhile: autocannon times each answer there, so it adds to them. */
  clientLoopDelay?: LoopDelay;
  /** Key PNGs asked for over the same window, when any were. */
  keyPngs?: KeyPngLoad;
}

/**
 * Key PNGs asked for beside a load. *companion*: as Relay's Companion module asks, every key's image at
 * once on its 1 s clock tick and on the status event the bridge sends about once a second (bitrates),
 * at Companion's button size: twice a second. *back-to-back*: one after another, as fast as answered,
 * both sizes in turn (a stress far beyond any client).
 */
export interface KeyPngLoad extends KeyPngSummary {
  pace: KeyPngPace;
  keys: number;
}

/** The bridge's event-loop delay over a window, ms beyond the timer's own interval. */
export interface LoopDelay {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** The key renderer's process: the bridge's child that draws key PNGs (bridge/render/key-png.ts). */
export interface RendererSample {
  cpuPercent: number;
  pssMb: number;
  rssMb: number;
}

/** Two platform streams watched while the bridge answers `/api/status` at 200/s and renders key PNGs. */
export interface LoadStall {
  relays: number;
  /** Worst extra delay (transit − median) of the watched streams: before the load, and during it, ms. */
  quietExtraMs: number;
  loadExtraMs: number;
  /** Longest gap between two media messages during the load, ms. */
  loadLongestGapMs: number;
  /** The key renderer over the load, once the first PNG had started it. */
  renderer?: RendererSample;
  /** Key PNGs rendered during the load, and their median answer time. */
  pngs: number;
  pngMedianMs: number;
}

export interface CostRun {
  steps: CostStep[];
  /** Levels with nothing relayed (the publisher alone), % of a core. */
  idle: {
    bridgeNginxCpu: number;
    anchorNginxCpu: number;
    anchorNginxPssMb: number;
    nodeCpuPercent: number;
    nodePssMb?: number;
    /** The bridge before any publisher: its housekeeping alone (without reading an ingest stream). */
    nodeCpuNoPublisherPercent?: number;
  };
  /** `/api/status`, and `/api/health` (same server, no work) as the control. */
  statusLoad: StatusLoad[];
  /** Media at the platform while `/api/status` was loaded and key images rendered, against a window just before. */
  loadStall?: LoadStall;
  windowSeconds: number;
}

const destinationId = (index: number) => `cost${String(index + 1).padStart(2, "0")}`;
const streamName = (prefix: string, index: number) => `${prefix}_${String(index + 1).padStart(2, "0")}`;

export async function measureRelayCost(resources: Resources, options: CostOptions): Promise<CostRun> {
  return resources.scoped(async () => {
    const most = Math.max(...options.counts);
    const platform = await launchPlatform(resources);
    const loopDir = resources.add("the loop-delay folder", await mkdtemp(join(tmpdir(), "relay-bench-loop-")), (dir) => rm(dir, { recursive: true, force: true }));
    const loopFile = join(loopDir, "loop-delay.json");
    const bridge = await launchBridge(
      resources,
      options.bridgeEntry,
      Array.from({ length: most }, (_, index) => ({ id: destinationId(index), name: `Cost ${index + 1}`, url: platform.url, key: streamName("bench_cost", index), enabled: false })),
      { nodeArgs: ["--import", LOOP_DELAY_PRELOAD], env: { RELAY_BENCH_LOOP_FILE: loopFile } },
    );
    const loopDelay = loopDelayProbe(bridge.child.pid!, loopFile);
    await sleep(options.settleMs);
    const noPublisher = (await sampleProcesses([bridge.child.pid!], options.windowMs))[0]?.cpuPercent ?? Number.NaN;
    launchPublisher(resources, { clip: options.clip, url: `${bridge.ingestUrl}/obs` });
    await waitIngest(bridge);
    // The bridge renders and encodes the stand-in in the first seconds of a stream: let that pass
    // before its idle level is read.
    await sleep(options.settleMs + 5_000);
    const bridgePid = bridge.child.pid!;
    const ingestWorker = async () => (await descendantsOf(bridgePid)).filter((process) => process.name === "nginx" && process.ppid !== bridgePid).map((process) => process.pid);

    const idleSamples = await sampleProcesses([...(await ingestWorker()), bridgePid], options.windowMs);
    const idleNginx = sum(idleSamples.filter((sample) => sample.pid !== bridgePid), (sample) => sample.cpuPercent);
    const idleNode = idleSamples.find((sample) => sample.pid === bridgePid)?.cpuPercent ?? Number.NaN;
    const idleNodePss = idleSamples.find((sample) => sample.pid === bridgePid)?.pssMb ?? Number.NaN;
    // Two platform streams and the ingest watched throughout, for the stall under API load.
    const watched: Player[] = [];
    for (const index of [0, 1]) watched.push(await launchPlayer(resources, platform.url, streamName("bench_cost", index)));
    const ingest = await launchPlayer(resources, bridge.ingestUrl, "obs");
    let loadStall: LoadStall | undefined;
    const anchorIdle = await measureAnchor(resources, platform, 0, options);
    options.log(`  idle: ingest nginx ${idleNginx.toFixed(2)} % of a core, push nginx ${anchorIdle.cpu.toFixed(2)} %; the bridge before any publisher ${noPublisher.toFixed(2)} %`);

    const steps: CostStep[] = [];
    const statusLoad: StatusLoad[] = [];
    for (const count of options.counts) {
      const ids = Array.from({ length: count }, (_, index) => destinationId(index));
      for (const id of ids) await press(bridge, id, "start");
      await waitStates(bridge, ids, "live", 30_000);
      await sleep(options.settleMs);
      const relays = (await childrenOf(bridgePid, "ffmpeg")).map((process) => process.pid);
      const workers = await ingestWorker();
      const renderers = await keyRenderers(bridgePid);
      const before = await receivedBytes(platform);
      const started = now();
      const samples = await sampleProcesses([...relays, ...workers, ...renderers, bridgePid], options.windowMs);
      const realtime = slowestRealtime(before, await receivedBytes(platform), now() - started, options.clipKbps, ids.map((_, index) => streamName("bench_cost", index)));
      const relaySamples = samples.filter((sample) => relays.includes(sample.pid));
      const node = samples.find((sample) => sample.pid === bridgePid);
      const nginxCpu = sum(samples.filter((sample) => workers.includes(sample.pid)), (sample) => sample.cpuPercent);
      const windowEnd = now();
      if (count === most && options.loadSeconds > 0) {
        statusLoad.push(await loadPath(bridge, "/api/health", options.loadSeconds, loopDelay));
        // The bar's load: the status beside Companion's key PNGs.
        const paced = await startKeyPngLoader(resources, bridge, ids, "companion", options.loadSeconds * 1000);
        paced.go();
        const status = await loadPath(bridge, "/api/status", options.loadSeconds, loopDelay);
        statusLoad.push({ ...status, keyPngs: keyPngLoad("companion", ids.length, await paced.done) });
        // The stress: PNGs back to back, with the media watched.
        const stress = await startKeyPngLoader(resources, bridge, ids, "back-to-back", options.loadSeconds * 1000);
        const loadStart = now();
        stress.go();
        const renderer = sampleRendererMeanwhile(bridgePid, options.loadSeconds * 1000);
        const stressed = await loadPath(bridge, "/api/status", options.loadSeconds, loopDelay);
        const pngs = await stress.done;
        statusLoad.push({ ...stressed, keyPngs: keyPngLoad("back-to-back", ids.length, pngs) });
        const rendererSample = await renderer;
        const loadEnd = now();
        const extra = (from: number, to: number) => Math.max(...watched.map((player) => transit(ingest.arrivals, player.arrivals, from, to).extraMs));
        loadStall = {
          relays: count,
          quietExtraMs: extra(started, windowEnd),
          loadExtraMs: extra(loadStart, loadEnd),
          loadLongestGapMs: Math.max(...watched.map((player) => silences(player.arrivals, loadStart, loadEnd).longestGapMs)),
          pngs: pngs.answered,
          pngMedianMs: pngs.medianMs,
          ...(rendererSample ? { renderer: rendererSample } : {}),
        };
        options.log(`  ${statusLoad.map((load) => `${load.path} at ${load.rate}/s${load.keyPngs ? ` (key PNGs ${load.keyPngs.pace})` : ""}: p50 ${load.p50Ms.toFixed(1)} ms, p99 ${load.p99Ms.toFixed(1)} ms`).join("; ")}`);
        options.log(`  platform media meanwhile (with ${loadStall.pngs} key PNGs rendered): worst extra delay ${loadStall.loadExtraMs.toFixed(0)} ms (before the load ${loadStall.quietExtraMs.toFixed(0)} ms)`);
      }
      for (const player of [...watched, ingest]) player.forget(now() - 1_000);
      for (const id of ids) await press(bridge, id, "stop");
      await waitStates(bridge, ids, "off", 30_000);

      const direct = await measureDirect(resources, bridge, platform, count, workers, idleNginx, options);

      const anchor = await measureAnchor(resources, platform, count, options);
      const step: CostStep = {
        relays: count,
        bridge: {
          ffmpegCpuPercent: mean(relaySamples, (sample) => sample.cpuPercent),
          ffmpegCpuTicksPercent: mean(relaySamples, (sample) => sample.cpuPercentTicks),
          ffmpegPssMb: mean(relaySamples, (sample) => sample.pssMb),
          ffmpegPssMaxMb: Math.max(...relaySamples.map((sample) => sample.pssMb)),
          ffmpegPssAnonMb: mean(relaySamples, (sample) => sample.pssAnonMb),
          nginxCpuPerRelay: (nginxCpu - idleNginx) / count,
          nodeCpuPercent: node?.cpuPercent ?? Number.NaN,
          nodePssMb: node?.pssMb ?? Number.NaN,
          nodeRssMb: node?.rssMb ?? Number.NaN,
          ...rendererOf(samples, renderers),
          // Set once the idle level is known from both ends of the run (below).
          nodeCpuPerRelay: Number.NaN,
          nodePssPerRelayMb: perRelay(node?.pssMb ?? Number.NaN, idleNodePss, count),
          slowestRealtime: realtime,
        },
        direct,
        anchor: {
          cpuPerPush: (anchor.cpu - anchorIdle.cpu) / count,
          pssPerPushMb: (anchor.pssMb - anchorIdle.pssMb) / count,
          slowestRealtime: anchor.realtime,
        },
      };
      steps.push(step);
      options.log(
        `  ${count} relays: ffmpeg ${step.bridge.ffmpegCpuPercent.toFixed(2)} % of a core and ${step.bridge.ffmpegPssMb.toFixed(1)} MB PSS each, ` +
          `ingest nginx +${step.bridge.nginxCpuPerRelay.toFixed(2)} % each, bridge ${step.bridge.nodeCpuPercent.toFixed(2)} % (+${step.bridge.nodePssPerRelayMb!.toFixed(1)} MB PSS per relay); ` +
          `direct relays ${direct.ffmpegCpuPercent.toFixed(2)} % and ${direct.ffmpegPssMb.toFixed(1)} MB each (+${direct.nginxCpuPerRelay.toFixed(2)} % nginx); ` +
          `nginx push ${step.anchor.cpuPerPush.toFixed(2)} % each; slowest stream ×${realtime.toFixed(3)} of real time`,
      );
    }
    // The bridge's idle CPU again with every relay off: the first reading can still hold start-up work
    // (the stand-in's picture is rendered in the bridge then), which would make its share look negative.
    const idleAfter = (await sampleProcesses([bridgePid], options.windowMs))[0]?.cpuPercent ?? Number.NaN;
    const idleNodeCpu = Number.isFinite(idleAfter) ? Math.min(idleNode, idleAfter) : idleNode;
    for (const step of steps) step.bridge.nodeCpuPerRelay = perRelay(step.bridge.nodeCpuPercent, idleNodeCpu, step.relays);
    options.log(`  bridge idle ${idleNode.toFixed(2)} % before, ${idleAfter.toFixed(2)} % after; its CPU per relay: ${steps.map((step) => `${step.relays} relays +${step.bridge.nodeCpuPerRelay!.toFixed(2)} %`).join(", ")}`);
    return {
      steps,
      idle: { bridgeNginxCpu: idleNginx, anchorNginxCpu: anchorIdle.cpu, anchorNginxPssMb: anchorIdle.pssMb, nodeCpuPercent: idleNodeCpu, nodePssMb: idleNodePss, nodeCpuNoPublisherPercent: noPublisher },
      statusLoad,
      ...(loadStall ? { loadStall } : {}),
      windowSeconds: options.windowMs / 1000,
    };
  });
}

/** `count` standalone relays reading the bridge's ingest from nginx directly, as before the data plane. */
async function measureDirect(
  resources: Resources,
  bridge: RunningBridge,
  platform: Platform,
  count: number,
  workers: number[],
  idleNginx: number,
  options: CostOptions,
): Promise<NonNullable<CostStep["direct"]>> {
  return resources.scoped(async () => {
    const names = Array.from({ length: count }, (_, index) => streamName(`bench_direct${count}`, index));
    const pids: number[] = [];
    for (const name of names) {
      const child = execa("ffmpeg", buildRelayArgs({ inputUrl: `${bridge.ingestUrl}/obs`, outputUrl: `${platform.url}/${name}` }), { stdin: "pipe", stdout: "ignore", stderr: "ignore", reject: false, buffer: false });
      child.stdin?.on("error", () => undefined);
      pids.push(child.pid!);
      resources.add("a direct relay", child, async (running) => {
        running.kill("SIGINT");
        await running;
      });
    }
    const deadline = now() + 20_000;
    while ((await platform.streams()).filter((stream) => names.includes(stream.name) && stream.bytesIn > 0).length < count) {
      if (now() > deadline) throw new Error(`the direct relays did not reach all ${count} platform streams`);
      await sleep(100);
    }
    await sleep(options.settleMs + 1_000);
    const before = await receivedBytes(platform);
    const started = now();
    const samples = await sampleProcesses([...pids, ...workers], options.windowMs);
    const realtime = slowestRealtime(before, await receivedBytes(platform), now() - started, options.clipKbps, names);
    const relays = samples.filter((sample) => pids.includes(sample.pid));
    const nginxCpu = sum(samples.filter((sample) => workers.includes(sample.pid)), (sample) => sample.cpuPercent);
    return {
      ffmpegCpuPercent: mean(relays, (sample) => sample.cpuPercent),
      ffmpegPssMb: mean(relays, (sample) => sample.pssMb),
      ffmpegPssAnonMb: mean(relays, (sample) => sample.pssAnonMb),
      nginxCpuPerRelay: (nginxCpu - idleNginx) / count,
      slowestRealtime: realtime,
    };
  });
}

/**
 * Fetches key PNGs of `ids` one after another for `ms` (as Companion's buttons do), both sizes in turn
 * so the bridge's small cache of renderings rarely answers; each answer's time.
 */
/** The bridge's key renderer processes (one at most): node children running the bundled worker. */
async function keyRenderers(bridgePid: number): Promise<number[]> {
  return (await childrenOf(bridgePid)).filter((found) => found.cmd.includes("key-render-worker.js")).map((found) => found.pid);
}

function rendererOf(samples: readonly ProcessSample[], renderers: readonly number[]): { renderer?: RendererSample } {
  const found = samples.find((sample) => renderers.includes(sample.pid));
  return found ? { renderer: { cpuPercent: found.cpuPercent, pssMb: found.pssMb, rssMb: found.rssMb } } : {};
}

/** The key renderer over `ms` of PNG load: found once the first PNGs started it, sampled until 1 s before the end. */
async function sampleRendererMeanwhile(bridgePid: number, ms: number): Promise<RendererSample | undefined> {
  const end = now() + ms;
  await sleep(1_000);
  const renderers = await keyRenderers(bridgePid);
  if (renderers.length === 0) return undefined;
  return rendererOf(await sampleProcesses(renderers, Math.max(1_000, end - now() - 1_000)), renderers).renderer;
}

function keyPngLoad(pace: KeyPngPace, keys: number, summary: KeyPngSummary): KeyPngLoad {
  return { pace, keys, ...summary };
}

/** A key PNG loader (key-png-load.ts) started and ready: `go` starts its `ms`, `done` gives its summary. */
interface KeyPngLoader {
  go(): void;
  done: Promise<KeyPngSummary>;
}

const KEY_PNG_LOADER = fileURLToPath(new URL("../key-png-load.ts", import.meta.url));

/** Starts a key PNG loader in a process of its own, as a control surface is; resolves once it is ready. */
async function startKeyPngLoader(resources: Resources, bridge: RunningBridge, ids: readonly string[], pace: KeyPngPace, ms: number): Promise<KeyPngLoader> {
  const job: KeyPngLoaderJob = { url: bridge.url, token: bridge.token, ids: [...ids], pace, ms };
  const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), KEY_PNG_LOADER, JSON.stringify(job)], { stdio: ["pipe", "pipe", "inherit"] });
  resources.add("the key PNG loader", child, (loader) => void loader.kill());
  let out = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => (out += chunk));
  const closed = new Promise<number | null>((resolve) => child.once("close", resolve));
  const deadline = now() + 20_000;
  while (!out.startsWith("ready\n")) {
    if (child.exitCode !== null || now() > deadline) throw new Error(`the key PNG loader did not start (exit code ${child.exitCode})`);
    await sleep(20);
  }
  const done = closed.then((code) => {
    const line = out.split("\n").find((text) => text.startsWith("{") && text.endsWith("}"));
    if (!line) throw new Error(`the key PNG loader ended without its figures (exit code ${code})`);
    return JSON.parse(line) as KeyPngSummary;
  });
  // It may end before it is awaited: its failure is the awaiting section's, not the process's.
  done.catch(() => undefined);
  return { go: () => child.stdin.end("go\n"), done };
}

/** nginx push to `count` platform streams: its worker's CPU and PSS over the window. */
async function measureAnchor(resources: Resources, platform: Platform, count: number, options: CostOptions): Promise<{ cpu: number; pssMb: number; realtime: number }> {
  return resources.scoped(async () => {
    const names = Array.from({ length: count }, (_, index) => streamName(`bench_push${count}`, index));
    const anchor = resources.add("the push anchor nginx", await startPushAnchor(names.map((name) => `${platform.url}/${name}`)), (value) => value.stop());
    launchPublisher(resources, { clip: options.clip, url: `${anchor.ingestUrl}/obs` });
    const deadline = now() + 20_000;
    while (count > 0 && (await platform.streams()).filter((stream) => names.includes(stream.name) && stream.bytesIn > 0).length < count) {
      if (now() > deadline) throw new Error(`nginx push did not reach all ${count} platform streams`);
      await sleep(100);
    }
    await sleep(options.settleMs + 1_000);
    const workers = (await childrenOf(anchor.pid, "nginx")).map((process) => process.pid);
    const before = await receivedBytes(platform);
    const started = now();
    const samples: ProcessSample[] = await sampleProcesses(workers, options.windowMs);
    const realtime = count > 0 ? slowestRealtime(before, await receivedBytes(platform), now() - started, options.clipKbps, names) : 1;
    return { cpu: sum(samples, (sample) => sample.cpuPercent), pssMb: sum(samples, (sample) => sample.pssMb), realtime };
  });
}

/** The timer of both loop-delay measures, as in loop-delay-preload.mjs; its own interval is taken off. */
const LOOP_RESOLUTION_MS = 10;

/** The preload that measures the bridge's own event-loop delay when signalled. */
const LOOP_DELAY_PRELOAD = pathToFileURL(fileURLToPath(new URL("../loop-delay-preload.mjs", import.meta.url))).href;

/** Starts and ends the bridge's loop-delay histogram around a window (SIGUSR2 twice), and reads it. */
export interface LoopDelayProbe {
  start(): void;
  stop(): Promise<LoopDelay | undefined>;
}

function loopDelayProbe(pid: number, file: string): LoopDelayProbe {
  return {
    start: () => process.kill(pid, "SIGUSR2"),
    async stop() {
      await rm(file, { force: true });
      process.kill(pid, "SIGUSR2");
      const deadline = now() + 5_000;
      while (now() < deadline) {
        const text = await readFile(file, "utf8").catch(() => "");
        if (text.endsWith("\n")) return JSON.parse(text) as LoopDelay;
        await sleep(50);
      }
      return undefined;
    },
  };
}

/** `path` at a fixed 200 requests per second (open loop), latencies of every answer. */
export async function loadPath(bridge: RunningBridge, path: string, seconds: number, loopDelay?: LoopDelayProbe): Promise<StatusLoad> {
  const rate = 200;
  const latencies: number[] = [];
  const instance = autocannon({ url: `${bridge.url}${path}`, connections: 10, overallRate: rate, duration: seconds });
  instance.on("response", (_client, statusCode, _bytes, responseTime) => {
    if (statusCode === 200) latencies.push(responseTime);
  });
  const cpu = sampleProcesses([bridge.child.pid!], seconds * 1000 - 500);
  loopDelay?.start();
  const client = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  client.enable();
  const result = await instance;
  client.disable();
  const bridgeLoopDelay = await loopDelay?.stop();
  const late = (nanoseconds: number) => Math.max(0, nanoseconds / 1e6 - LOOP_RESOLUTION_MS);
  const clientLoopDelay: LoopDelay = { samples: client.count, p50Ms: late(client.percentile(50)), p99Ms: late(client.percentile(99)), maxMs: late(client.max) };
  const node = (await cpu)[0];
  return {
    path,
    rate,
    seconds,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: Math.max(...latencies),
    nodeCpuPercent: node?.cpuPercent ?? Number.NaN,
    ...(bridgeLoopDelay ? { bridgeLoopDelay } : {}),
    clientLoopDelay,
  };
}

async function waitIngest(bridge: RunningBridge): Promise<void> {
  const deadline = now() + 15_000;
  while (!(await bridge.json<{ ingest: { live: boolean } }>("/api/status")).ingest.live) {
    if (now() > deadline) throw new Error("the ingest never went live");
    await sleep(100);
  }
}

async function receivedBytes(platform: Platform): Promise<Map<string, number>> {
  return new Map((await platform.streams()).map((stream) => [stream.name, stream.bytesIn]));
}

/** The lowest received rate over the window among `names`, as a fraction of the clip's rate. */
function slowestRealtime(before: Map<string, number>, after: Map<string, number>, elapsedMs: number, clipKbps: number, names: readonly string[]): number {
  const rates = names.map((name) => (((after.get(name) ?? 0) - (before.get(name) ?? 0)) * 8) / elapsedMs / clipKbps);
  return Math.min(...rates);
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}

function mean<T>(items: readonly T[], value: (item: T) => number): number {
  return items.length === 0 ? Number.NaN : sum(items, value) / items.length;
}
