// Press → platform receiving, and press → relay gone, through the real bridge. One destination is
// switched on and off at random phases of the GOP while two neighbours stay live; RTMP players
// subscribed on the platform see when media starts and stops, whether it starts on a keyframe, and
// every stall the neighbours get. The bridge starts a relay from its keyframe cache, so press →
// receiving is its figure. A player on the ingest sees when each keyframe passes through nginx: the
// earliest moment a relay reading nginx directly (the relay before the data plane, run standalone in
// the same rounds) can start, so its "overhead" is what it adds beyond that keyframe wait.

import { setTimeout as sleep } from "node:timers/promises";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Resources } from "../resources.js";
import { now } from "../../rig/clock.js";
import { firstAtOrAfter } from "../stats.js";
import { waitGone } from "../process-sampler.js";
import { readCpuNs } from "../procfs.js";
import { watchEvents, type EventWatch } from "../../rig/events.js";
import { gapBeyondSource, silences, transit, type GapBeyondSource, type SilenceView, type TransitView } from "../delivery.js";
import { RELAY_VARIANTS } from "../relay-variants.js";
import { execa } from "execa";
import { isAudio, isKeyframe, isVideo, launchBridge, launchPlatform, launchPlayer, launchPublisher, press, relayPid, waitArrival, waitStates, type RunningBridge } from "../rig.js";
import type { Player } from "../rtmp/player.js";
import { runVariantTrial, type VariantSample } from "./variant-trial.js";

export interface ToggleOptions {
  /** The pinned bridge build. */
  bridgeEntry: string;
  gopSeconds: number;
  clip: string;
  /** On/off cycles of the bridge's destination. */
  cycles: number;
  /** Starts of each standalone variant (0: none). */
  variantTrials: number;
  /** Which standalone variants: the direct relay (before the data plane) only, or every flag variant too. */
  variants: "direct" | "all";
  /** A window with no switching first: the neighbours' delays then are the machine's own. */
  quietMs: number;
  random: () => number;
  log: (line: string) => void;
}

/** One on/off cycle through the bridge, every time relative to its press (ms). */
export interface ToggleSample {
  /** Press → the API answered. */
  answerMs: number;
  /** Press → the first video frame reached the platform. */
  receiveMs: number | null;
  /** Press → the first audio frame reached the platform (null: none within 2 s of the video). */
  audioMs: number | null;
  /** Press → the next keyframe passed through the ingest. */
  keyframeWaitMs: number | null;
  /** receive − next keyframe at the ingest (a reference: the bridge starts from its cache, before it). */
  overheadMs: number | null;
  /** The first video the platform got was a keyframe (null: none came). */
  firstKeyframe?: boolean | null;
  /** Press → the bridge's state became `live` (its `since`), and → that event reached an SSE client. */
  liveStateMs: number | null;
  liveEventMs: number | null;
  /** Off press → the API answered, → the relay process was gone, → the last media reached the platform. */
  offAnswerMs: number;
  goneMs: number | null;
  flowEndMs: number | null;
}

/** What a neighbour's viewers saw while the other destination was switched. */
export interface NeighbourView {
  stream: string;
  silence: SilenceView;
  transit: TransitView;
  /** What happened last before the worst delay, and how long before it (ms). */
  worstAfter: { what: string; ms: number } | null;
  /** The same stream over the quiet window before any switching (the machine's own jitter). */
  quiet: { silence: SilenceView; transit: TransitView };
  /** In the PRESS_WINDOW_MS after each on and off press of the bridge's destination: its longest gap beyond the ingest's own. */
  gapBeyondIngest?: GapBeyondSource;
  /** CPU of the relay feeding this stream over both windows, % of a core (side by side, so comparable). */
  cpuPercent?: number;
}

export interface ToggleRun {
  gopSeconds: number;
  samples: ToggleSample[];
  variants: Array<{ name: string; change: string; samples: VariantSample[] }>;
  neighbours: NeighbourView[];
  /** The ingest itself over the same window: the publisher's own pacing jitter, for reference. */
  ingest: SilenceView;
  /** Toggles of the bridge's destination in the window (on and off presses). */
  toggles: number;
  /** Cycles whose on press never reached the platform. */
  failures: number;
  windowSeconds: number;
  /**
   * How late this process's own event loop ran (ms): every arrival time is taken there, so a late
   * loop shows up as a delay that the relays did not cause. Quiet window, then the switching window.
   */
  measuringLoopDelay: { quietMaxMs: number; maxMs: number; p99Ms: number };
}

const TOGGLED = "toggled";

/** After each press, the window in which a neighbour's gap is set against the ingest's: a start or stop is over by then. */
export const PRESS_WINDOW_MS = 3_000;
const STREAMS = { toggled: "bench_toggled_stream", n1: "bench_neighbour_one", n2: "bench_neighbour_two" };

