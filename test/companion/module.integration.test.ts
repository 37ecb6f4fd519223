// Relay's Companion module as Companion runs it (the built folder, a child process on Node's IPC
// channel, register + init) against the real bridge, a real platform nginx and an OBS stand-in.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StatusView } from "../../contract/api.js";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";
import { startObs, type Obs } from "../../rig/obs-stand-in.js";
import { startPlatform, type Platform } from "../../rig/platform.js";
import { freePort } from "../../rig/ports.js";
import { waitFor } from "../../rig/processes.js";
import { watchEvents, type EventWatch } from "../../rig/events.js";
import { now } from "../../rig/clock.js";
import { ensureModuleAndBridgeBuilt } from "./support/module-build.js";
import { startModule, type RunningModule } from "./support/module-host.js";

const TOKEN = "companion-module-token-Q4z";
const YOUTUBE_KEY = "yt-key-Vb82Lm";
const TWITCH_KEY = "tw-key-Hq51Xe";
/** How long after the bridge's event the module's feedbacks and variables may follow. */
const FOLLOW_MS = 500;

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

const stateOf = (status: StatusView, id: string) => status.destinations.find((destination) => destination.id === id)?.state;

describe("Companion module on the real bridge", () => {
  let platform: Platform;
  let bridge: RunningBridge;
  let obs: Obs;
  let watch: EventWatch;
  let relay: RunningModule;
  const others: RunningModule[] = [];

  beforeAll(async () => {
    await ensureModuleAndBridgeBuilt();
    platform = await startPlatform();
    bridge = await startBridge({
      token: TOKEN,
      destinations: [
        { id: "youtube-main", name: "YouTube", url: platform.url, key: YOUTUBE_KEY, platform: "youtube", transport: "direct" },
        { id: "twitch", name: "Twitch", url: platform.url, key: TWITCH_KEY, platform: "twitch", transport: "direct" },
      ],
    });
    obs = startObs({ url: `${bridge.ingestUrl}/obs` });
    await waitFor(async () => (await bridge.json("/api/status")).ingest.live, { what: "the ingest to go live" });
    watch = await watchEvents(bridge.url, TOKEN);
    // As a user adds the connection: the first init stores the defaults, then the user's settings arrive.
    relay = await startModule({ config: {}, isFirstInit: true });
    expect(relay.calls().find((call) => call.name === "saveConfig")?.payload.config).toEqual({ host: "127.0.0.1", port: 8787, token: "", https: false, language: "en" });
    await relay.updateConfig({ host: "127.0.0.1", port: bridge.port, token: TOKEN });
  });
  afterAll(async () => {
    for (const module of [relay, ...others]) await module?.stop();
    watch?.close();
    await obs?.stop();
    await bridge?.stop();
    await platform?.stop();
  });

  it("registers its actions, feedbacks, presets and variables for the bridge's destinations", async () => {
    await relay.waitFor(() => relay.status()?.status === "ok", "status ok");
    // Definitions go first, then the values: once the destinations' values are in, so is everything else.
    await relay.waitFor(() => relay.variables().youtube_main_state === "off", "the destinations' variables");

    expect([...relay.actions().keys()].sort()).toEqual(["all_start", "all_stop", "destination_start", "destination_stop", "destination_toggle", "obs_start", "obs_stop"]);
    const toggle = relay.actions().get("destination_toggle");
    expect(toggle.options[0]).toMatchObject({ id: "destination", type: "dropdown" });
    expect(toggle.options[0].choices.map((choice: { id: string }) => choice.id)).toEqual(["youtube-main", "twitch"]);

    const state = relay.feedbacks().get("destination_state");
    expect(state).toMatchObject({ type: "boolean" });
    const stateIds = state.options.find((option: { id: string }) => option.id === "state").choices.map((choice: { id: string }) => choice.id);
    expect(stateIds).toEqual(expect.arrayContaining(["off", "waiting", "starting", "live", "holding", "retrying", "failed", "stopping"]));
    expect(relay.feedbacks().get("destination_key")).toMatchObject({ type: "advanced" });

    const preset = relay.presets().get("destination_youtube_main");
    expect(preset).toMatchObject({
      type: "button",
      name: "YouTube",
      feedbacks: [{ feedbackId: "destination_key", options: { destination: "youtube-main" } }],
      steps: [{ down: [{ actionId: "destination_toggle", options: { destination: "youtube-main" } }], up: [] }],
    });
    expect(relay.presets().has("destination_twitch")).toBe(true);

    for (const name of ["ingest_live", "ingest_bitrate", "youtube_main_state", "youtube_main_bitrate", "youtube_main_uptime", "twitch_state"]) {
      expect(relay.variableDefinitions().has(name), name).toBe(true);
    }
    await relay.waitFor(() => relay.variables().ingest_live === true && Number(relay.variables().ingest_bitrate) > 0, "the ingest variables");
    expect(relay.variables()).toMatchObject({ youtube_main_state: "off", youtube_main_uptime: "", twitch_state: "off" });
  });

  it("switches a destination with an action; feedbacks and variables follow the bridge within 500 ms", async () => {
    await relay.updateFeedbacks({
      "fb-live": { id: "fb-live", feedbackId: "destination_state", options: { destination: "youtube-main", state: "live" } },
      "fb-key": { id: "fb-key", feedbackId: "destination_key", options: { destination: "youtube-main" }, image: { width: 72, height: 58 } },
    });
    await relay.waitFor(() => relay.feedbackValue("fb-live")?.value === false && Boolean(relay.feedbackValue("fb-key")?.value?.png64), "the first feedback values");
    const offKey = Buffer.from(relay.feedbackValue("fb-key")!.value.png64, "base64");
    expect(pngSize(offKey)).toEqual({ width: 58, height: 58 });

    const pressed = now();
    await relay.executeAction("destination_toggle", { destination: "youtube-main" });
    expect((await bridge.json("/api/destinations/youtube-main")).enabled).toBe(true);
    await waitFor(async () => (await platform.streams()).some((stream) => stream.name === YOUTUBE_KEY), { what: "the platform to receive YouTube's relay" });

    await relay.waitFor(() => relay.feedbackValue("fb-live")?.value === true && relay.variables().youtube_main_state === "live", "live in the feedback and variables");
    const live = watch.first((status) => stateOf(status, "youtube-main") === "live", pressed);
    expect(live, "the bridge's event saying live").toBeDefined();
    const feedbackAt = relay.feedbackValue("fb-live")!.at;
    const variableAt = relay.calls().find((call) => call.at >= pressed && call.name === "setVariableValues" && call.payload.newValues.some((value: { id: string; value: unknown }) => value.id === "youtube_main_state" && value.value === "live"))!.at;
    console.log(`bridge event → feedback ${(feedbackAt - live!.at).toFixed(1)} ms, → variable ${(variableAt - live!.at).toFixed(1)} ms`);
    expect(feedbackAt - live!.at).toBeLessThan(FOLLOW_MS);
    expect(variableAt - live!.at).toBeLessThan(FOLLOW_MS);

    // The key image follows too: the live key is another picture, still sized to the button.
    await relay.waitFor(() => {
      const value = relay.feedbackValue("fb-key")?.value;
      return Boolean(value?.png64) && !Buffer.from(value.png64, "base64").equals(offKey);
    }, "the live key image");
    expect(relay.feedbackValue("fb-key")!.at - live!.at).toBeLessThan(FOLLOW_MS);
    expect(pngSize(Buffer.from(relay.feedbackValue("fb-key")!.value.png64, "base64"))).toEqual({ width: 58, height: 58 });

    await relay.waitFor(() => /^\d+:\d\d$/.test(String(relay.variables().youtube_main_uptime)) && Number(relay.variables().youtube_main_bitrate) > 0, "uptime and bitrate");

    await relay.executeAction("destination_stop", { destination: "youtube-main" });
    await relay.waitFor(() => relay.feedbackValue("fb-live")?.value === false && relay.variables().youtube_main_state === "off", "off again");
    expect(relay.variables().youtube_main_uptime).toBe("");
    await waitFor(async () => !(await platform.streams()).some((stream) => stream.name === YOUTUBE_KEY), { what: "the relay to end" });
  });

  it("switches every destination on and off with all_start and all_stop", async () => {
    await relay.executeAction("all_start", {});
    const enabled = (await bridge.json("/api/destinations")).map((destination: { enabled: boolean }) => destination.enabled);
    expect(enabled).toEqual([true, true]);
    await waitFor(async () => {
      const names = (await platform.streams()).map((stream) => stream.name);
      return names.includes(YOUTUBE_KEY) && names.includes(TWITCH_KEY);
    }, { what: "both relays on the platform" });
    await relay.waitFor(() => relay.variables().youtube_main_state === "live" && relay.variables().twitch_state === "live", "both live in the variables");

    await relay.executeAction("all_stop", {});
    expect((await bridge.json("/api/destinations")).every((destination: { enabled: boolean }) => !destination.enabled)).toBe(true);
    await relay.waitFor(() => relay.variables().youtube_main_state === "off" && relay.variables().twitch_state === "off", "both off in the variables");
  });

  it("refuses an action on an unknown destination with the bridge's reason", async () => {
    await expect(relay.executeAction("destination_start", { destination: "nope" })).rejects.toThrow(/nope/);
  });

  it("offers OBS's start and stop: without OBS linked to the bridge they fail with the bridge's reason", async () => {
    expect(relay.variables()).toMatchObject({ obs_connected: false, obs_streaming: false });
    await expect(relay.executeAction("obs_start", {})).rejects.toThrow(/OBS is not set up in Relay/);
    expect(relay.feedbacks().get("obs_streaming")).toMatchObject({ type: "boolean" });
  });

  it("shows a destination added or renamed on the bridge in the dropdowns, presets and variables", async () => {
    const created = await bridge.api("/api/destinations", {
      method: "POST",
      body: JSON.stringify({ id: "kick-2", name: "Kick", url: platform.url, key: "kick-key-Zp3", transport: "direct" }),
    });
    expect(created.status).toBe(201);
    // Each definition travels in its own message: wait for the last of them, then look at them all.
    const choiceIds = (definition: any) => definition.options[0].choices.map((choice: { id: string }) => choice.id);
    const offered = (id: string, prefix: string) =>
      choiceIds(relay.actions().get("destination_start")).includes(id) &&
      choiceIds(relay.feedbacks().get("destination_state")).includes(id) &&
      relay.presets().has(`destination_${prefix}`) &&
      relay.variableDefinitions().has(`${prefix}_uptime`);
    await relay.waitFor(() => offered("kick-2", "kick_2") && relay.variables().kick_2_state === "off", "the new destination everywhere", 2000);
    expect(relay.presets().get("destination_kick_2")).toMatchObject({ name: "Kick" });
    expect(choiceIds(relay.actions().get("destination_toggle"))).toContain("kick-2");

    expect((await bridge.api("/api/destinations/kick-2", { method: "PATCH", body: JSON.stringify({ name: "Kick backup" }) })).status).toBe(200);
    await relay.waitFor(
      () => relay.presets().get("destination_kick_2")?.name === "Kick backup" && relay.variables().kick_2_name === "Kick backup",
      "the renamed preset and name variable",
      2000,
    );
    const label = relay.actions().get("destination_toggle").options[0].choices.find((choice: { id: string }) => choice.id === "kick-2").label;
    expect(label).toContain("Kick backup");

    expect((await bridge.api("/api/destinations/kick-2", { method: "DELETE" })).ok).toBe(true);
    await relay.waitFor(
      () => !choiceIds(relay.actions().get("destination_start")).includes("kick-2") && !relay.presets().has("destination_kick_2") && !relay.variableDefinitions().has("kick_2_state"),
      "the removed destination gone",
      2000,
    );
    expect(relay.variables().kick_2_state).toBeUndefined();
  });

  it("says bad config for a wrong token, without writing the token anywhere", async () => {
    const wrong = await startModule({ config: { host: "127.0.0.1", port: bridge.port, token: "not-the-token" } });
    others.push(wrong);
    await wrong.waitFor(() => wrong.status()?.status === "bad_config", "bad_config");
    expect(wrong.status()!.message).toMatch(/token/i);
    expect(wrong.logs()).not.toContain("not-the-token");
    expect(relay.logs()).not.toContain(TOKEN);
    expect(JSON.stringify(relay.calls())).not.toContain(YOUTUBE_KEY);
  });

  it("says bad config for settings it cannot use", async () => {
    const empty = await startModule({ config: { host: "", port: 8787, token: "" } });
    others.push(empty);
    await empty.waitFor(() => empty.status()?.status === "bad_config", "bad_config");
    expect(empty.status()!.message).toMatch(/host/i);
  });

  it("says connection failure while no bridge answers, and connects by itself once one does", async () => {
    const port = await freePort();
    const waiting = await startModule({ config: { host: "127.0.0.1", port, token: TOKEN } });
    others.push(waiting);
    await waiting.waitFor(() => waiting.status()?.status === "connection_failure", "connection_failure");
    expect(waiting.status()!.message).toContain(`127.0.0.1:${port}`);
    expect(waiting.presets().size).toBe(3); // all on / all off and OBS only, until the bridge is known

    const late = await startBridge({ port, token: TOKEN, destinations: [{ id: "late", name: "Late", url: platform.url, key: "late-key-Mx1" }] });
    let lateRunning = true;
    try {
      // The backoff is at most 5 s (± jitter) between tries.
      await waiting.waitFor(() => waiting.status()?.status === "ok" && waiting.presets().has("destination_late"), "ok after the bridge started", 8000);
      await late.stop();
      lateRunning = false;
      await waiting.waitFor(() => waiting.status()?.status === "connection_failure", "connection_failure after the bridge stopped", 8000);
    } finally {
      if (lateRunning) await late.stop();
    }
  });

  it("draws its key images in French when the connection's key image language is French", async () => {
    const french = await startModule({ config: { host: "127.0.0.1", port: bridge.port, token: TOKEN, language: "fr" } });
    others.push(french);
    await french.updateFeedbacks({ "fb-key": { id: "fb-key", feedbackId: "destination_key", options: { destination: "twitch" }, image: { width: 72, height: 72 } } });
    await french.waitFor(() => Boolean(french.feedbackValue("fb-key")?.value?.png64), "the French key image", 5000);
    const shown = Buffer.from(french.feedbackValue("fb-key")!.value.png64, "base64");
    // Twitch is off since all_stop: a still picture, the same as the bridge draws for ?lang=fr.
    const fromBridge = async (query: string) => Buffer.from(await (await bridge.api(`/api/destinations/twitch/key.png?size=72${query}`)).arrayBuffer());
    expect(shown.equals(await fromBridge("&lang=fr"))).toBe(true);
    expect(shown.equals(await fromBridge(""))).toBe(false);
  });

  it("follows a changed config (another bridge address) without a restart", async () => {
    const module = await startModule({ config: { host: "127.0.0.1", port: await freePort(), token: TOKEN } });
    others.push(module);
    await module.waitFor(() => module.status()?.status === "connection_failure", "connection_failure");
    await module.updateConfig({ host: "127.0.0.1", port: bridge.port, token: TOKEN });
    await module.waitFor(() => module.status()?.status === "ok" && module.variables().youtube_main_state !== undefined, "ok on the new address", 3000);
  });
});
