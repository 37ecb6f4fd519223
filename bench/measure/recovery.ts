// Recovery with the real programs: a relay killed with SIGKILL (→ retrying → live again), and the
// bridge's nginx killed with SIGKILL, master and worker (→ restarted, OBS reconnects, every enabled
// destination live again). Times are taken at the platform's players and from the bridge's events.

import { setTimeout as sleep } from "node:timers/promises";
import type { DestinationView, StatusView } from "../../contract/api.js";
import type { Resources } from "../resources.js";
import { now } from "../../rig/clock.js";
import { firstAtOrAfter } from "../stats.js";
import { childrenOf, descendantsOf } from "../process-sampler.js";
import { watchEvents, type EventWatch } from "../../rig/events.js";
import { isKeyframe, isVideo, launchBridge, launchPlatform, launchPlayer, launchPublisher, press, relayPid, waitArrival, waitStates, type Player, type RunningBridge } from "../rig.js";

export interface RecoveryOptions {
  /** The pinned bridge build. */
  bridgeEntry: string;
  clip: string;
  gopSeconds: number;
  relayKills: number;
  nginxKills: number;
  /** The OBS stand-in publishes again this long after its connection dropped. */
  reconnectDelayMs: number;
  log: (line: string) => void;
}

/** One relay killed, ms after the kill. */
export interface RelayKillSample {
  /** The backoff the bridge chose (retryAt − the moment it went retrying). */
  backoffMs: number | null;
  /** Kill → the platform received video again. */
  receiveMs: number | null;
  /** Kill → the bridge said live again. */
  liveMs: number | null;
  /** From the retry's start to the next keyframe at the ingest (the unavoidable wait). */
  keyframeWaitMs: number | null;
  /** receive − backoff − keyframe wait: what the retry costs beyond the bar's allowance. */
  excessMs: number | null;
}

/** nginx killed, ms after the kill. */
export interface NginxKillSample {
  nginxRunningMs: number | null;
  ingestLiveMs: number | null;
  /** Kill → the last destination live again / receiving again. */
  allLiveMs: number | null;
  allReceivingMs: number | null;
  /** Relays pushing once all were back (must equal the enabled destinations: never two per destination). */
  relaysAfter: number;
}

export interface RecoveryRun {
  gopSeconds: number;
  relayKills: RelayKillSample[];
  nginxKills: NginxKillSample[];
  destinations: number;
}

const IDS = ["r1", "r2", "r3"];
const stream = (id: string) => `bench_recovery_${id}`;
const viewOf = (status: StatusView, id: string): DestinationView | undefined => status.destinations.find((view) => view.id === id);

export async function measureRecovery(resources: Resources, options: RecoveryOptions): Promise<RecoveryRun> {
  return resources.scoped(async () => {
    const platform = await launchPlatform(resources);
    const bridge = await launchBridge(
      resources,
      options.bridgeEntry,
      IDS.map((id) => ({ id, name: `Recovery ${id}`, url: platform.url, key: stream(id), enabled: true })),
    );
    const watch = resources.add("an SSE watch", await watchEvents(bridge.url), (value) => value.close());
    const players = new Map<string, Player>();
    for (const id of IDS) players.set(id, await launchPlayer(resources, platform.url, stream(id)));
    const ingest = await launchPlayer(resources, bridge.ingestUrl, "obs");
    const publisher = launchPublisher(resources, { clip: options.clip, url: `${bridge.ingestUrl}/obs`, reconnectDelayMs: options.reconnectDelayMs, maxReconnects: 50 });
    await waitStates(bridge, IDS, "live", 20_000);
    await sleep(1_000);

    const relayKills: RelayKillSample[] = [];
    for (let trial = 0; trial < options.relayKills; trial += 1) {
      const sample = await killRelay(bridge, watch, players.get("r1")!, ingest);
      relayKills.push(sample);
      options.log(`  relay killed ${trial + 1}/${options.relayKills}: receiving again after ${fmt(sample.receiveMs)} ms (backoff ${fmt(sample.backoffMs)}, keyframe wait ${fmt(sample.keyframeWaitMs)}, excess ${fmt(sample.excessMs)})`);
      // Off and on again resets the failure count, so every trial starts from the first backoff.
      await press(bridge, "r1", "stop");
      await waitStates(bridge, ["r1"], "off");
      await press(bridge, "r1", "start");
      await waitStates(bridge, ["r1"], "live", 20_000);
      await sleep(500 + Math.random() * options.gopSeconds * 1000);
    }

    const nginxKills: NginxKillSample[] = [];
    for (let trial = 0; trial < options.nginxKills; trial += 1) {
      const sample = await killNginx(bridge, watch, players);
      nginxKills.push(sample);
      options.log(`  nginx killed ${trial + 1}/${options.nginxKills}: nginx back after ${fmt(sample.nginxRunningMs)} ms, OBS back ${fmt(sample.ingestLiveMs)} ms, all live ${fmt(sample.allLiveMs)} ms, all receiving ${fmt(sample.allReceivingMs)} ms; ${sample.relaysAfter} relays`);
      await sleep(2_000);
    }
    void publisher;
    return { gopSeconds: options.gopSeconds, relayKills, nginxKills, destinations: IDS.length };
  });
}

