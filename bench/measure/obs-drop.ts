// OBS goes away and comes back while two destinations are live: a clean stop for N seconds (under the
// bridge's hold), and an encoder that freezes (SIGSTOP) and reconnects under the same name ~2 s later
// while the frozen one still holds its connection (it is killed once the new one publishes). At the
// platform (a recording nginx: one file per publish) it counts the sessions each destination opened,
// the longest stop of media in wall-clock time, timestamps going backwards on each track, and when the
// first frame of OBS's picture arrived against when OBS's first keyframe passed the ingest.

import { setTimeout as sleep } from "node:timers/promises";
import type { Resources } from "../resources.js";
import { now } from "../../rig/clock.js";
import { longestGap } from "../stats.js";
import { silences, type SilenceView } from "../delivery.js";
import { backwardSteps, firstKeyframeAfter, obsPictureBack, sessionFiles, type BackwardView, type PictureBack } from "../media-checks.js";
import { watchEvents } from "../../rig/events.js";
import { launchBridge, launchPlatform, launchPlayer, launchPublisher, waitArrival, waitStates, isVideo, freezeTree, type Platform } from "../rig.js";
import type { Player } from "../rtmp/player.js";

export interface ObsDropOptions {
  bridgeEntry: string;
  clip: string;
  /** Clean stops of OBS, seconds each. */
  goneSeconds: number[];
  /** Also freeze the encoder and reconnect a new one under the same name. */
  freeze: boolean;
  /** Seconds the frozen encoder is left before the new one publishes. */
  freezeSeconds: number;
  log: (line: string) => void;
}

/** What one platform stream saw across one drop. */
export interface DropDestination {
  id: string;
  /** Sessions the platform got across the drop (1 = it kept its session). */
  sessions: number;
  /** Media at the platform from 1 s before the drop to 3 s after OBS's picture was back. */
  silence: SilenceView;
  /** When the longest stop began, ms after the drop (negative: before it). */
  longestStopAtMs: number;
  backward: BackwardView;
  /** OBS's first keyframe at the ingest → the first frame of OBS's picture at the platform, ms. */
  pictureBackMs: number | null;
  /** Which of OBS's keyframes that first frame was (0: its first after it came back; 1: one GOP later...). */
  pictureKeyframe: number | null;
  /** States the bridge reported for the destination meanwhile, in order, without repeats. */
  states: string[];
}

export interface DropTrial {
  /** "gone 5 s" or "frozen, reconnected after 2 s". */
  kind: "gone" | "freeze";
  seconds: number;
  /** OBS publishing again → its first keyframe at the ingest, ms. */
  firstKeyframeMs: number | null;
  destinations: DropDestination[];
  /** What the bridge logged about the ingest, the stand-in and holding meanwhile (its log has no secrets). */
  bridgeLog: string[];
}

export interface ObsDropRun {
  holdSeconds: number;
  trials: DropTrial[];
}

const IDS = ["hold1", "hold2"] as const;
const stream = (id: string) => `bench_${id}`;

