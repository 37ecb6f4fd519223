// A platform that hangs: its nginx is frozen (SIGSTOP) for a while, so its relay cannot write and the
// data plane's queue for it fills, while two neighbours on another platform stay live. It records the
// neighbours' worst stall (against a quiet window before), the bridge's memory every second, and
// whether the hung relay skipped to a keyframe (its view's `skippedToKeyframe`).

import { setTimeout as sleep } from "node:timers/promises";
import type { DestinationView } from "../../contract/api.js";
import type { Resources } from "../resources.js";
import { now } from "../../rig/clock.js";
import { longestGap } from "../stats.js";
import { logLinesSince } from "./obs-drop.js";
import { silences, transit, type SilenceView, type TransitView } from "../delivery.js";
import { memoryTrend, type MemoryReading, type MemoryTrend } from "../media-checks.js";
import { readProcMemory } from "../procfs.js";
import { freezeTree, isVideo, launchBridge, launchPlatform, launchPlayer, launchPublisher, waitArrival, waitStates, type RunningBridge } from "../rig.js";

export interface HungPlatformOptions {
  bridgeEntry: string;
  clip: string;
  hangSeconds: number;
  quietMs: number;
  log: (line: string) => void;
}

export interface HungNeighbour {
  stream: string;
  silence: SilenceView;
  /** When the longest gap began, seconds after the platform was frozen. */
  longestGapAtS: number;
  transit: TransitView;
  quiet: { silence: SilenceView; transit: TransitView };
}

export interface HungPlatformRun {
  hangSeconds: number;
  neighbours: HungNeighbour[];
  /** The bridge process, once a second over the hang. */
  memory: MemoryReading[];
  trend: MemoryTrend;
  /** The hung destination's skip counter before and after the hang. */
  skipsBefore: number;
  skipsAfter: number;
  /** The hung destination's relay restarts (its watchdog) before and at the end of the hang. */
  restartsBefore?: number;
  restartsAfter?: number;
  /** The hung destination's state at the end of the hang, and 5 s after its platform was thawed. */
  stateDuring: string;
  stateAfter: string;
  /** When the platform was frozen and thawed (ISO, to line up with the bridge's log). */
  frozenAt?: string;
  thawedAt?: string;
  /** What the bridge logged about the ingest, holding, skips, warnings and errors over the hang (no secrets in its log). */
  bridgeLog: string[];
}

const HUNG = "hung";
const NEIGHBOURS = ["near1", "near2"] as const;
const stream = (id: string) => `bench_${id}`;

export async function measureHungPlatform(resources: Resources, options: HungPlatformOptions): Promise<HungPlatformRun> {
  return resources.scoped(async () => {
    const platform = await launchPlatform(resources);
    const hung = await launchPlatform(resources);
    const bridge = await launchBridge(resources, options.bridgeEntry, [
      { id: HUNG, name: "Hung", url: hung.url, key: stream(HUNG), enabled: true },
      ...NEIGHBOURS.map((id) => ({ id, name: id, url: platform.url, key: stream(id), enabled: true })),
    ]);
    const players = [];
    for (const id of NEIGHBOURS) players.push({ id, player: await launchPlayer(resources, platform.url, stream(id)) });
    const ingest = await launchPlayer(resources, bridge.ingestUrl, "obs");
    launchPublisher(resources, { clip: options.clip, url: `${bridge.ingestUrl}/obs` });
    await waitStates(bridge, [HUNG, ...NEIGHBOURS], "live", 30_000);
    for (const { player } of players) if (!(await waitArrival(player, 0, isVideo, 10_000))) throw new Error("a neighbour platform never received video");
    await sleep(2_000);
    const quietStart = now();
    await sleep(options.quietMs);
    const quietEnd = now();

    const skipsBefore = (await view(bridge, HUNG))?.skippedToKeyframe ?? 0;
    const bridgePid = bridge.child.pid!;
    const restartsBefore = (await view(bridge, HUNG))?.restarts ?? 0;
    // The freeze looks the processes up first, then stops them: the hang starts when it returns.
    const thaw = await freezeTree(resources, hung.pid, "platform nginx");
    const hangStart = now();
    const hangWallStart = Date.now();
    const memory: MemoryReading[] = [];
    for (let second = 0; second <= options.hangSeconds; second += 1) {
      const reading = await readProcMemory(bridgePid);
      if (reading) memory.push({ atSeconds: (now() - hangStart) / 1000, rssMb: reading.rssKb / 1024, pssMb: reading.pssKb / 1024 });
      await sleep(Math.max(0, hangStart + (second + 1) * 1000 - now()));
    }
    const hangEnd = now();
    const during = await view(bridge, HUNG);
    thaw();
    const thawedAt = new Date().toISOString();
    await sleep(5_000);
    const after = await view(bridge, HUNG);
    const neighbours = players.map(({ id, player }) => ({
      stream: id,
      silence: silences(player.arrivals, hangStart, hangEnd),
      longestGapAtS: (longestGap([hangStart, ...player.arrivals.filter((arrival) => !arrival.sequenceHeader && arrival.at >= hangStart && arrival.at <= hangEnd).map((arrival) => arrival.at), hangEnd]).at - hangStart) / 1000,
      transit: transit(ingest.arrivals, player.arrivals, hangStart, hangEnd),
      quiet: { silence: silences(player.arrivals, quietStart, quietEnd), transit: transit(ingest.arrivals, player.arrivals, quietStart, quietEnd) },
    }));
    const trend = memoryTrend(memory);
    const run: HungPlatformRun = {
      hangSeconds: options.hangSeconds,
      neighbours,
      memory,
      trend,
      skipsBefore,
      skipsAfter: during?.skippedToKeyframe ?? 0,
      restartsBefore,
      restartsAfter: during?.restarts ?? 0,
      stateDuring: during?.state ?? "?",
      stateAfter: after?.state ?? "?",
      frozenAt: new Date(hangWallStart).toISOString(),
      thawedAt,
      bridgeLog: logLinesSince(bridge.output(), hangWallStart - 1_000, /stalled|holding|skip|WARN|ERROR|ingest|relay:/i).slice(-20),
    };
    for (const line of run.bridgeLog) options.log(`    bridge: ${line}`);
    options.log(
      `  hung ${options.hangSeconds} s: longest gaps ${neighbours.map((n) => `${Math.round(n.silence.longestGapMs)} ms at +${n.longestGapAtS.toFixed(1)} s`).join(" / ")}; neighbours' worst extra delay ${neighbours.map((n) => Math.round(n.transit.extraMs)).join(" / ")} ms (quiet ${neighbours.map((n) => Math.round(n.quiet.transit.extraMs)).join(" / ")} ms); ` +
        `bridge PSS ${trend.firstPssMb.toFixed(1)} → max ${trend.maxPssMb.toFixed(1)} MB (late growth ${trend.lateGrowthMb.toFixed(1)} MB); skips ${run.skipsBefore} → ${run.skipsAfter}, restarts ${run.restartsBefore} → ${run.restartsAfter}; hung one ${run.stateDuring}, then ${run.stateAfter}`,
    );
    return run;
  });
}

async function view(bridge: RunningBridge, id: string): Promise<DestinationView | undefined> {
  return (await bridge.json<{ destinations: DestinationView[] }>("/api/status")).destinations.find((each) => each.id === id);
}
