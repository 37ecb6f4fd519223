// Faults survived, with the real programs: a relay killed or stalled, nginx killed, the bridge
// killed with -9 and started again, a platform that refuses the key or is unreachable for a while.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import psList from "ps-list";
import { setTimeout as sleep } from "node:timers/promises";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";
import { startPlatform, type Platform } from "../../rig/platform.js";
import { startObs, type Obs } from "../../rig/obs-stand-in.js";
import { watchEvents } from "../../rig/events.js";
import { now as clock } from "../../rig/clock.js";
import { isAlive, waitFor } from "../../rig/processes.js";
import { freePort } from "../../rig/ports.js";
import { execa } from "execa";
import { parseProcessGroups } from "../../bridge/process/pid-registry.js";
import type { DestinationView, StatusView } from "../../contract/api.js";

const KEYS = { one: "fault_one_key_a81f", two: "fault_two_key_c03e", bad: "not_a_valid_key_d4", far: "far_key_e5b1" };
const RELAYS = { retryInitialMs: 400, retryMaxMs: 2000, maxFailures: 4, stallTimeoutMs: 2000 };

/** An OBS stand-in that reconnects whenever its connection drops, as OBS's auto-reconnect does. */
function reconnectingObs(url: string): { stop(): Promise<void> } {
  let current: Obs | undefined;
  let running = true;
  const loop = (async () => {
    while (running) {
      current = startObs({ url });
      await current.child;
      if (running) await sleep(200);
    }
  })();
  return {
    async stop() {
      running = false;
      await current?.stop();
      await loop;
    },
  };
}

const relayPids = async (platform: Platform) =>
  (await psList()).filter((entry) => entry.name.includes("ffmpeg") && (entry.cmd ?? "").includes(`127.0.0.1:${platform.port}/`)).map((entry) => entry.pid);