export async function measureObsDrops(resources: Resources, options: ObsDropOptions): Promise<ObsDropRun> {
  return resources.scoped(async () => {
    const platform = await launchPlatform(resources, { record: true });
    const bridge = await launchBridge(
      resources,
      options.bridgeEntry,
      IDS.map((id) => ({ id, name: id, url: platform.url, key: stream(id), enabled: true })),
    );
    const watch = resources.add("an SSE watch", await watchEvents(bridge.url), (value) => value.close());
    const players = new Map<string, Player>();
    for (const id of IDS) players.set(id, await launchPlayer(resources, platform.url, stream(id)));
    const ingest = await launchPlayer(resources, bridge.ingestUrl, "obs");
    const publish = () => launchPublisher(resources, { clip: options.clip, url: `${bridge.ingestUrl}/obs` });
    let publisher = publish();
    await waitStates(bridge, [...IDS], "live", 30_000);
    for (const player of players.values()) if (!(await waitArrival(player, 0, isVideo, 10_000))) throw new Error("a platform never received video");
    // The stand-in is encoded once the stream's format is known: give it time before the first drop
    // (a drop sooner than that ends the platforms' sessions: the first trial's log says so).
    await sleep(10_000);

    const trials: Array<{ kind: DropTrial["kind"]; seconds: number }> = [
      ...options.goneSeconds.map((seconds) => ({ kind: "gone" as const, seconds })),
      ...(options.freeze ? [{ kind: "freeze" as const, seconds: options.freezeSeconds }] : []),
    ];
    const results: DropTrial[] = [];
    let logFrom = Date.now() - 60_000;
    for (const trial of trials) {
      const sessionsBefore = await sessionCounts(platform);
      const dropAt = now();
      let frozen: { thaw: () => void; pid: number } | null = null;
      if (trial.kind === "gone") {
        await publisher.stop();
      } else {
        const pid = publisher.pid;
        if (pid === undefined) throw new Error("the publisher has no process to freeze");
        frozen = { pid, thaw: await freezeTree(resources, pid, "OBS stand-in") };
      }
      await sleep(Math.max(0, dropAt + trial.seconds * 1000 - now()));
      const old = publisher;
      const resumeAt = now();
      publisher = publish();
      const keyframe = await waitFor(() => firstKeyframeAfter(ingest.arrivals, resumeAt), 10_000);
      if (frozen) {
        // The new encoder publishes (the bridge replaced the stale one): the frozen one dies now.
        try {
          process.kill(frozen.pid, "SIGKILL");
        } catch {
          // Already gone.
        }
        await old.stop();
        frozen.thaw();
      }
      const backAt = new Map<string, PictureBack | null>();
      const obsKeyframes = () => ingest.arrivalsSince(resumeAt).filter((arrival) => arrival.kind === "video" && arrival.keyframe && !arrival.sequenceHeader);
      for (const id of IDS) {
        const found = keyframe ? await waitFor(() => obsPictureBack(players.get(id)!.arrivals, obsKeyframes(), resumeAt), 10_000) : undefined;
        backAt.set(id, found ?? null);
      }
      await sleep(3_000);
      const end = now();
      const sessionsAfter = await sessionCounts(platform);
      const destinations = IDS.map((id): DropDestination => {
        const player = players.get(id)!;
        const back = backAt.get(id) ?? null;
        return {
          id,
          sessions: 1 + (sessionsAfter.get(stream(id)) ?? 0) - (sessionsBefore.get(stream(id)) ?? 0),
          silence: silences(player.arrivals, dropAt - 1_000, end),
          longestStopAtMs: longestGap(player.arrivals.filter((arrival) => !arrival.sequenceHeader && arrival.at >= dropAt - 1_000 && arrival.at <= end).map((arrival) => arrival.at)).at - dropAt,
          backward: backwardSteps(player.arrivals, dropAt - 1_000, end),
          pictureBackMs: back !== null && keyframe ? back.message.at - keyframe.at : null,
          pictureKeyframe: back?.keyframeIndex ?? null,
          states: statesOf(watch.events, id, dropAt, end),
        };
      });
      const bridgeLog = logLinesSince(bridge.output(), logFrom, /stand-in|ingest|holding|publisher|WARN|ERROR/i).slice(-20);
      logFrom = Date.now();
      const result: DropTrial = { kind: trial.kind, seconds: trial.seconds, firstKeyframeMs: keyframe ? keyframe.at - resumeAt : null, destinations, bridgeLog };
      results.push(result);
      options.log(
        `  ${describeTrial(result)}: ${destinations
          .map((view) => `${view.id} ${view.sessions} session(s), longest stop ${Math.round(view.silence.longestGapMs)} ms (from +${Math.round(view.longestStopAtMs)} ms), ${view.backward.count} steps back, picture back ${view.pictureBackMs === null ? "never" : `${Math.round(view.pictureBackMs)} ms after the keyframe (OBS keyframe #${view.pictureKeyframe! + 1})`} (${view.states.join(" → ")})`)
          .join("; ")}`,
      );
      for (const player of [...players.values(), ingest]) player.forget(dropAt - 5_000);
      await waitStates(bridge, [...IDS], "live", 30_000).catch(() => options.log("  (not every destination was live again after this drop)"));
      await sleep(2_000);
    }
    return { holdSeconds: 30, trials: results };
  });
}

/** "OBS gone 5 s" or "OBS frozen, a new encoder after 2 s". */
export function describeTrial(trial: Pick<DropTrial, "kind" | "seconds">): string {
  return trial.kind === "gone" ? `OBS gone ${trial.seconds} s` : `OBS frozen, a new encoder after ${trial.seconds} s`;
}

/** The states `id` went through in the status events between `from` and `to`, without repeats. */
export function statesOf(events: ReadonlyArray<{ at: number; status: { destinations: Array<{ id: string; state: string }> } }>, id: string, from: number, to: number): string[] {
  const states: string[] = [];
  for (const event of events) {
    if (event.at < from || event.at > to) continue;
    const state = event.status.destinations.find((view) => view.id === id)?.state;
    if (state !== undefined && states.at(-1) !== state) states.push(state);
  }
  return states;
}

/** The bridge's log lines (each starts with its ISO time) from `since` (epoch ms) on that match `pattern`. */
export function logLinesSince(log: string, since: number, pattern: RegExp): string[] {
  return log
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => {
      const at = Date.parse(line.slice(0, 24));
      return Number.isFinite(at) && at >= since && pattern.test(line);
    });
}

async function sessionCounts(platform: Platform): Promise<Map<string, number>> {
  const files = await platform.recordings();
  return new Map(IDS.map((id) => [stream(id), sessionFiles(files, stream(id))]));
}

async function waitFor<T>(find: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  const deadline = now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined || now() > deadline) return found;
    await sleep(5);
  }
}