export async function measureToggles(resources: Resources, options: ToggleOptions): Promise<ToggleRun> {
  return resources.scoped(async () => {
    const { gopSeconds, log } = options;
    const platform = await launchPlatform(resources);
    const bridge = await launchBridge(resources, options.bridgeEntry, [
      { id: TOGGLED, name: "Toggled", url: platform.url, key: STREAMS.toggled, enabled: false },
      { id: "n1", name: "Neighbour one", url: platform.url, key: STREAMS.n1, enabled: true },
      { id: "n2", name: "Neighbour two", url: platform.url, key: STREAMS.n2, enabled: true },
    ]);
    const watch = resources.add("an SSE watch", await watchEvents(bridge.url), (value) => value.close());
    const toggled = await launchPlayer(resources, platform.url, STREAMS.toggled);
    const neighbours: Array<{ label: string; player: Player; pid?: number }> = [
      { label: "neighbour one (bridge)", player: await launchPlayer(resources, platform.url, STREAMS.n1) },
      { label: "neighbour two (bridge)", player: await launchPlayer(resources, platform.url, STREAMS.n2) },
    ];
    const variants = options.variantTrials > 0 ? (options.variants === "all" ? RELAY_VARIANTS : RELAY_VARIANTS.slice(0, 1)) : [];
    const variantPlayers: Player[] = [];
    for (const [index] of variants.entries()) variantPlayers.push(await launchPlayer(resources, platform.url, `bench_variant_${index}`));
    const ingest = await launchPlayer(resources, bridge.ingestUrl, "obs");
    launchPublisher(resources, { clip: options.clip, url: `${bridge.ingestUrl}/obs` });
    // With the variants, the direct relay (and the flags before e8d1db3) also run as steady neighbours for the
    // whole window, to compare how smoothly each delivers.
    const steady = variants.slice(0, 2);
    for (const [index, variant] of steady.entries()) {
      const name = `bench_steady_${index}`;
      const player = await launchPlayer(resources, platform.url, name);
      const child = execa("ffmpeg", variant.args(`${bridge.ingestUrl}/obs`, `${platform.url}/${name}`), { stdin: "pipe", stdout: "ignore", stderr: "ignore", reject: false, buffer: false });
      neighbours.push({ label: `standalone "${variant.name}" relay`, player, pid: child.pid });
      resources.add(`a standalone relay (${variant.name})`, child, async (running) => {
        running.kill("SIGINT");
        await running;
      });
    }
    await waitStates(bridge, ["n1", "n2"], "live");
    for (const { player } of neighbours) if (!(await waitArrival(player, 0, isVideo, 10_000))) throw new Error("a neighbour platform never received video");
    await sleep(1500);
    neighbours[0]!.pid = await relayPid(bridge, STREAMS.n1);
    neighbours[1]!.pid = await relayPid(bridge, STREAMS.n2);
    const cpuStart = await Promise.all(neighbours.map(({ pid }) => (pid === undefined ? null : readCpuNs(pid))));
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const quietStart = now();
    await sleep(options.quietMs);
    const quietEnd = now();
    const quietLoopMaxMs = loop.max / 1e6;
    loop.reset();

    const timeline: Array<{ at: number; what: string }> = [];
    const mark = (what: string) => timeline.push({ at: now(), what });
    const samples: ToggleSample[] = [];
    const variantSamples: VariantSample[][] = variants.map(() => []);
    const timeoutMs = gopSeconds * 3000 + 5_000;
    let failures = 0;
    const windowStart = now();
    const rounds = Math.max(options.cycles, options.variantTrials);
    for (let round = 0; round < rounds; round += 1) {
      // Each round runs its jobs in a random order, each after a random part of a GOP, so the
      // keyframe wait is spread evenly over [0, GOP) and machine drift touches every job alike.
      const jobs: Array<() => Promise<void>> = [];
      if (round < options.cycles) {
        jobs.push(async () => {
          const sample = await toggleCycle({ bridge, toggled, ingest, watch, timeoutMs, mark });
          if (sample.receiveMs === null) failures += 1;
          samples.push(sample);
          log(`  GOP ${gopSeconds} s, bridge toggle ${samples.length}/${options.cycles}: receiving after ${fmt(sample.receiveMs)} ms${sample.firstKeyframe === false ? " (NOT on a keyframe)" : ""} (next keyframe at the ingest after ${fmt(sample.keyframeWaitMs)}); off: relay gone after ${fmt(sample.goneMs)} ms`);
        });
      }
      if (round < options.variantTrials) {
        variants.forEach((variant, index) =>
          jobs.push(async () => {
            mark(`variant "${variant.name}" spawned`);
            const sample = await runVariantTrial({
              variant,
              inputUrl: `${bridge.ingestUrl}/obs`,
              platformUrl: platform.url,
              streamName: `bench_variant_${index}`,
              player: variantPlayers[index]!,
              ingest,
              timeoutMs,
            });
            mark(`variant "${variant.name}" stopped`);
            variantSamples[index]!.push(sample);
            log(`  GOP ${gopSeconds} s, standalone "${variant.name}" ${variantSamples[index]!.length}/${options.variantTrials}: receiving after ${fmt(sample.receiveMs)} ms (overhead ${fmt(sample.overheadMs)}, claimed media at ${fmt(sample.reportedMs)})`);
          }),
        );
      }
      for (const job of shuffle(jobs, options.random)) {
        await sleep(200 + options.random() * gopSeconds * 1000);
        await job();
      }
    }
    const windowEnd = now();
    const cpuEnd = await Promise.all(neighbours.map(({ pid }) => (pid === undefined ? null : readCpuNs(pid))));
    loop.disable();
    const measuringLoopDelay = { quietMaxMs: quietLoopMaxMs, maxMs: loop.max / 1e6, p99Ms: loop.percentile(99) / 1e6 };
    const pressWindows = timeline
      .filter((event) => event.what === "bridge: on press" || event.what === "bridge: off press")
      .map((event): [number, number] => [event.at, event.at + PRESS_WINDOW_MS]);
    const neighbourViews = neighbours.map(({ label, player }, index) => {
      const [first, last] = [cpuStart[index], cpuEnd[index]];
      const cpuPercent = first !== null && first !== undefined && last !== null && last !== undefined ? ((last - first) / 1e6 / (windowEnd - quietStart)) * 100 : undefined;
      const delivery = transit(ingest.arrivals, player.arrivals, windowStart, windowEnd);
      const before = timeline.filter((event) => event.at <= delivery.worstAt).at(-1);
      return {
        stream: label,
        silence: silences(player.arrivals, windowStart, windowEnd),
        transit: delivery,
        worstAfter: before ? { what: before.what, ms: delivery.worstAt - before.at } : null,
        quiet: { silence: silences(player.arrivals, quietStart, quietEnd), transit: transit(ingest.arrivals, player.arrivals, quietStart, quietEnd) },
        gapBeyondIngest: gapBeyondSource(player.arrivals, ingest.arrivals, pressWindows),
        ...(cpuPercent !== undefined ? { cpuPercent } : {}),
      };
    });
    return {
      gopSeconds,
      samples,
      variants: variants.map((variant, index) => ({ name: variant.name, change: variant.change, samples: variantSamples[index]! })),
      neighbours: neighbourViews,
      ingest: silences(ingest.arrivals, windowStart, windowEnd),
      toggles: samples.length * 2,
      failures,
      windowSeconds: (windowEnd - windowStart) / 1000,
      measuringLoopDelay,
    };
  });
}