describe("faults survived", () => {
  let platform: Platform;
  let refusing: Platform;
  let bridge: RunningBridge;
  let obs: { stop(): Promise<void> };
  const farPort = freePort();

  const view = (id: string) => bridge.json<DestinationView>(`/api/destinations/${id}`);
  const waitState = (id: string, states: string[], timeoutMs = 20_000) =>
    waitFor(async () => states.includes((await view(id)).state), { what: `${id} to be ${states.join("/")}`, timeoutMs, intervalMs: 50 });

  beforeAll(async () => {
    platform = await startPlatform();
    refusing = await startPlatform({ acceptKeys: ["only-this-key"] });
    bridge = await startBridge({
      extra: { relays: RELAYS },
      destinations: [
        { id: "one", name: "One", url: platform.url, key: KEYS.one, enabled: true },
        { id: "two", name: "Two", url: platform.url, key: KEYS.two, enabled: true },
        { id: "refuser", name: "Refuses", url: refusing.url, key: KEYS.bad },
        { id: "far", name: "Far away", url: `rtmp://127.0.0.1:${await farPort}/app`, key: KEYS.far },
      ],
    });
    obs = reconnectingObs(`${bridge.ingestUrl}/obs`);
    try {
      await waitState("one", ["live"]);
      await waitState("two", ["live"]);
    } catch (error) {
      // What the bridge saw, to tell a slow machine from a stuck relay.
      console.error(`the bridge's last lines:\n${bridge.output().split("\n").slice(-60).join("\n")}`);
      throw error;
    }
  });

  afterAll(async () => {
    await obs?.stop();
    await bridge?.stop();
    await Promise.all([platform?.stop(), refusing?.stop()]);
  });

  it("a relay killed with -9 is live again after its backoff, without touching its neighbour", async () => {
    await waitFor(async () => (await relayPids(platform)).length === 2, { what: "two relays" });
    const neighbourBefore = (await platform.streams()).find((stream) => stream.name === KEYS.two)!;
    const [victim] = (await psList()).filter((entry) => (entry.cmd ?? "").includes(KEYS.one) || false).map((entry) => entry.pid);
    // The key is only in ffmpeg's arguments; find the relay of "one" by elimination if ps hides them.
    const pid = victim ?? (await relayPids(platform))[0]!;
    const killedAt = Date.now();
    process.kill(pid, "SIGKILL");
    await waitState("one", ["retrying", "starting"], 5_000);
    await waitState("one", ["live"], 15_000);
    const recovery = Date.now() - killedAt;
    console.log(`relay killed → live again in ${recovery} ms (backoff ${RELAYS.retryInitialMs} ms ± 20 %)`);
    expect((await view("one")).restarts).toBeGreaterThanOrEqual(1);
    const neighbourAfter = (await platform.streams()).find((stream) => stream.name === KEYS.two)!;
    expect(neighbourAfter.time).toBeGreaterThan(neighbourBefore.time);
    expect((await view("two")).state).toBe("live");
  });

  it("a relay that stops making progress is restarted", async () => {
    const before = await relayPids(platform);
    const target = before[0]!;
    process.kill(target, "SIGSTOP");
    try {
      await waitFor(async () => !isAlive(target), { what: "the stalled relay to be ended", timeoutMs: 15_000 });
    } finally {
      if (isAlive(target)) process.kill(target, "SIGCONT");
    }
    await waitFor(async () => {
      const states = await Promise.all(["one", "two"].map(async (id) => (await view(id)).state));
      return states.every((state) => state === "live");
    }, { what: "both live again", timeoutMs: 20_000 });
    const lastErrors = await Promise.all(["one", "two"].map(async (id) => (await view(id)).restarts));
    expect(lastErrors.some((restarts) => restarts >= 1)).toBe(true);
    expect(bridge.output()).toMatch(/no media reached the platform for 2 s/);
  });

  it("nginx killed → restarted, and every enabled destination is live again", async () => {
    const status = await bridge.json<StatusView>("/api/status");
    expect(status.services.nginx.state).toBe("running");
    const nginx = (await psList()).find((entry) => entry.name === "nginx" && (entry.cmd ?? "").includes("master") && (entry.cmd ?? "").includes(bridge.dir))
      ?? (await psList()).find((entry) => entry.name === "nginx" && (entry.cmd ?? "").includes(bridge.dir));
    expect(nginx).toBeDefined();
    const killedAt = Date.now();
    process.kill(nginx!.pid, "SIGKILL");
    await waitFor(async () => (await bridge.json<StatusView>("/api/status")).services.nginx.state !== "running" || Date.now() - killedAt > 1000, { timeoutMs: 5_000 });
    await waitFor(async () => {
      const now = await bridge.json<StatusView>("/api/status");
      return now.services.nginx.state === "running" && now.destinations.filter((d) => d.enabled).every((d) => d.state === "live");
    }, { what: "nginx back and every enabled destination live", timeoutMs: 20_000 });
    const recovery = Date.now() - killedAt;
    console.log(`nginx killed → every enabled destination live again in ${recovery} ms (OBS stand-in reconnects after 200 ms)`);
    // A new nginx, and nothing of the old one (its workers die with its process group).
    const now = (await psList()).filter((entry) => entry.name === "nginx" && (entry.cmd ?? "").includes(bridge.dir));
    expect(now.map((entry) => entry.pid)).not.toContain(nginx!.pid);
    // The old master's group is killed a moment after its exit is seen (its output may trail it).
    await waitFor(async () => {
      const { stdout } = await execa("ps", ["-A", "-o", "pid=,pgid=,comm="]);
      return parseProcessGroups(stdout).filter((entry) => entry.pgid === nginx!.pid).length === 0;
    }, { what: "nothing left of the killed nginx's process group", timeoutMs: 3_000 });
  });

  it("a platform that refuses the key: growing backoff, then failed with the platform's message", async () => {
    const events = await watchEvents(bridge.url);
    await bridge.api("/api/destinations/refuser/start", { method: "POST" });
    await waitState("refuser", ["failed"], 30_000);
    events.close();
    const failed = await view("refuser");
    expect(failed.lastError).toBeTruthy();
    expect(failed.lastError).not.toContain(KEYS.bad);
    expect(failed.restarts).toBe(RELAYS.maxFailures - 1);
    // The waits between tries grew.
    const waits = new Map<string, number>();
    for (const status of events.statuses()) {
      const destination = status.destinations.find((d) => d.id === "refuser");
      if (destination?.state === "retrying" && destination.retryAt && destination.since) {
        waits.set(destination.retryAt, Date.parse(destination.retryAt) - Date.parse(destination.since));
      }
    }
    const delays = [...waits.values()];
    expect(delays.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < delays.length; i += 1) expect(delays[i]!).toBeGreaterThan(delays[i - 1]!);
    expect(await refusing.streams()).toEqual([]);
    // A start after fixing nothing tries again (and fails again), it does not stay stuck.
    expect((await (await bridge.api("/api/destinations/refuser/retry", { method: "POST" })).json()).state).toMatch(/starting|retrying/);
    await bridge.api("/api/destinations/refuser/stop", { method: "POST" });
    await waitState("refuser", ["off"]);
  });

  it("a failed destination is re-armed by a start, and by a PATCH that fixes its key", async () => {
    await bridge.api("/api/destinations/refuser/start", { method: "POST" });
    await waitState("refuser", ["failed"], 30_000);
    // Start on a failed destination tries again (it does not answer the old failure).
    const started = await (await bridge.api("/api/destinations/refuser/start", { method: "POST" })).json();
    expect(started.state).toMatch(/starting|retrying|waiting/);
    await waitState("refuser", ["failed"], 30_000);
    // A PATCH with the key the platform takes: the relay goes again, and goes live.
    const patched = await (await bridge.api("/api/destinations/refuser", { method: "PATCH", body: JSON.stringify({ key: "only-this-key" }) })).json();
    expect(patched.state).not.toBe("failed");
    await waitState("refuser", ["live"], 30_000);
    await bridge.api("/api/destinations/refuser/stop", { method: "POST" });
    await waitState("refuser", ["off"]);
  });

  it("a platform that was unreachable is live again once the network comes back", async () => {
    await bridge.api("/api/destinations/far/start", { method: "POST" });
    await waitState("far", ["retrying"], 10_000);
    const back = await startPlatform({ port: await farPort });
    try {
      await waitState("far", ["live"], 20_000);
      await waitFor(async () => (await back.streams()).some((stream) => stream.name === KEYS.far), { what: "the platform to receive" });
    } finally {
      await bridge.api("/api/destinations/far/stop", { method: "POST" });
      await waitState("far", ["off"]);
      await back.stop();
    }
  });

  it("a bridge killed with -9 leaves no relay pushing: the next bridge ends what is left; never two relays to one destination", async () => {
    const oldRelays = await relayPids(platform);
    expect(oldRelays).toHaveLength(2);
    const oldNginx = (await psList()).filter((entry) => entry.name === "nginx" && (entry.cmd ?? "").includes(bridge.dir)).map((entry) => entry.pid);
    await obs.stop();
    await bridge.stop({ signal: "SIGKILL", keep: true });
    // The relays read their media from the bridge: with it gone their input ends, and so do they.
    await waitFor(() => !oldRelays.some(isAlive), { what: "the orphaned relays to end with their input", timeoutMs: 5_000 });
    expect(oldNginx.every(isAlive)).toBe(true);
    const dir = bridge.dir;
    bridge = await startBridge({ dir });
    // The orphaned nginx is ended by the next bridge before anything else.
    expect(oldNginx.some(isAlive)).toBe(false);
    expect(bridge.output()).toMatch(/ended nginx \(pid \d+, nginx\) left running by an earlier bridge/);
    obs = reconnectingObs(`${bridge.ingestUrl}/obs`);
    try {
      await waitState("one", ["live"]);
      await waitState("two", ["live"]);
    } catch (error) {
      console.log(bridge.output());
      throw error;
    }
    await waitFor(async () => (await relayPids(platform)).length === 2, { what: "exactly two relays" });
    const names = (await platform.streams()).map((stream) => stream.name).sort();
    expect(names).toEqual([KEYS.one, KEYS.two].sort());
    const relays = (await relayPids(platform)).sort((a, b) => a - b);
    const restarts = { one: (await view("one")).restarts, two: (await view("two")).restarts };
    // From here on, the relays are counted every 50 ms until two status events have come: the ingest's
    // stat poll and the numbers have run since (each once a second), and with them any reconcile they
    // set off, so a second relay started for a destination would be running, or have shown, by then.
    const events = await watchEvents(bridge.url);
    const settled = clock();
    const seen = new Set(relays);
    let most = relays.length;
    let counting = true;
    const count = (async () => {
      while (counting) {
        const pids = await relayPids(platform);
        most = Math.max(most, pids.length);
        for (const pid of pids) seen.add(pid);
        await sleep(50);
      }
    })();
    try {
      await events.waitForCount(2, { after: settled, what: "two status events after the two relays", timeoutMs: 10_000 });
    } finally {
      counting = false;
      await count;
      events.close();
    }
    expect(most).toBeLessThanOrEqual(2);
    // The same two relays throughout: none added for a moment, none replaced.
    expect([...seen].sort((a, b) => a - b)).toEqual(relays);
    for (const event of events.events) {
      for (const id of ["one", "two"] as const) expect(event.status.destinations.find((destination) => destination.id === id)).toMatchObject({ state: "live", restarts: restarts[id] });
    }
    expect((await relayPids(platform)).sort((a, b) => a - b)).toEqual(relays);
  });

  it("never shows a key in the log", () => {
    for (const key of Object.values(KEYS)) expect(bridge.output()).not.toContain(key);
  });
});
