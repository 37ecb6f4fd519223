// What a stranger can send to the ingest, with the real programs and a hostile RTMP client of the test
// rig's own (a plain socket): the message that kills nginx-rtmp's worker, a publish under another name
// while OBS is gone, and names made to forge log lines. Platforms are recording nginx-rtmps, so the
// tests see exactly what each one got.

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { execa } from "execa";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";
import { startPlatform, type Platform } from "../../rig/platform.js";
import { startObs, type Obs } from "../../rig/obs-stand-in.js";
import { probeRecording } from "../../rig/recording.js";
import { waitFor } from "../../rig/processes.js";
import { watchEvents } from "../../rig/events.js";
import { now as clock } from "../../rig/clock.js";
import { connectRtmp, deeplyNestedMetadata, fixtureTags, loopTags, type RtmpPublisher } from "../../rig/rtmp-publisher.js";
import type { DestinationView, StatusView } from "../../contract/api.js";

const KEY = "hostile_platform_key_3f9a";

/** The pids of the nginx workers of the bridge's nginx (its master is the one started in the bridge's folder). */
async function nginxWorkers(dir: string): Promise<number[]> {
  const { stdout } = await execa("ps", ["-eo", "pid=,ppid=,args="], { reject: false });
  const rows = stdout.split("\n").map((line) => line.trim().split(/\s+/)).map(([pid, ppid, ...args]) => ({ pid: Number(pid), ppid: Number(ppid), args: args.join(" ") }));
  const masters = rows.filter((row) => row.args.startsWith("nginx: master") && row.args.includes(dir)).map((row) => row.pid);
  return rows.filter((row) => masters.includes(row.ppid) && row.args.startsWith("nginx: worker")).map((row) => row.pid);
}

