// The bridge with the real programs: an OBS stand-in → bridge (nginx + ffmpeg relays) → three
// local platforms (nginx-rtmp). Switching one destination never disturbs the others.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import psList from "ps-list";
import { setTimeout as sleep } from "node:timers/promises";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";
import { startPlatform, type Platform } from "../../rig/platform.js";
import { startObs, type Obs } from "../../rig/obs-stand-in.js";
import { watchEvents, type EventWatch } from "../../rig/events.js";
import { waitFor } from "../../rig/processes.js";
import type { DestinationView, StatusView } from "../../contract/api.js";

const KEYS = { a: "live_key_alpha_7f3a9c", b: "live_key_bravo_2e8d41", c: "live_key_charlie_9b0c55" };

describe("bridge core with real nginx and ffmpeg", () => {
  let platforms: Record<"a" | "b" | "c", Platform>;
  let bridge: RunningBridge;
  let obs: Obs | undefined;
  let events: EventWatch;
  const answers: string[] = [];

  const call = async (path: string, init?: RequestInit) => {
    const response = await bridge.api(path, init);
    const text = await response.text();
    answers.push(text);
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const state = async (id: string) => ((await call(`/api/destinations/${id}`)).body as DestinationView).state;
  const waitState = (id: string, wanted: string, timeoutMs = 15_000) =>
    waitFor(async () => (await state(id)) === wanted, { what: `${id} to be ${wanted}`, timeoutMs, intervalMs: 50 });
  const received = async (platform: Platform, key: string) => (await platform.streams()).find((stream) => stream.name === key);

  beforeAll(async () => {
    platforms = { a: await startPlatform(), b: await startPlatform(), c: await startPlatform() };
    bridge = await startBridge({
      // Without the stand-in: the relays end with OBS's stream (data-plane.test.ts covers holding).
      ingest: { holdSeconds: 0 },
      destinations: (["a", "b", "c"] as const).map((id) => ({ id, name: `Platform ${id}`, url: platforms[id].url, key: KEYS[id] })),
    });
    events = await watchEvents(bridge.url);
  });

  afterAll(async () => {
    events?.close();
    await obs?.stop();
    await bridge?.stop();
    await Promise.all(Object.values(platforms ?? {}).map((platform) => platform.stop()));
  });

  it("answers health and status, with destinations waiting for nothing while off", async () => {
    const health = await call("/api/health");
    expect(health.body).toMatchObject({ ok: true });
    const status = (await call("/api/status")).body as StatusView;
    expect(status.services.nginx.state).toBe("running");
    expect(status.ingest.live).toBe(false);
    expect(status.destinations.map((d) => [d.id, d.state, d.hasKey])).toEqual([
      ["a", "off", true],
      ["b", "off", true],
      ["c", "off", true],
    ]);
  });

  it("an enabled destination waits for OBS, then goes live by itself", async () => {
    expect((await call("/api/destinations/a/start", { method: "POST" })).body.state).toBe("waiting");
    obs = startObs({ url: `${bridge.ingestUrl}/obs` });
    await waitFor(async () => ((await call("/api/status")).body as StatusView).ingest.live, { what: "ingest live" });
    await waitState("a", "live");
    // The platform gets every stream of the ingest: video and audio.
    const stream = await waitFor(async () => {
      const found = await received(platforms.a, KEYS.a);
      return found?.video && found.audio ? found : undefined;
    }, { what: "platform a to receive video and audio" });
    expect(stream.video?.codec).toBe("H264");
    expect(stream.audio?.codec).toBe("AAC");
  });

  it("toggling one destination never interrupts the others", async () => {
    await call("/api/destinations/b/start", { method: "POST" });
    await waitState("b", "live");
    await waitFor(() => received(platforms.b, KEYS.b), { what: "platform b to receive" });

    // Watch a and b while c is switched on and off.
    const samples: Array<{ at: number; a?: number; b?: number; aTime?: number; bTime?: number }> = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const [a, b] = await Promise.all([received(platforms.a, KEYS.a), received(platforms.b, KEYS.b)]);
        samples.push({ at: Date.now(), a: a?.bytesIn, b: b?.bytesIn, aTime: a?.time, bTime: b?.time });
        await sleep(100);
      }
    })();

    for (let round = 0; round < 4; round += 1) {
      expect((await call("/api/destinations/c/toggle", { method: "POST" })).body.enabled).toBe(true);
      await waitState("c", "live");
      await waitFor(() => received(platforms.c, KEYS.c), { what: "platform c to receive" });
      expect((await call("/api/destinations/c/toggle", { method: "POST" })).body.enabled).toBe(false);
      await waitState("c", "off");
      await waitFor(async () => !(await received(platforms.c, KEYS.c)), { what: "platform c to see the relay end" });
    }
    watching = false;
    await watcher;

    // The neighbours' streams never ended (nginx's stream clock only grows) and kept receiving.
    for (const side of ["a", "b"] as const) {
      const bytes = samples.map((sample) => sample[side]);
      expect(bytes.every((value) => value !== undefined)).toBe(true);
      const times = samples.map((sample) => sample[side === "a" ? "aTime" : "bTime"]!);
      for (let i = 1; i < times.length; i += 1) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
      // Over every 1.5 s window, the platform received more bytes.
      for (let i = 0; i < samples.length; i += 1) {
        const later = samples.find((sample) => sample.at >= samples[i]!.at + 1500);
        if (later) expect(later[side]!).toBeGreaterThan(samples[i]![side]!);
      }
    }
    expect(await state("a")).toBe("live");
    expect(await state("b")).toBe("live");
  });

  it("OBS stopping sends enabled destinations to waiting; OBS coming back makes them live with no call", async () => {
    await obs!.stop();
    obs = undefined;
    await waitState("a", "waiting");
    await waitState("b", "waiting");
    expect(await state("c")).toBe("off");
    obs = startObs({ url: `${bridge.ingestUrl}/obs` });
    await waitState("a", "live", 20_000);
    await waitState("b", "live", 20_000);
    await waitFor(() => received(platforms.a, KEYS.a), { what: "platform a to receive again" });
  });

  it("keeps the wish in the config file and validates what it is sent", async () => {
    const bad = await call("/api/destinations", { method: "POST", body: JSON.stringify({ name: "X", url: "http://example.com/live" }) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_field");
    expect(bad.body.error.message).toMatch(/^url: must start with rtmp:\/\/ or rtmps:\/\//);
    const missing = await call("/api/destinations/nope/start", { method: "POST" });
    expect(missing.status).toBe(404);
    const created = await call("/api/destinations", { method: "POST", body: JSON.stringify({ name: "Spare Platform", url: platforms.c.url, key: "spare_key_0d9f" }) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: "spare-platform", hasKey: true, state: "off" });
    expect(JSON.stringify(created.body)).not.toContain("spare_key_0d9f");
    expect((await call("/api/destinations/spare-platform", { method: "DELETE" })).status).toBe(204);
  });

  it("never shows a stream key in an answer, an event or the log", async () => {
    const everything = [...answers, events.raw(), bridge.output()].join("\n");
    expect(events.statuses().length).toBeGreaterThan(5);
    for (const key of [...Object.values(KEYS), "spare_key_0d9f"]) expect(everything).not.toContain(key);
  });

  it("SIGTERM stops every relay and nginx and exits 0", async () => {
    const mine = async () =>
      (await psList()).filter((entry) => (entry.cmd ?? "").includes(bridge.dir) || (entry.cmd ?? "").includes(`:${bridge.ingestPort}/`));
    expect((await mine()).length).toBeGreaterThanOrEqual(3); // nginx master + worker + relays
    events.close();
    await obs!.stop();
    obs = undefined;
    const code = await bridge.stop({ keep: true });
    expect(code).toBe(0);
    expect(await mine()).toEqual([]);
  });
});
