// One destination at its own quality beside two copies: OBS sends 1080p30 at 6 Mbit/s, the re-encoded
// destination gets 720p30 at 3 Mbit/s from libx264. Measured at the platform (an RTMP player per
// stream): press → receiving for the re-encode, the copies' extra stall while it starts and stops
// (their longest gap minus the ingest's own in the same window), then 30 s steady (its CPU share from
// /proc and as the bridge reports it, its speed, the output's keyframe interval and bitrate), then OBS
// gone 5 s (sessions at the platform, longest stop).

import { setTimeout as sleep } from "node:timers/promises";
import type { Resources } from "../resources.js";
import { now } from "../../rig/clock.js";
import { silences } from "../delivery.js";
import { sessionFiles } from "../media-checks.js";
import { cpuPercent, readProcStat } from "../procfs.js";
import { summarize } from "../stats.js";
import { isVideo, launchBridge, launchPlatform, launchPlayer, launchPublisher, press, relayPid, waitArrival, waitStates, type Player } from "../rig.js";
import type { DestinationView } from "../../contract/api.js";
import type { Arrival } from "../rtmp/player.js";

export interface EncodeOptions {
  bridgeEntry: string;
  /** The 1080p30 6 Mbit/s clip. */
  clip: string;
  presses: number;
  steadyMs: number;
  dropSeconds: number;
  log: (line: string) => void;
}

export interface EncodePress {
  /** Press → first video frame of the re-encode at the platform, ms (null: never within 10 s). */
  receiveMs: number | null;
  /** Whether that first frame was a keyframe. */
  firstIsKeyframe: boolean;
  /** Each copy's longest video gap minus the ingest's own, in the 3 s after the start press, ms. */
  neighbourStartExtraMs: number;
  /** The same after the stop press. */
  neighbourStopExtraMs: number;
}

export interface EncodeRun {
  input: string;
  output: { height: number; fps: number; videoKbps: number; encoder: string };
  presses: EncodePress[];
  steady: {
    windowMs: number;
    /** Its ffmpeg's share of one core over the window, from /proc. */
    cpuPercent: number | null;
    /** The share the bridge reported (its own measure), mean of its samples. */
    reportedCpuPercent: number | null;
    /** Media time per real second as the bridge reported it, min and mean. */
    speedMin: number | null;
    speedMean: number | null;
    /** Output video bitrate over the window, from the received bytes and the stream's timestamps. */
    videoKbps: number;
    /** Output keyframe intervals (stream time), s. */
    keyframeIntervals: number[];
    fps: number;
  };
  drop: { seconds: number; sessions: number; longestStopMs: number; copyLongestStopMs: number } | null;
}

const ENCODED = "enc";
const COPIES = ["copy1", "copy2"] as const;
const stream = (id: string) => `bench_${id}`;
const OUTPUT = { height: 720, fps: 30, videoKbps: 3000, encoder: "x264" } as const;