describe("a stranger at the ingest", () => {
  let platform: Platform;
  let bridge: RunningBridge;
  const encoders: Obs[] = [];
  const strangers: RtmpPublisher[] = [];

  const view = (id: string) => bridge.json<DestinationView>(`/api/destinations/${id}`);
  const status = () => bridge.json<StatusView>("/api/status");
  const waitState = (id: string, state: string, timeoutMs = 20_000) =>
    waitFor(async () => (await view(id)).state === state, { what: `${id} to be ${state}`, timeoutMs, intervalMs: 50 });

  beforeAll(async () => {
    platform = await startPlatform({ record: true });
    bridge = await startBridge({
      ingest: { holdSeconds: 30 },
      destinations: [{ id: "tv", name: "TV", url: platform.url, key: KEY }],
    });
  });

  afterEach(async () => {
    for (const stranger of strangers.splice(0)) stranger.close();
    await bridge.api("/api/destinations/tv/stop", { method: "POST" });
    for (const obs of encoders.splice(0)) await obs.stop();
    await waitState("tv", "off");
  });

  afterAll(async () => {
    for (const obs of encoders.splice(0)) await obs.stop();
    await bridge?.stop();
    await platform?.stop();
  });

  it("a connect and one deeply nested onMetaData kill nginx's worker: it is back at once, the platform keeps one session on the stand-in and gets OBS's picture back", async () => {
    const sessionsBefore = (await platform.recordings()).length;
    encoders.push(startObs({ url: `${bridge.ingestUrl}/obs`, gopSeconds: 1, reconnectDelayMs: 200 }));
    await bridge.api("/api/destinations/tv/start", { method: "POST" });
    await waitState("tv", "live");
    await waitFor(() => bridge.output().includes("stand-in ready"), { what: "the stand-in encoded", timeoutMs: 30_000 });
    const restarts = (await view("tv")).restarts;
    const [worker] = await nginxWorkers(bridge.dir);
    expect(worker).toBeDefined();

    // The hostile message: no publish, no stream key; a connect, then ~500 kB of onMetaData 70,000 levels deep.
    const stranger = await connectRtmp(bridge.ingestUrl);
    strangers.push(stranger);
    const message = deeplyNestedMetadata(70_000);
    expect(message.length).toBeGreaterThan(450_000);
    stranger.sendData(message);
    await stranger.ended;
    // nginx's master starts a new worker; the platform is held on the stand-in, then OBS (reconnecting) is back.
    await waitFor(async () => {
      const workers = await nginxWorkers(bridge.dir);
      return workers.length > 0 && !workers.includes(worker!);
    }, { what: "a new nginx worker", timeoutMs: 5_000 });
    // (When the stand-in of the stream's latest format is still being encoded, the platform waits for it: seconds on a busy machine.)
    await waitFor(() => bridge.output().includes("[relay:tv] live → holding"), { what: "the platform held on the stand-in", timeoutMs: 30_000 });
    await waitFor(() => bridge.output().includes("[relay:tv] holding → live"), { what: "OBS back on the platform", timeoutMs: 30_000 });
    await waitState("tv", "live", 5_000);
    const events = await watchEvents(bridge.url);
    const back = clock();
    try {
      await events.waitForCount(2, { after: back, what: "two status events after OBS came back", timeoutMs: 10_000 });
    } finally {
      events.close();
    }
    for (const event of events.events) {
      expect(event.status.destinations.find((destination) => destination.id === "tv")).toMatchObject({ state: "live", restarts });
    }
    expect((await status()).services.nginx.state).toBe("running");
    await bridge.api("/api/destinations/tv/stop", { method: "POST" });
    await waitState("tv", "off");
    const sessions = await platform.recordings();
    expect(sessions.length - sessionsBefore).toBe(1);
    const got = await probeRecording(sessions.at(-1)!);
    expect(got.backwardSteps).toBe(0);
    // OBS's own picture at the end (the stand-in is the same size: the encoder's frames are what the platform got last).
    expect(got.video).toEqual({ width: 640, height: 360 });
    expect((await view("tv")).restarts).toBe(restarts);
  });

  it("a stranger publishing under another name, during a hold and while OBS is off, never reaches the platform", async () => {
    const obs = startObs({ url: `${bridge.ingestUrl}/obs`, gopSeconds: 1 });
    encoders.push(obs);
    await bridge.api("/api/destinations/tv/start", { method: "POST" });
    await waitState("tv", "live");
    await waitFor(() => bridge.output().includes("stand-in ready"), { what: "the stand-in encoded", timeoutMs: 30_000 });
    await obs.stop();
    await waitState("tv", "holding", 5_000);

    // During the hold: a stranger's real stream under another name (no key is set).
    const stranger = await connectRtmp(bridge.ingestUrl);
    strangers.push(stranger);
    await stranger.publish("intruder");
    const media = loopTags(stranger, await fixtureTags());
    await waitFor(() => bridge.output().includes('ingest "intruder" is not the main stream'), { what: "the stranger's publish taken and said not to be the main stream" });
    await waitFor(() => media.sent > 20, { what: "the stranger's frames sent" });
    const events = await watchEvents(bridge.url);
    const since = clock();
    try {
      await events.waitForCount(2, { after: since, what: "two status events while the stranger publishes", timeoutMs: 10_000 });
    } finally {
      events.close();
    }
    for (const event of events.events) {
      expect(event.status.destinations.find((destination) => destination.id === "tv")?.state).toBe("holding");
      expect(event.status.ingest.name).not.toBe("intruder");
    }

    // OBS off and the platform switched off then on again: it waits for OBS, the stranger still publishing.
    await bridge.api("/api/destinations/tv/stop", { method: "POST" });
    await waitState("tv", "off");
    await bridge.api("/api/destinations/tv/start", { method: "POST" });
    const after = await watchEvents(bridge.url);
    const started = clock();
    try {
      await after.waitForCount(2, { after: started, what: "two status events with OBS off", timeoutMs: 10_000 });
    } finally {
      after.close();
    }
    for (const event of after.events) expect(event.status.destinations.find((destination) => destination.id === "tv")?.state).toBe("waiting");

    // OBS back under its name: the platform gets it.
    encoders.push(startObs({ url: `${bridge.ingestUrl}/obs`, gopSeconds: 1 }));
    await waitState("tv", "live", 15_000);
    media.stop();
  });

  it("a cut-short H.264 sequence header at the stream's start: the relay waits, then goes live on the whole one, never failing", async () => {
    const tags = await fixtureTags();
    await bridge.api("/api/destinations/tv/start", { method: "POST" });
    await waitState("tv", "waiting");
    const encoder = await connectRtmp(bridge.ingestUrl);
    strangers.push(encoder);
    await encoder.publish("obs");
    // 6 bytes: an AVC sequence header with one byte of its record; then real frames for a while.
    encoder.send(9, 0, Buffer.from([0x17, 0x00, 0x00, 0x00, 0x00, 0x01]));
    encoder.send(8, 0, tags.find((tag) => tag.kind === "audioHeader")!.data);
    const broken = loopTags(encoder, tags, { headers: false });
    await waitFor(() => bridge.output().includes("is cut short"), { what: "the bridge to see the cut-short header" });
    await waitFor(() => broken.sent > 40, { what: "two seconds of frames after the broken header", timeoutMs: 10_000 });
    broken.stop();
    // The whole header, then the same frames on, time going forward.
    const whole = loopTags(encoder, tags, { startMs: 5_000 });
    await waitState("tv", "live", 20_000);
    const events = await watchEvents(bridge.url);
    const since = clock();
    try {
      await events.waitForCount(2, { after: since, what: "two status events after it went live", timeoutMs: 10_000 });
    } finally {
      events.close();
    }
    for (const event of events.events) {
      expect(event.status.destinations.find((destination) => destination.id === "tv")).toMatchObject({ state: "live", restarts: 0, lastError: null });
    }
    whole.stop();
  });
});
