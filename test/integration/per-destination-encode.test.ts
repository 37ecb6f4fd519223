// Each platform at its own quality, with the real programs: one destination copies OBS's stream, one
// re-encodes it smaller (320×180, 15 fps, 400 kbit/s), one cuts it vertical. Recording platforms
// (nginx-rtmp `record all`) show what each got, read with ffprobe: size, frame rate, a keyframe every
// 2 s from the first packet on, the bitrate under its cap, AAC audio; one session through an OBS drop.

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";
import { startPlatform, type Platform } from "../../rig/platform.js";
import { startObs, type Obs } from "../../rig/obs-stand-in.js";
import { probeRecording } from "../../rig/recording.js";
import { waitFor } from "../../rig/processes.js";
import { watchEvents } from "../../rig/events.js";
import { now as clock } from "../../rig/clock.js";
import type { DestinationView, StatusView } from "../../contract/api.js";

const KEYS = { copy: "enc_copy_key_1f2e", small: "enc_small_key_7a9b", vertical: "enc_vertical_key_3c4d" };

/** What ffprobe says of a recording's streams, and each video packet's time, size and keyframe flag. */
async function probeStreams(file: string) {
  const { stdout } = await execa("ffprobe", [
    "-v", "error",
    "-show_entries", "stream=codec_type,codec_name,width,height:packet=codec_type,dts_time,size,flags",
    "-of", "json",
    file,
  ]);
  const doc = JSON.parse(stdout) as {
    streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number }>;
    packets: Array<{ codec_type: string; dts_time: string; size: string; flags: string }>;
  };
  const video = doc.packets.filter((packet) => packet.codec_type === "video").map((packet) => ({ t: Number(packet.dts_time), bytes: Number(packet.size), key: packet.flags.includes("K") }));
  const keyframes = video.filter((packet) => packet.key).map((packet) => packet.t);
  const span = video.at(-1)!.t - video[0]!.t;
  // The bitrate over whole GOPs (from the first keyframe to the last), so the last part-GOP does not skew it.
  const whole = video.filter((packet) => packet.t >= keyframes[0]! && packet.t < keyframes.at(-1)!);
  const wholeSpan = keyframes.at(-1)! - keyframes[0]!;
  return {
    videoCodec: doc.streams.find((stream) => stream.codec_type === "video")?.codec_name,
    audioCodec: doc.streams.find((stream) => stream.codec_type === "audio")?.codec_name,
    fps: (video.length - 1) / span,
    keyframeGaps: keyframes.slice(1).map((t, i) => t - keyframes[i]!),
    videoKbps: wholeSpan > 0 ? whole.reduce((sum, packet) => sum + packet.bytes, 0) * 8 / 1000 / wholeSpan : 0,
  };
}