async function killRelay(bridge: RunningBridge, watch: EventWatch, player: Player, ingest: Player): Promise<RelayKillSample> {
  const pid = await relayPid(bridge, stream("r1"));
  if (pid === undefined) throw new Error("no relay for r1 to kill");
  const killedAt = now();
  const killedWall = Date.now();
  process.kill(pid, "SIGKILL");
  const retrying = await watch.waitFor((status) => viewOf(status, "r1")?.state === "retrying", { after: killedAt, timeoutMs: 10_000, what: "r1 retrying" }).catch(() => null);
  const retryView = retrying ? viewOf(retrying.status, "r1") : undefined;
  const backoffMs = retryView?.retryAt && retryView.since ? Date.parse(retryView.retryAt) - Date.parse(retryView.since) : null;
  const starting = await watch.waitFor((status) => viewOf(status, "r1")?.state === "starting", { after: killedAt, timeoutMs: 60_000, what: "r1 starting again" }).catch(() => null);
  const startingView = starting ? viewOf(starting.status, "r1") : undefined;
  const restartAt = startingView?.since ? Date.parse(startingView.since) - killedWall + killedAt : null;
  const video = restartAt === null ? null : await waitArrival(player, restartAt, isVideo, 20_000);
  const live = await watch.waitFor((status) => viewOf(status, "r1")?.state === "live", { after: starting?.at ?? killedAt, timeoutMs: 20_000, what: "r1 live again" }).catch(() => null);
  const keyframeAt = restartAt === null ? undefined : firstAtOrAfter(ingest.arrivalsSince(restartAt).filter(isKeyframe).map((arrival) => arrival.at), restartAt);
  const receiveMs = video ? video.at - killedAt : null;
  const keyframeWaitMs = keyframeAt === undefined || restartAt === null ? null : keyframeAt - restartAt;
  return {
    backoffMs,
    receiveMs,
    liveMs: live ? live.at - killedAt : null,
    keyframeWaitMs,
    excessMs: receiveMs !== null && backoffMs !== null && keyframeWaitMs !== null ? receiveMs - backoffMs - keyframeWaitMs : null,
  };
}

async function killNginx(bridge: RunningBridge, watch: EventWatch, players: Map<string, Player>): Promise<NginxKillSample> {
  const bridgePid = bridge.child.pid!;
  const masters = await childrenOf(bridgePid, "nginx");
  const everything = [...masters, ...(await descendantsOf(bridgePid)).filter((process) => process.name === "nginx" && process.ppid !== bridgePid)];
  const killedAt = now();
  for (const process_ of everything) {
    try {
      process.kill(process_.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  // Events sent before the bridge noticed still say "running": wait for the one that says it is down.
  const down = await watch.waitFor((status) => status.services.nginx.state !== "running" || !status.ingest.live, { after: killedAt, timeoutMs: 10_000, what: "nginx down" }).catch(() => null);
  const wait = (what: string, match: (status: StatusView) => boolean) =>
    watch.waitFor(match, { after: down?.at ?? killedAt, timeoutMs: 30_000, what }).then((event) => event.at - killedAt).catch(() => null);
  const nginxRunningMs = await wait("nginx running", (status) => status.services.nginx.state === "running");
  const ingestLiveMs = await wait("the ingest live", (status) => status.ingest.live);
  const allLiveMs = await wait("every destination live", (status) => IDS.every((id) => viewOf(status, id)?.state === "live"));
  let allReceivingMs: number | null = null;
  if (nginxRunningMs !== null) {
    const from = killedAt + nginxRunningMs;
    const arrivals = await Promise.all(IDS.map((id) => waitArrival(players.get(id)!, from, isVideo, 20_000)));
    if (arrivals.every((arrival) => arrival !== null)) allReceivingMs = Math.max(...arrivals.map((arrival) => arrival!.at)) - killedAt;
  }
  await sleep(1_000);
  const relaysAfter = (await childrenOf(bridgePid, "ffmpeg")).length;
  return { nginxRunningMs, ingestLiveMs, allLiveMs, allReceivingMs, relaysAfter };
}

function fmt(value: number | null): string {
  return value === null ? "—" : value.toFixed(0);
}