interface CycleRig {
  bridge: RunningBridge;
  toggled: Player;
  ingest: Player;
  watch: EventWatch;
  timeoutMs: number;
  mark: (what: string) => void;
}

const stateIs = (state: string) => (status: { destinations: Array<{ id: string; state: string }> }) =>
  status.destinations.some((view) => view.id === TOGGLED && view.state === state);

async function toggleCycle({ bridge, toggled, ingest, watch, timeoutMs, mark }: CycleRig): Promise<ToggleSample> {
  mark("bridge: on press");
  const on = await press(bridge, TOGGLED, "start");
  const video = await waitArrival(toggled, on.at, isVideo, timeoutMs);
  const audio = video ? await waitArrival(toggled, on.at, isAudio, Math.max(0, video.at + 2_000 - now())) : null;
  const live = await watch.waitFor(stateIs("live"), { after: on.at, timeoutMs: 10_000, what: "the toggled destination live" }).catch(() => null);
  const liveView = live?.status.destinations.find((view) => view.id === TOGGLED);
  await sleep(400);

  const pid = await relayPid(bridge, STREAMS.toggled);
  mark("bridge: off press");
  const off = await press(bridge, TOGGLED, "stop");
  const goneAt = pid === undefined ? null : await waitGone(pid, { timeoutMs: 5_000, intervalMs: 2 });
  mark("bridge: relay gone");
  await watch.waitFor(stateIs("off"), { after: off.at, timeoutMs: 10_000, what: "the toggled destination off" }).catch(() => null);
  await sleep(150);
  const lastMedia = toggled.arrivalsSince(off.at).at(-1);
  // Read last: through the bridge the platform often receives before the next keyframe has passed.
  const keyframeAt = firstAtOrAfter(ingest.arrivalsSince(on.at).filter(isKeyframe).map((arrival) => arrival.at), on.at);
  const from = (at: number | null | undefined, start: number) => (at === null || at === undefined ? null : at - start);
  return {
    answerMs: on.answeredAt - on.at,
    receiveMs: from(video?.at, on.at),
    audioMs: from(audio?.at, on.at),
    keyframeWaitMs: from(keyframeAt, on.at),
    overheadMs: video && keyframeAt !== undefined ? video.at - keyframeAt : null,
    firstKeyframe: video ? video.keyframe : null,
    liveStateMs: liveView?.since ? Date.parse(liveView.since) - on.wallAt : null,
    liveEventMs: from(live?.at, on.at),
    offAnswerMs: off.answeredAt - off.at,
    goneMs: from(goneAt, off.at),
    flowEndMs: lastMedia ? lastMedia.at - off.at : 0,
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function fmt(value: number | null): string {
  return value === null ? "—" : value.toFixed(0);
}
