// HEVC and AV1 from OBS (over Enhanced RTMP), and streams with audio or video alone, end to end with the
// real programs: Debian 13's ffmpeg 7.1 plays OBS, runs the relays (`binaries.ffmpeg`), and is the
// platform (an RTMP listener recording what it gets: one connection, so a recording that goes on through
// an OBS drop is one session); its ffprobe reads what the platform got. Needs the Debian 13 test root
// (`npm run relay -- --test` builds it, as root): skipped with a message without it, failed in CI.

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";
import { startListenPlatform, type ListenPlatform } from "../../rig/listen-platform.js";
import { startObs, type Obs, type ObsOptions } from "../../rig/obs-stand-in.js";
import { probeRecording } from "../../rig/recording.js";
import { waitFor } from "../../rig/processes.js";
import { requireDebian13, skipWithoutDebian13, type Debian13Programs } from "../../rig/debian13.js";
import type { DestinationView, StatusView } from "../../contract/api.js";

describe.skipIf(skipWithoutDebian13())("HEVC, AV1, audio-only and video-only streams with ffmpeg 7.1", () => {
  let programs: Debian13Programs;
  let bridge: RunningBridge;
  let platform: ListenPlatform | undefined;
  let obs: Obs | undefined;

  const view = (id: string) => bridge.json<DestinationView>(`/api/destinations/${id}`);
  const status = () => bridge.json<StatusView>("/api/status");
  const waitState = (id: string, state: string, timeoutMs = 30_000) =>
    waitFor(async () => (await view(id)).state === state, { what: `${id} to be ${state}`, timeoutMs, intervalMs: 50 });
  const send = (path: string, method: string, body?: unknown) =>
    bridge.api(path, { method, ...(body ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } } : {}) });
  const publish = (options: Partial<ObsOptions>) => {
    obs = startObs({ url: `${bridge.ingestUrl}/obs`, ffmpeg: programs.ffmpeg, size: "320x180", fps: 25, gopSeconds: 1, videoKbps: 400, ...options });
    return obs;
  };
  /** A fresh platform and a destination `p` pushing to it (on or off). */
  const destination = async (enabled: boolean, extra: Record<string, unknown> = {}) => {
    platform = await startListenPlatform({ ffmpeg: programs.ffmpeg });
    const created = await send("/api/destinations", "POST", { id: "p", name: "Platform", url: platform.url, key: platform.key, enabled, ...extra });
    expect(created.status).toBe(201);
    return platform;
  };
  /** Ends the destination's session (the listener then closes its file) and reads what the platform got. */
  const received = async () => {
    await send("/api/destinations/p/stop", "POST");
    await waitState("p", "off");
    await waitFor(() => !platform!.program.running, { what: "the platform's recording to end with its session", timeoutMs: 15_000 });
    return probeRecording(platform!.file, programs.ffprobe);
  };
  /** ffmpeg 7.1 decodes the whole recording: the errors it prints (none when every frame decodes). */
  const decodeErrors = async (file: string) => {
    const result = await execa(programs.ffmpeg, ["-hide_banner", "-v", "error", "-i", file, "-f", "null", "-"], { reject: false });
    return `${result.stderr}`.trim();
  };

  beforeAll(async () => {
    programs = requireDebian13();
    bridge = await startBridge({ ingest: { holdSeconds: 30 }, extra: { binaries: { ffmpeg: programs.ffmpeg } } });
  });

  afterEach(async (context) => {
    if (context.task.result?.state === "fail") {
      process.stderr.write(`bridge:\n${bridge.output().slice(-4_000)}\nOBS: ${obs?.output()}\nplatform: ${platform?.program.output()}\n`);
    }
    await obs?.stop();
    obs = undefined;
    await send("/api/destinations/p", "DELETE");
    await platform?.stop();
    platform = undefined;
    await waitFor(async () => !(await status()).ingest.live, { what: "the ingest to end" });
  });

  afterAll(async () => {
    await obs?.stop();
    await bridge?.stop();
    await platform?.stop();
  });

  it("HEVC reaches a platform that takes it as it is; the ingest names it with its size; one session through an OBS drop, the stand-in in HEVC", async () => {
    await destination(true);
    publish({ video: "hevc" });
    await waitState("p", "live");
    const ingest = (await status()).ingest;
    expect(ingest.video).toMatchObject({ codec: "hevc", width: 320, height: 180 });
    expect(ingest.streams?.[0]?.video?.codec).toBe("hevc");
    await waitFor(async () => (await status()).ingest.keyframeInterval, { what: "the keyframe interval measured" });
    expect((await status()).ingest.keyframeInterval).toBeCloseTo(1, 0);
    await waitFor(() => bridge.output().includes("stand-in ready for hevc 320x180"), { what: "the stand-in encoded in HEVC", timeoutMs: 60_000 });
    await sleep(1_500);
    await obs!.stop();
    await waitState("p", "holding", 10_000);
    await sleep(2_000);
    publish({ video: "hevc" });
    await waitState("p", "live");
    await sleep(2_000);
    // Still the platform's first and only connection.
    expect(platform!.program.running).toBe(true);
    expect((await view("p")).restarts).toBe(0);
    const got = await received();
    expect(got.codecs).toEqual({ video: "hevc", audio: "aac" });
    expect(got.video).toEqual({ width: 320, height: 180 });
    expect(got.startsWithKeyframe).toBe(true);
    expect(got.backwardSteps).toBe(0);
    expect(got.durationMs).toBeGreaterThan(5_000);
    // Before, during (the stand-in) and after the drop: every frame decodes as HEVC.
    expect(await decodeErrors(platform!.file)).toBe("");
  });

  it("AV1: a destination switched on mid-stream starts from the keyframe cache, in AV1", async () => {
    await destination(false);
    publish({ video: "av1", gopSeconds: 4 });
    await waitFor(async () => (await status()).ingest.video?.codec === "av1", { what: "the ingest to name AV1", timeoutMs: 30_000 });
    expect((await status()).ingest.video).toMatchObject({ width: 320, height: 180 });
    await sleep(2_000);
    await send("/api/destinations/p/start", "POST");
    await waitState("p", "live");
    await sleep(1_500);
    const got = await received();
    expect(got.codecs).toEqual({ video: "av1", audio: "aac" });
    expect(got.video).toEqual({ width: 320, height: 180 });
    expect(got.startsWithKeyframe).toBe(true);
    expect(await decodeErrors(platform!.file)).toBe("");
  });

  it("HEVC to a destination that re-encodes: the platform gets H.264", async () => {
    await destination(true, { encode: { video: { bitrateKbps: 300 } } });
    publish({ video: "hevc" });
    await waitState("p", "live");
    await sleep(2_000);
    const got = await received();
    expect(got.codecs).toEqual({ video: "h264", audio: "aac" });
    expect(got.startsWithKeyframe).toBe(true);
  });

  it("audio alone (a radio show) is relayed", async () => {
    await destination(true);
    publish({ video: "none" });
    await waitState("p", "live");
    const ingest = (await status()).ingest;
    expect(ingest.live).toBe(true);
    expect(ingest.video).toBeUndefined();
    await sleep(2_000);
    const got = await received();
    expect(got.codecs).toEqual({ audio: "aac" });
    expect(got.packets.filter((packet) => packet.kind === "audio").length).toBeGreaterThan(40);
  });

  it("video alone is relayed", async () => {
    await destination(true);
    publish({ video: "hevc", audio: false });
    await waitState("p", "live");
    await sleep(2_000);
    const got = await received();
    expect(got.codecs).toEqual({ video: "hevc" });
    expect(got.startsWithKeyframe).toBe(true);
  });
});