describe("per-destination encoding with real nginx and ffmpeg", () => {
  let copy: Platform;
  let small: Platform;
  let vertical: Platform;
  let bridge: RunningBridge;
  const encoders: Obs[] = [];

  const view = (id: string) => bridge.json<DestinationView>(`/api/destinations/${id}`);
  const waitState = (id: string, state: string, timeoutMs = 20_000) =>
    waitFor(async () => (await view(id)).state === state, { what: `${id} to be ${state}`, timeoutMs, intervalMs: 50 });
  const post = (path: string) => bridge.api(path, { method: "POST" });
  const ids = ["copy", "small", "vertical"] as const;
  const encoder = () => {
    const obs = startObs({ url: `${bridge.ingestUrl}/obs`, gopSeconds: 1, fps: 30, size: "640x360", videoKbps: 1200 });
    encoders.push(obs);
    return obs;
  };

  beforeAll(async () => {
    [copy, small, vertical] = await Promise.all([startPlatform({ record: true }), startPlatform({ record: true }), startPlatform({ record: true })]);
    bridge = await startBridge({
      ingest: { holdSeconds: 30 },
      destinations: [
        { id: "copy", name: "Copy", url: copy.url, key: KEYS.copy },
        {
          id: "small",
          name: "Small",
          url: small.url,
          key: KEYS.small,
          encode: { video: { bitrateKbps: 400, maxHeight: 180, fps: 15, encoder: "x264" }, audio: { bitrateKbps: 64 } },
        },
        { id: "vertical", name: "Vertical", url: vertical.url, key: KEYS.vertical, encode: { video: { bitrateKbps: 300, encoder: "auto" }, crop: "vertical" } },
      ],
    });
  });

  afterEach(async () => {
    for (const id of ids) await post(`/api/destinations/${id}/stop`);
    for (const obs of encoders.splice(0)) await obs.stop();
    for (const id of ids) await waitState(id, "off");
  });

  afterAll(async () => {
    for (const obs of encoders.splice(0)) await obs.stop();
    await bridge?.stop();
    await Promise.all([copy?.stop(), small?.stop(), vertical?.stop()]);
  });

  it("says which encoders this ffmpeg has and which work, without holding up the start", async () => {
    const status = await waitFor(
      async () => {
        const now = await bridge.json<StatusView>("/api/status");
        return now.services.ffmpeg?.encoders ? now : undefined;
      },
      { what: "the encoders to be tried", timeoutMs: 30_000 },
    );
    const encoders = status.services.ffmpeg!.encoders!;
    expect(encoders.map((encoder) => encoder.family).sort()).toEqual(["amf", "nvenc", "qsv", "vaapi", "videotoolbox", "x264"]);
    expect(encoders.find((encoder) => encoder.family === "x264")).toMatchObject({ codec: "libx264", works: true });
    for (const encoder of encoders.filter((one) => !one.works)) expect(encoder.error).toBeTruthy();
  });

  it("each platform gets its own quality: the copy as sent, a smaller one and a vertical cut, each from a keyframe, a keyframe every 2 s", async () => {
    encoder();
    await waitFor(async () => (await bridge.json<StatusView>("/api/status")).ingest.live, { what: "the ingest" });
    await sleep(1_500);
    for (const id of ids) await post(`/api/destinations/${id}/start`);
    for (const id of ids) await waitState(id, "live");

    const live = await view("small");
    expect(live.encodeLabel).toBe("180p15 · 400k");
    expect(live.encoder).toBe("libx264");
    expect(live.encode).toEqual({ video: { bitrateKbps: 400, maxHeight: 180, fps: 15, encoder: "x264" }, audio: { bitrateKbps: 64 }, crop: "none" });
    expect((await view("copy")).encodeLabel).toBeUndefined();
    expect((await view("vertical")).encodeLabel).toBe("9:16 · 360p · 300k");
    // The CPU share of each relay's ffmpeg, read every 2 s.
    await waitFor(async () => (await view("small")).cpuPercent !== undefined, { what: "the CPU share of the re-encoding relay", timeoutMs: 10_000 });
    await sleep(9_000);
    for (const id of ids) await post(`/api/destinations/${id}/stop`);
    for (const id of ids) await waitState(id, "off");

    const copied = await probeRecording((await copy.recordings()).at(-1)!);
    expect(copied.video).toEqual({ width: 640, height: 360 });

    for (const [platform, size] of [
      [small, { width: 320, height: 180 }],
      [vertical, { width: 202, height: 360 }],
    ] as const) {
      const file = (await platform.recordings()).at(-1)!;
      const got = await probeRecording(file);
      expect(got.video).toEqual(size);
      expect(got.startsWithKeyframe).toBe(true);
      expect(got.backwardSteps).toBe(0);
      const streams = await probeStreams(file);
      expect(streams.videoCodec).toBe("h264");
      expect(streams.audioCodec).toBe("aac");
      // The source's keyframes are 1 s apart: the output's are 2 s apart whatever the source does.
      expect(streams.keyframeGaps.length).toBeGreaterThanOrEqual(3);
      for (const gap of streams.keyframeGaps) expect(gap).toBeCloseTo(2, 1);
    }
    const smallStreams = await probeStreams((await small.recordings()).at(-1)!);
    expect(smallStreams.fps).toBeGreaterThan(14);
    expect(smallStreams.fps).toBeLessThan(16);
    // At its bitrate (x264 holds it within a few percent here; the bench measures it over 30 s).
    expect(smallStreams.videoKbps).toBeLessThan(400 * 1.25);
    expect(smallStreams.videoKbps).toBeGreaterThan(400 * 0.75);
  });

  it("a re-encoded platform keeps one session through an OBS drop, on the stand-in at its own size", async () => {
    const sessionsBefore = (await small.recordings()).length;
    let obs = encoder();
    await post("/api/destinations/small/start");
    await waitState("small", "live");
    await waitFor(() => bridge.output().includes("stand-in ready"), { what: "the stand-in encoded", timeoutMs: 20_000 });
    const restarts = (await view("small")).restarts;
    await sleep(2_000);
    await obs.stop();
    await waitState("small", "holding", 5_000);
    await sleep(3_000);
    obs = encoder();
    await waitState("small", "live", 10_000);
    // Three seconds of media after OBS came back (the recording's length), and at least two status
    // events since: the stat poll and the numbers have run, so a re-encoding relay the return restarts,
    // even late, shows in them (out of live, or its restarts moved), not only after the stop.
    const events = await watchEvents(bridge.url);
    const back = clock();
    try {
      await Promise.all([sleep(3_000), events.waitForCount(2, { after: back, what: "two status events after OBS came back", timeoutMs: 10_000 })]);
    } finally {
      events.close();
    }
    for (const event of events.events) expect(event.status.destinations.find((destination) => destination.id === "small")).toMatchObject({ state: "live", restarts });
    await post("/api/destinations/small/stop");
    await waitState("small", "off");
    const sessions = await small.recordings();
    expect(sessions.length - sessionsBefore).toBe(1);
    const got = await probeRecording(sessions.at(-1)!);
    expect(got.video).toEqual({ width: 320, height: 180 });
    expect(got.startsWithKeyframe).toBe(true);
    expect(got.backwardSteps).toBe(0);
    expect(got.longestVideoGapMs).toBeLessThan(500);
    expect(got.durationMs).toBeGreaterThan(8_000);
    expect((await view("small")).restarts).toBe(0);
  });

  it("an encode change from the API is validated, saved and applied; copy again with null", async () => {
    const refused = await bridge.api("/api/destinations/small", { method: "PATCH", body: JSON.stringify({ encode: { video: { bitrateKbps: 400, encoder: "gpu" } } }), headers: { "content-type": "application/json" } });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain("encode.video.encoder: must be one of auto, x264");
    const changed = await bridge.api("/api/destinations/vertical", { method: "PATCH", body: JSON.stringify({ encode: null }), headers: { "content-type": "application/json" } });
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as DestinationView).encode).toBeUndefined();
    const back = await bridge.api("/api/destinations/vertical", { method: "PATCH", body: JSON.stringify({ encode: { video: { bitrateKbps: 300 }, crop: "vertical" } }), headers: { "content-type": "application/json" } });
    expect(((await back.json()) as DestinationView).encodeLabel).toBe("9:16 · 300k");
  });

  it("never shows a stream key in an answer or the log", async () => {
    const everything = JSON.stringify(await bridge.json<StatusView>("/api/status")) + bridge.output();
    for (const key of Object.values(KEYS)) expect(everything).not.toContain(key);
  });
});
