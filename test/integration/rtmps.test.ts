// RTMPS with the real programs: a TLS "platform" (stunnel in server mode, certificate made here, in
// front of nginx-rtmp) reached through ffmpeg's own TLS and through the bridge's stunnel; a second
// TLS front whose certificate nobody trusts never gets a key.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import psList from "ps-list";
import { setTimeout as sleep } from "node:timers/promises";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";
import { startPlatform, type Platform } from "../../rig/platform.js";
import { startObs, type Obs } from "../../rig/obs-stand-in.js";
import { createTestCa, startTlsFront, type TestCa, type TlsFront } from "../../rig/rtmps-platform.js";
import { waitFor } from "../../rig/processes.js";
import { watchEvents } from "../../rig/events.js";
import type { DestinationView, StatusView } from "../../contract/api.js";

const KEYS = {
  direct: "rtmps_direct_key_51c2",
  tunnel: "rtmps_tunnel_key_77ab",
  auto: "rtmps_auto_key_0f3e",
  evilDirect: "evil_direct_key_9a1d",
  evilTunnel: "evil_tunnel_key_4b6c",
  tunnel2: "rtmps_tunnel2_key_3e88",
};

describe("RTMPS destinations", () => {
  let ca: TestCa;
  let rogue: TestCa;
  let trusted: Platform;
  let untrusted: Platform;
  let goodFront: TlsFront;
  let badFront: TlsFront;
  let bridge: RunningBridge;
  let obs: Obs;
  let evilSeen = false;
  let watchingEvil = true;
  let evilWatch: Promise<void>;

  const view = async (id: string) => (await bridge.json<DestinationView>(`/api/destinations/${id}`));
  const waitState = (id: string, states: string[], timeoutMs = 20_000) =>
    waitFor(async () => states.includes((await view(id)).state), { what: `${id} to be ${states.join("/")}`, timeoutMs, intervalMs: 50 });
  const stream = async (platform: Platform, key: string) => (await platform.streams()).find((entry) => entry.name === key);

  beforeAll(async () => {
    ca = await createTestCa("Relay Test CA");
    rogue = await createTestCa("Nobody Trusts This CA");
    trusted = await startPlatform();
    untrusted = await startPlatform();
    goodFront = await startTlsFront(trusted, await ca.issue("platform", ["localhost", "127.0.0.1"]));
    badFront = await startTlsFront(untrusted, await rogue.issue("impostor", ["localhost", "127.0.0.1"]));
    // Watch the untrusted platform for any stream at all during the whole test.
    evilWatch = (async () => {
      while (watchingEvil) {
        if ((await untrusted.streams()).length > 0) evilSeen = true;
        await sleep(100);
      }
    })();
    bridge = await startBridge({
      extra: { tls: { verify: true, caFile: ca.caFile }, relays: { retryInitialMs: 300, retryMaxMs: 1000, maxFailures: 3, stallTimeoutMs: 10000 } },
      destinations: [
        { id: "direct", name: "Direct TLS", url: goodFront.url, key: KEYS.direct, transport: "direct" },
        { id: "tunnel", name: "Through stunnel", url: goodFront.url, key: KEYS.tunnel, transport: "stunnel" },
        { id: "auto", name: "Auto", url: goodFront.url, key: KEYS.auto, transport: "auto" },
        { id: "evil-direct", name: "Impostor direct", url: badFront.url, key: KEYS.evilDirect, transport: "direct" },
        { id: "evil-tunnel", name: "Impostor stunnel", url: badFront.url, key: KEYS.evilTunnel, transport: "stunnel" },
      ],
    });
    obs = startObs({ url: `${bridge.ingestUrl}/obs` });
    await waitFor(async () => (await bridge.json<StatusView>("/api/status")).ingest.live, { what: "ingest live" });
  });

  afterAll(async () => {
    watchingEvil = false;
    await evilWatch;
    await obs?.stop();
    await bridge?.stop();
    await Promise.all([goodFront?.stop(), badFront?.stop()]);
    await Promise.all([trusted?.stop(), untrusted?.stop()]);
    await Promise.all([ca?.remove(), rogue?.remove()]);
  });

  it("pushes over ffmpeg's own TLS, checking the certificate", async () => {
    await bridge.api("/api/destinations/direct/start", { method: "POST" });
    await waitState("direct", ["live"]);
    const received = await waitFor(async () => {
      const found = await stream(trusted, KEYS.direct);
      return found?.video && found.audio ? found : undefined;
    }, { what: "the TLS platform to receive video and audio" });
    expect(received.video?.codec).toBe("H264");
  });

  it("pushes through the bridge's own stunnel, and auto picks a working path", async () => {
    await bridge.api("/api/destinations/tunnel/start", { method: "POST" });
    await bridge.api("/api/destinations/auto/start", { method: "POST" });
    await waitState("tunnel", ["live"]);
    await waitState("auto", ["live"]);
    await waitFor(() => stream(trusted, KEYS.tunnel), { what: "the TLS platform to receive the stunnel relay" });
    await waitFor(() => stream(trusted, KEYS.auto), { what: "the TLS platform to receive the auto relay" });
    const status = await bridge.json<StatusView>("/api/status");
    expect(status.services.stunnel.state).toBe("running");
  });

  it("never sends a key to a server whose certificate nobody trusts, on either path", async () => {
    await bridge.api("/api/destinations/evil-direct/start", { method: "POST" });
    await bridge.api("/api/destinations/evil-tunnel/start", { method: "POST" });
    for (const id of ["evil-direct", "evil-tunnel"]) {
      await waitState(id, ["failed"]);
      const failed = await view(id);
      expect(failed.lastError ?? "").toMatch(/certificate|verif/i);
      // An untrusted certificate is the same on every try: failed at once, no retries.
      expect(failed.restarts, id).toBe(0);
      expect(failed.lastError).not.toContain(id === "evil-direct" ? KEYS.evilDirect : KEYS.evilTunnel);
    }
    expect(evilSeen).toBe(false);
    expect(await untrusted.streams()).toEqual([]);
  });

  it("adding and toggling another stunnel destination never cuts the first one", async () => {
    const before = await stream(trusted, KEYS.tunnel);
    expect(before).toBeDefined();
    const created = await bridge.api("/api/destinations", {
      method: "POST",
      body: JSON.stringify({ id: "tunnel2", name: "Second stunnel", url: goodFront.url, key: KEYS.tunnel2, transport: "stunnel" }),
    });
    expect(created.status).toBe(201);
    let lastTime = before!.time;
    for (let round = 0; round < 2; round += 1) {
      await bridge.api("/api/destinations/tunnel2/start", { method: "POST" });
      await waitState("tunnel2", ["live"]);
      await bridge.api("/api/destinations/tunnel2/stop", { method: "POST" });
      await waitState("tunnel2", ["off"]);
      const now = await stream(trusted, KEYS.tunnel);
      // Same publish on the platform (its clock only grows), still live on the bridge.
      expect(now).toBeDefined();
      expect(now!.time).toBeGreaterThan(lastTime);
      lastTime = now!.time;
    }
    const stunnelOf = async (id: string) =>
      (await psList()).filter((entry) => /stunnel/.test(entry.name) && (entry.cmd ?? "").includes(bridge.dir) && (entry.cmd ?? "").includes(`/stunnel/${id}.conf`)).map((entry) => entry.pid);
    const firstStunnel = await stunnelOf("tunnel");
    expect(firstStunnel).toHaveLength(1);
    const restarts = (await view("tunnel")).restarts;
    const events = await watchEvents(bridge.url);
    expect((await bridge.api("/api/destinations/tunnel2", { method: "DELETE" })).status).toBe(204);
    // The delete carried out: a status without tunnel2, then the next one (the numbers, a second
    // later), so whatever the delete did to the other relays has been done and shown.
    try {
      const without = await events.waitFor((status) => !status.destinations.some((destination) => destination.id === "tunnel2"), { what: "a status without tunnel2" });
      await events.waitFor(() => true, { after: without.at + 1, what: "the status after it" });
    } finally {
      events.close();
    }
    for (const event of events.events) expect(event.status.destinations.find((destination) => destination.id === "tunnel")).toMatchObject({ state: "live", restarts });
    expect(await stunnelOf("tunnel")).toEqual(firstStunnel);
    // Still the same publish on the platform: its clock goes on from where it was, never from 0 again.
    let fellBack = false;
    await waitFor(
      async () => {
        const time = (await stream(trusted, KEYS.tunnel))?.time;
        if (time === undefined || time < lastTime) fellBack = true;
        return time !== undefined && time > lastTime;
      },
      { what: "the first stunnel destination's stream to go on", timeoutMs: 5_000, intervalMs: 50 },
    );
    expect(fellBack).toBe(false);
    expect((await view("tunnel")).state).toBe("live");
  });

  it("a killed stunnel is restarted and its destination comes back", async () => {
    const stunnels = (await psList()).filter((entry) => /stunnel/.test(entry.name) && (entry.cmd ?? "").includes(`${bridge.dir}`) && (entry.cmd ?? "").includes("/stunnel/tunnel.conf"));
    expect(stunnels).toHaveLength(1);
    const killedAt = Date.now();
    process.kill(stunnels[0]!.pid, "SIGKILL");
    await waitState("tunnel", ["retrying", "starting", "waiting"], 10_000);
    await waitState("tunnel", ["live"], 20_000);
    const recovered = Date.now() - killedAt;
    const again = (await psList()).filter((entry) => /stunnel/.test(entry.name) && (entry.cmd ?? "").includes("/stunnel/tunnel.conf") && (entry.cmd ?? "").includes(bridge.dir));
    expect(again).toHaveLength(1);
    expect(again[0]!.pid).not.toBe(stunnels[0]!.pid);
    expect(recovered).toBeLessThan(20_000);
    console.log(`stunnel killed → destination live again in ${recovered} ms`);
  });

  it("keeps every key out of answers, events and the log", async () => {
    const text = [bridge.output(), JSON.stringify(await bridge.json("/api/status"))].join("\n");
    for (const key of Object.values(KEYS)) expect(text).not.toContain(key);
  });
});
