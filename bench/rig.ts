// Starts the real programs a measurement needs (a platform, the built bridge, the OBS stand-in, RTMP
// players) and registers each with the run's resources, so they are stopped however the run ends.

import type { EncodeInput } from "../contract/api.js";
import { setTimeout as sleep } from "node:timers/promises";
import { startBridge, type RunningBridge } from "../rig/bridge.js";
import { startObs, type Obs, type ObsOptions } from "../rig/obs-stand-in.js";
import { startPlatform, type Platform, type PlatformOptions } from "../rig/platform.js";
import type { DestinationView } from "../contract/api.js";
import { now } from "../rig/clock.js";
import { startPlayer, type Arrival, type Player } from "./rtmp/player.js";
import { childrenOf, descendantsOf } from "./process-sampler.js";
import type { Resources } from "./resources.js";

export type { RunningBridge, Platform, Player };

/** A destination in the bridge's config (see docs/config.md). */
export interface BenchDestination {
  id: string;
  name: string;
  url: string;
  key: string;
  enabled: boolean;
  platform?: string;
  /** Its own quality (absent: a copy). */
  encode?: EncodeInput;
}

export async function launchPlatform(resources: Resources, options: PlatformOptions = {}): Promise<Platform> {
  return resources.add("a platform nginx", await startPlatform(options), (platform) => platform.stop());
}

/**
 * Freezes `pid` and every process below it (SIGSTOP), as a hung program; the returned function
 * thaws them (SIGCONT), and runs by itself when the run ends or is interrupted.
 */
export async function freezeTree(resources: Resources, pid: number, what: string): Promise<() => void> {
  const pids = [pid, ...(await descendantsOf(pid)).map((found) => found.pid)];
  const signal = (name: NodeJS.Signals) => {
    for (const each of pids) {
      try {
        process.kill(each, name);
      } catch {
        // Already gone.
      }
    }
  };
  signal("SIGSTOP");
  let thawed = false;
  const thaw = () => {
    if (thawed) return;
    thawed = true;
    signal("SIGCONT");
  };
  resources.add(`the frozen ${what}`, null, thaw);
  return thaw;
}

/**
 * The run's pinned bridge build (`entry`) with `destinations` (relays pushing directly), at the
 * bridge's default log level, as a user runs it; only the tail of its output is kept.
 */
export async function launchBridge(
  resources: Resources,
  entry: string,
  destinations: BenchDestination[],
  extra: { nodeArgs?: string[]; env?: Record<string, string> } = {},
): Promise<RunningBridge> {
  const bridge = await startBridge({
    entry,
    destinations: destinations.map((destination) => ({ transport: "direct", ...destination })),
    logLevel: null,
    outputTail: 20_000,
    ...extra,
  });
  return resources.add("the bridge", bridge, (running) => running.stop());
}

export async function launchPlayer(resources: Resources, serverUrl: string, streamName: string, record = true): Promise<Player> {
  return resources.add(`an RTMP player of ${streamName}`, await startPlayer({ serverUrl, streamName, record }), (player) => player.close());
}

/** The OBS stand-in looping the run's clip (`options.clip`) with `-c copy`; what it prints is not kept. */
export function launchPublisher(resources: Resources, options: ObsOptions & { clip: string }): Obs {
  return resources.add("the OBS stand-in", startObs({ keepOutput: false, ...options }), (publisher) => publisher.stop());
}

/** A press on a destination, timed on the client: sent, answered, and the answer. */
export interface Press {
  at: number;
  /** Date.now() at the press, to compare with the bridge's own timestamps (`since`). */
  wallAt: number;
  answeredAt: number;
  status: number;
  view: DestinationView;
}

/** POSTs start/stop/toggle for `id` the way Companion or the plugin does. */
export async function press(bridge: RunningBridge, id: string, verb: "start" | "stop" | "toggle"): Promise<Press> {
  const wallAt = Date.now();
  const at = now();
  const response = await bridge.api(`/api/destinations/${encodeURIComponent(id)}/${verb}`, { method: "POST" });
  const view = (await response.json()) as DestinationView;
  return { at, wallAt, answeredAt: now(), status: response.status, view };
}

/** The first media arrival at `player` on or after `from` that `match` accepts; null on timeout. */
export async function waitArrival(player: Player, from: number, match: (arrival: Arrival) => boolean, timeoutMs: number): Promise<Arrival | null> {
  const deadline = now() + timeoutMs;
  for (;;) {
    const found = player.arrivalsSince(from).find(match);
    if (found) return found;
    if (now() > deadline) return null;
    await sleep(5);
  }
}

/** Media (not codec headers) of one kind. */
export const isVideo = (arrival: Arrival) => arrival.kind === "video" && !arrival.sequenceHeader;
export const isAudio = (arrival: Arrival) => arrival.kind === "audio" && !arrival.sequenceHeader;
export const isKeyframe = (arrival: Arrival) => arrival.kind === "video" && arrival.keyframe;

/** The pid of the bridge's relay that pushes to stream `streamName` (matched on its URL's end). */
export async function relayPid(bridge: RunningBridge, streamName: string): Promise<number | undefined> {
  const relays = await childrenOf(bridge.child.pid!, "ffmpeg");
  return relays.find((relay) => relay.cmd.trimEnd().endsWith(`/${streamName}`))?.pid;
}

/** Waits until every destination in `ids` is in state `state` (API polled every 50 ms). */
export async function waitStates(bridge: RunningBridge, ids: readonly string[], state: string, timeoutMs = 20_000): Promise<void> {
  const deadline = now() + timeoutMs;
  for (;;) {
    const views = (await bridge.json<{ destinations: DestinationView[] }>("/api/status")).destinations;
    const pending = ids.filter((id) => views.find((view) => view.id === id)?.state !== state);
    if (pending.length === 0) return;
    if (now() > deadline) throw new Error(`timed out waiting for ${pending.join(", ")} to be ${state}`);
    await sleep(50);
  }
}