export async function measureEncode(resources: Resources, options: EncodeOptions): Promise<EncodeRun> {
  return resources.scoped(async () => {
    const platform = await launchPlatform(resources, { record: true });
    const bridge = await launchBridge(resources, options.bridgeEntry, [
      {
        id: ENCODED,
        name: ENCODED,
        url: platform.url,
        key: stream(ENCODED),
        enabled: false,
        encode: { video: { bitrateKbps: OUTPUT.videoKbps, maxHeight: OUTPUT.height, fps: OUTPUT.fps, encoder: OUTPUT.encoder } },
      },
      ...COPIES.map((id) => ({ id, name: id, url: platform.url, key: stream(id), enabled: true })),
    ]);
    const players = new Map<string, Player>();
    for (const id of [ENCODED, ...COPIES]) players.set(id, await launchPlayer(resources, platform.url, stream(id)));
    const ingest = await launchPlayer(resources, bridge.ingestUrl, "obs");
    let publisher = launchPublisher(resources, { clip: options.clip, url: `${bridge.ingestUrl}/obs` });
    await waitStates(bridge, [...COPIES], "live", 30_000);
    await sleep(3_000);
    const view = () => bridge.json<DestinationView>(`/api/destinations/${ENCODED}`);

    // Presses: the copies' extra stall is their longest video gap minus the ingest's own.
    const extra = (from: number, to: number) => {
      const ingestGap = silences(ingest.arrivals, from, to).longestVideoGapMs;
      return Math.max(...COPIES.map((id) => silences(players.get(id)!.arrivals, from, to).longestVideoGapMs)) - ingestGap;
    };
    const presses: EncodePress[] = [];
    for (let i = 0; i < options.presses; i += 1) {
      const on = await press(bridge, ENCODED, "start");
      const first = await waitArrival(players.get(ENCODED)!, on.at, isVideo, 10_000);
      await sleep(Math.max(0, on.at + 4_000 - now()));
      const off = await press(bridge, ENCODED, "stop");
      await waitStates(bridge, [ENCODED], "off", 10_000);
      await sleep(Math.max(0, off.at + 3_000 - now()));
      const sample: EncodePress = {
        receiveMs: first ? first.at - on.at : null,
        firstIsKeyframe: first?.keyframe ?? false,
        neighbourStartExtraMs: extra(on.at, on.at + 3_000),
        neighbourStopExtraMs: extra(off.at, off.at + 3_000),
      };
      presses.push(sample);
      options.log(`  press ${i + 1}: receiving after ${sample.receiveMs === null ? "never" : `${Math.round(sample.receiveMs)} ms`}${sample.firstIsKeyframe ? " (a keyframe)" : ""}; copies' extra stall ${Math.round(sample.neighbourStartExtraMs)} ms at start, ${Math.round(sample.neighbourStopExtraMs)} ms at stop`);
      for (const player of [...players.values(), ingest]) player.forget(now() - 10_000);
    }

    // Steady: 30 s on, after 3 s to settle.
    await press(bridge, ENCODED, "start");
    await waitStates(bridge, [ENCODED], "live", 15_000);
    await sleep(3_000);
    const pid = await relayPid(bridge, stream(ENCODED));
    const from = now();
    const statBefore = pid !== undefined ? await readProcStat(pid) : null;
    const reported: { cpu: number[]; speed: number[] } = { cpu: [], speed: [] };
    while (now() < from + options.steadyMs) {
      await sleep(2_000);
      const current = await view();
      if (current.cpuPercent !== undefined) reported.cpu.push(current.cpuPercent);
      if (current.speed !== undefined) reported.speed.push(current.speed);
    }
    const to = now();
    const statAfter = pid !== undefined ? await readProcStat(pid) : null;
    const steadyArrivals = players.get(ENCODED)!.arrivals.filter((arrival) => arrival.at >= from && arrival.at <= to && isVideo(arrival));
    const steady = { windowMs: to - from, ...measureOutput(steadyArrivals) };
    const mean = (values: number[]) => (values.length > 0 ? values.reduce((sum, value) => sum + value, 0) / values.length : null);
    const cpu = statBefore && statAfter ? cpuPercent(statBefore, statAfter, to - from) : null;
    const steadyResult: EncodeRun["steady"] = {
      ...steady,
      cpuPercent: cpu,
      reportedCpuPercent: mean(reported.cpu),
      speedMin: reported.speed.length > 0 ? Math.min(...reported.speed) : null,
      speedMean: mean(reported.speed),
    };
    options.log(
      `  steady ${Math.round(steady.windowMs / 1000)} s: ffmpeg ${cpu === null ? "?" : cpu.toFixed(1)} % of a core (the bridge says ${steadyResult.reportedCpuPercent?.toFixed(1) ?? "?"} %), speed ${steadyResult.speedMin ?? "?"}–${steadyResult.speedMean?.toFixed(2) ?? "?"}, ` +
        `${Math.round(steady.videoKbps)} kbit/s video, ${steady.fps.toFixed(1)} fps, keyframes every ${steady.keyframeIntervals.map((interval) => interval.toFixed(2)).join("/")} s`,
    );

    // OBS gone for a while: the re-encoded platform keeps its session on the stand-in.
    let drop: EncodeRun["drop"] = null;
    if (options.dropSeconds > 0) {
      const before = sessionFiles(await platform.recordings(), stream(ENCODED));
      const dropAt = now();
      await publisher.stop();
      await sleep(options.dropSeconds * 1000);
      publisher = launchPublisher(resources, { clip: options.clip, url: `${bridge.ingestUrl}/obs` });
      await waitStates(bridge, [ENCODED], "live", 20_000).catch(() => undefined);
      await sleep(4_000);
      const end = now();
      drop = {
        seconds: options.dropSeconds,
        sessions: 1 + sessionFiles(await platform.recordings(), stream(ENCODED)) - before,
        longestStopMs: silences(players.get(ENCODED)!.arrivals, dropAt - 1_000, end).longestGapMs,
        copyLongestStopMs: silences(players.get(COPIES[0])!.arrivals, dropAt - 1_000, end).longestGapMs,
      };
      options.log(`  OBS gone ${options.dropSeconds} s: ${drop.sessions} session(s), longest stop ${Math.round(drop.longestStopMs)} ms (a copy beside it: ${Math.round(drop.copyLongestStopMs)} ms)`);
    }
    await publisher.stop();
    return { input: "1920x1080 30 fps, 6 Mbit/s", output: { ...OUTPUT }, presses, steady: steadyResult, drop };
  });
}

/** Bitrate, frame rate and keyframe intervals of received video, from the stream's own timestamps. */
export function measureOutput(video: readonly Arrival[]): { videoKbps: number; fps: number; keyframeIntervals: number[] } {
  if (video.length < 2) return { videoKbps: 0, fps: 0, keyframeIntervals: [] };
  const keyframes = video.filter((arrival) => arrival.keyframe).map((arrival) => arrival.timestamp);
  // Whole GOPs only (from the first keyframe to the last), so a part-GOP at either end does not skew the bitrate.
  const first = keyframes[0];
  const last = keyframes.at(-1);
  const whole = first !== undefined && last !== undefined && last > first ? video.filter((arrival) => arrival.timestamp >= first && arrival.timestamp < last) : video;
  const span = first !== undefined && last !== undefined && last > first ? last - first : video.at(-1)!.timestamp - video[0]!.timestamp;
  const bytes = whole.reduce((sum, arrival) => sum + arrival.bytes, 0);
  return {
    videoKbps: span > 0 ? (bytes * 8) / span : 0,
    fps: span > 0 ? (whole.length * 1000) / span : 0,
    keyframeIntervals: keyframes.slice(1).map((at, index) => (at - keyframes[index]!) / 1000),
  };
}

/** Press → receiving over every press. */
export function encodeReceive(run: EncodeRun) {
  return summarize(run.presses.flatMap((sample) => (sample.receiveMs === null ? [] : [sample.receiveMs])));
}
