// One start of a standalone relay (a variant of the bridge's ffmpeg command line) reading the same
// ingest as the bridge and pushing to the same platform: spawn → platform receiving, and when its
// progress output first claimed media (what the bridge takes as `live`).

import { execa } from "execa";
import { createInterface } from "node:readline";
import { ProgressParser, showsMedia } from "../../bridge/ffmpeg/progress-parser.js";
import { setTimeout as sleep } from "node:timers/promises";
import { now } from "../../rig/clock.js";
import { waitGone } from "../process-sampler.js";
import { firstAtOrAfter } from "../stats.js";
import { isAudio, isKeyframe, isVideo, waitArrival } from "../rig.js";
import type { Player } from "../rtmp/player.js";
import type { RelayVariant } from "../relay-variants.js";

/** One start of one variant, times relative to the spawn (ms). */
export interface VariantSample {
  receiveMs: number | null;
  audioMs: number | null;
  keyframeWaitMs: number | null;
  overheadMs: number | null;
  /** The first video the platform got was a keyframe (null: none came). */
  firstKeyframe?: boolean | null;
  /** Spawn → the first progress block that shows media (the bridge's `live`). */
  reportedMs: number | null;
  /** Asked to stop (its way) → the process was gone. */
  goneMs: number | null;
}

export interface VariantTrialInput {
  variant: RelayVariant;
  inputUrl: string;
  platformUrl: string;
  streamName: string;
  player: Player;
  ingest: Player;
  timeoutMs: number;
}

export async function runVariantTrial(input: VariantTrialInput): Promise<VariantSample> {
  const args = input.variant.args(input.inputUrl, `${input.platformUrl}/${input.streamName}`);
  const at = now();
  // execa's cleanup ends the child if the benchmark itself is interrupted.
  const child = execa("ffmpeg", args, { stdin: "pipe", stdout: "pipe", stderr: "ignore", buffer: false, reject: false, cleanup: true });
  child.stdin.on("error", () => undefined);
  let reportedAt: number | null = null;
  const parser = new ProgressParser();
  createInterface({ input: child.stdout }).on("line", (line) => {
    const block = parser.push(line);
    if (block && reportedAt === null && showsMedia(block)) reportedAt = now();
  });
  try {
    const video = await waitArrival(input.player, at, isVideo, input.timeoutMs);
    const audio = video ? await waitArrival(input.player, at, isAudio, Math.max(0, video.at + 2_000 - now())) : null;
    const keyframeAt = firstAtOrAfter(input.ingest.arrivalsSince(at).filter(isKeyframe).map((arrival) => arrival.at), at);
    await sleep(300);
    const stopAt = now();
    if (input.variant.stop === "SIGINT") child.kill("SIGINT");
    else child.stdin.write("q");
    const goneAt = await waitGone(child.pid!, { timeoutMs: 5_000, intervalMs: 2 });
    return {
      receiveMs: video ? video.at - at : null,
      audioMs: audio ? audio.at - at : null,
      keyframeWaitMs: keyframeAt === undefined ? null : keyframeAt - at,
      overheadMs: video && keyframeAt !== undefined ? video.at - keyframeAt : null,
      firstKeyframe: video ? video.keyframe : null,
      reportedMs: reportedAt === null ? null : reportedAt - at,
      goneMs: goneAt === null ? null : goneAt - stopAt,
    };
  } finally {
    child.stdin.write("q");
    const timer = setTimeout(() => child.kill("SIGKILL"), 2_000);
    await child;
    clearTimeout(timer);
  }
}
