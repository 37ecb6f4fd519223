// The ingest with `ingest.key` set, with the real nginx and ffmpeg: a publish under any other name is
// refused by nginx (OBS on the LAN needs the key as its stream key), the right key goes live, and
// nginx's notifications only count when they carry this run's secret.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";
import { startPlatform, type Platform } from "../../rig/platform.js";
import { startObs, type Obs } from "../../rig/obs-stand-in.js";
import { watchEvents, type EventWatch } from "../../rig/events.js";
import { waitFor } from "../../rig/processes.js";
import type { StatusView } from "../../contract/api.js";
import { rawRequest } from "./raw-http.js";

const INGEST_KEY = "obs_ingest_K3y_5d0a7c";
const DEST_KEY = "live_dest_key_e61b29";
const CAM_KEY = "live_cam_key_77c3d0";

describe("ingest.key with real nginx and ffmpeg", () => {
  let platform: Platform;
  let bridge: RunningBridge;
  let events: EventWatch;
  const obs: Obs[] = [];
  const answers: string[] = [];

  beforeAll(async () => {
    platform = await startPlatform();
    bridge = await startBridge({
      ingest: { key: INGEST_KEY },
      destinations: [
        { id: "plat", name: "Platform", url: platform.url, key: DEST_KEY, enabled: true },
        { id: "cam2", name: "Camera 2", url: platform.url, key: CAM_KEY, enabled: true, source: "cam2" },
      ],
    });
    events = await watchEvents(bridge.url);
  });
  afterAll(async () => {
    events?.close();
    await Promise.all(obs.map((one) => one.stop()));
    await bridge?.stop();
    await platform?.stop();
  });

  const status = async () => {
    const text = await (await bridge.api("/api/status")).text();
    answers.push(text);
    return JSON.parse(text) as StatusView;
  };
  const publish = (url: string) => {
    const one = startObs({ url });
    obs.push(one);
    return one;
  };
  /** Resolves with ffmpeg's exit code once it gives up (a refused publish ends it). */
  const exitCode = async (one: Obs) => (await one.child).exitCode;
  const nginxConf = () => readFile(join(bridge.dir, "run", "nginx", "nginx.conf"), "utf8");

  it("refuses a publish under another stream name: ffmpeg fails, the ingest stays offline", async () => {
    // "cam2" is a destination's source: a source name alone must not open the ingest either.
    for (const name of ["wrong", "cam2", INGEST_KEY.toUpperCase(), `${INGEST_KEY}x`, INGEST_KEY.slice(0, -1)]) {
      const intruder = publish(`${bridge.ingestUrl}/${name}`);
      const code = await Promise.race([exitCode(intruder), new Promise<string>((resolve) => setTimeout(() => resolve("still running"), 15_000))]);
      expect(code, `publish as ${name}`).not.toBe(0);
      expect(code, `publish as ${name}`).not.toBe("still running");
      const now = await status();
      expect(now.ingest.live).toBe(false);
      expect(now.destinations[0]!.state).toBe("waiting");
    }
    expect(await platform.streams()).toEqual([]);
    expect(bridge.output()).toMatch(/refused a publish under a stream name that is not ingest\.key/);
  });

  it("refuses the key under another application, and says which application to use", async () => {
    const elsewhere = publish(bridge.ingestUrl.replace(/\/live$/, "/other") + `/${INGEST_KEY}`);
    expect(await exitCode(elsewhere)).not.toBe(0);
    expect((await status()).ingest.live).toBe(false);
    // It leaves a trace that says what to use, in the log and on the page.
    const hint = await waitFor(async () => (await status()).ingest.hint, { what: "the wrong application on the ingest view" });
    expect(hint).toMatch(/^OBS tried rtmp:\/\/THIS-COMPUTER:\d+\/other: use rtmp:\/\/THIS-COMPUTER:\d+\/live as OBS's server/);
    expect(bridge.output()).toContain("OBS tried rtmp://THIS-COMPUTER:");
  });

  it("ignores notifications without this run's secret", async () => {
    const conf = await nginxConf();
    const match = /on_publish http:\/\/127\.0\.0\.1:(\d+)\/nginx\/([0-9a-f]+)\/publish;/.exec(conf);
    expect(match, "nginx.conf names the notification listener").not.toBeNull();
    const [, port, secret] = match!;
    const form = `call=publish&app=live&name=${INGEST_KEY}&addr=127.0.0.1`;
    const headers = { "content-type": "application/x-www-form-urlencoded" };
    for (const path of [`/nginx/${"0".repeat(32)}/publish`, `/nginx/${secret!.slice(1)}/publish`, `/nginx/publish`, `/api/nginx/${secret}/publish`]) {
      expect((await rawRequest({ port: Number(port), method: "POST", path, headers, body: form })).status, path).toBe(403);
    }
    // An accepted publish is recorded before nginx is answered (and a later stat poll would drop a
    // publish nginx does not list): right after the refusals is when a wrong acceptance would show.
    expect((await status()).ingest.live).toBe(false);
    // The listener is not the API: the API's port does not take notices either.
    expect((await rawRequest({ port: bridge.port, method: "POST", path: `/nginx/${secret}/publish`, headers, body: form })).status).toBeGreaterThanOrEqual(400);
    expect((await status()).ingest.live).toBe(false);
  });

  it("takes the publish under the key: live, relayed, and the name shown is hidden", async () => {
    publish(`${bridge.ingestUrl}/${INGEST_KEY}`);
    const live = await waitFor(async () => {
      const now = await status();
      return now.ingest.live ? now : undefined;
    }, { what: "the ingest to go live", timeoutMs: 20_000 });
    expect(live.ingest.name).not.toContain(INGEST_KEY);
    await waitFor(async () => (await status()).destinations[0]!.state === "live", { what: "the relay to go live", timeoutMs: 20_000 });
    await waitFor(async () => (await platform.streams()).some((stream) => stream.name === DEST_KEY && stream.bytesIn > 0), { what: "the platform to receive" });
  });

  it("keeps nginx's stat page (it names the ingest key) from local users: only the bridge knows its path", async () => {
    // The bridge still reads it: the ingest's bitrate comes from there.
    await waitFor(async () => (await status()).ingest.bitrateKbps > 0, { what: "the ingest bitrate from the stat page", timeoutMs: 10_000 });
    const conf = await nginxConf();
    const statPort = Number(/http \{[\s\S]*listen 127\.0\.0\.1:(\d+);/.exec(conf)![1]);
    for (const path of ["/stat", "/stat/", "/stat/0123456789abcdef0123456789abcdef", "/", "/stat.xml"]) {
      const answer = await rawRequest({ port: statPort, path });
      expect(answer.status, path).toBe(404);
      expect(answer.body, path).not.toContain(INGEST_KEY);
    }
  });

  it("still refuses an intruder while the right stream is live, and the live one carries on", async () => {
    const before = (await platform.streams()).find((stream) => stream.name === DEST_KEY)!;
    const intruder = publish(`${bridge.ingestUrl}/intruder`);
    expect(await exitCode(intruder)).not.toBe(0);
    const now = await status();
    expect(now.ingest.live).toBe(true);
    expect(now.destinations[0]!.state).toBe("live");
    const after = await waitFor(async () => {
      const stream = (await platform.streams()).find((candidate) => candidate.name === DEST_KEY);
      return stream && stream.bytesIn > before.bytesIn ? stream : undefined;
    }, { what: "the platform to keep receiving" });
    expect(after.time).toBeGreaterThanOrEqual(before.time);
  });

  it("takes a source as KEY-SOURCE, relays it to its destination, and never shows the key in its name", async () => {
    publish(`${bridge.ingestUrl}/${INGEST_KEY}-cam2`);
    await waitFor(async () => (await bridge.json<{ state: string }>("/api/destinations/cam2")).state === "live", { what: "the source's relay to go live", timeoutMs: 20_000 });
    await waitFor(async () => (await platform.streams()).some((stream) => stream.name === CAM_KEY && stream.bytesIn > 0), { what: "the platform to receive the source" });
    const text = await (await bridge.api("/api/destinations/cam2")).text();
    answers.push(text);
    expect(JSON.parse(text).source).toBe("cam2");
    expect((await status()).destinations[0]!.state).toBe("live");
  });

  it("never showed the ingest key or the destination key in answers, events, log or nginx.conf", async () => {
    const everything = [...answers, events.raw(), bridge.output(), await nginxConf()].join("\n");
    expect(events.statuses().some((one) => one.ingest.live)).toBe(true);
    for (const secret of [INGEST_KEY, DEST_KEY, CAM_KEY]) expect(everything).not.toContain(secret);
  });
});
