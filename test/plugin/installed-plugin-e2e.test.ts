// The packed plugin, unzipped where no node_modules can be reached and run by a stand-in for the
// Stream Deck app with Node as the app's Node: with no bridge running it starts the one bundled in
// it (its own process group, log in the runtime folder), the keys show the destinations, a crash of
// the plugin leaves the bridge and a live relay to a real platform running, and the next plugin
// start uses that bridge: one bridge, one nginx.

import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import psList from "ps-list";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCK_FILE, parseLockRecord } from "../../bridge/launch/bridge-lock.js";
import { startObs, type Obs } from "../../rig/obs-stand-in.js";
import { startPlatform, type Platform } from "../../rig/platform.js";
import { freePort } from "../../rig/ports.js";
import { now } from "../../rig/clock.js";
import { watchEvents } from "../../rig/events.js";
import { isAlive, waitFor } from "../../rig/processes.js";
import { imageTitle, startStreamDeckHost, type StreamDeckHost } from "../../rig/stream-deck-host.js";
import { nodeModulesReachable, packPlugin, unpackPlugin } from "./support/packed-plugin.js";

const DESTINATION = "com.relay.destination";
const STREAM_KEY = "installed-secret-key-31";

let work: string;
let pluginDir: string;
let configFile: string;
let runtimeDir: string;
let bridgeUrl: string;
let ingestPort: number;
let platform: Platform | undefined;
let obs: Obs | undefined;
let host: StreamDeckHost | undefined;
/** Every bridge pid seen, so cleanup ends them even when a step failed. */
const bridgePids = new Set<number>();

const lockPid = async () => parseLockRecord(await readFile(join(runtimeDir, LOCK_FILE), "utf8").catch(() => ""))?.pid;
/** The app's port must refuse for 3 s (30 s by default) before a plugin left behind ends. */
const startHost = () => startStreamDeckHost({ pluginDir, env: { RELAY_CONFIG: configFile, RELAY_PLUGIN_APP_GONE_MS: "3000" }, globalSettings: { bridgeUrl } });
const titleOf = (context: string) => imageTitle(host?.lastImage(context));

async function imageWhere(context: string, match: (title: string) => boolean, after: number, what: string): Promise<void> {
  await host!.waitFor((message) => message.event === "setImage" && message.context === context && match(imageTitle(decodeURIComponent(String(message.payload?.image).replace(/^data:image\/svg\+xml,/, ""))) ?? ""), {
    after,
    timeoutMs: 30_000,
    what: `${what} (last: ${titleOf(context)})`,
  });
}

/** Processes whose command line names `needle` (the installed bridge, or the bridge's nginx prefix). */
async function processesWith(needle: string, name?: string): Promise<number[]> {
  return (await psList()).filter((entry) => (entry.cmd ?? "").includes(needle) && (name === undefined || entry.name.includes(name))).map((entry) => entry.pid);
}

/** What the plugin run started last has logged so far (the Stream Deck SDK's log file in the plugin folder). */
async function pluginLog(): Promise<string> {
  const dir = join(pluginDir, "logs");
  const current = (await readdir(dir).catch(() => [])).filter((name) => name.endsWith(".0.log"));
  return (await Promise.all(current.map((name) => readFile(join(dir, name), "utf8").catch(() => "")))).join("\n");
}

async function bytesInNow(): Promise<number> {
  return (await platform!.streams()).reduce((sum, stream) => sum + stream.bytesIn, 0);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "relay-installed-work-"));
  const archive = await packPlugin(work);
  const unpacked = await unpackPlugin(archive);
  pluginDir = unpacked.pluginDir;
  platform = await startPlatform();
  const port = await freePort();
  ingestPort = await freePort();
  bridgeUrl = `http://127.0.0.1:${port}`;
  configFile = join(work, "config", "config.json");
  runtimeDir = join(work, "config", "run");
  await mkdir(join(work, "config"), { recursive: true });
  await writeFile(
    configFile,
    JSON.stringify({
      bridge: { host: "127.0.0.1", port, token: "" },
      ingest: { host: "127.0.0.1", port: ingestPort, app: "live", key: "" },
      destinations: [{ id: "yt", name: "YouTube", platform: "youtube", url: platform.url, key: STREAM_KEY, enabled: true, transport: "direct" }],
    }),
    { mode: 0o600 },
  );
}, 300_000);

afterAll(async () => {
  await host?.stop({ signal: "SIGKILL" }).catch(() => undefined);
  await obs?.stop();
  const pid = await lockPid().catch(() => undefined);
  if (pid) bridgePids.add(pid);
  for (const bridge of bridgePids) {
    if (!isAlive(bridge)) continue;
    process.kill(bridge, "SIGTERM");
    await waitFor(() => !isAlive(bridge), { what: "the bridge to stop", timeoutMs: 15_000 }).catch(() => {
      // Its own process group: nginx and relays go with it.
      try {
        process.kill(-bridge, "SIGKILL");
      } catch {
        // already gone
      }
    });
  }
  await platform?.stop();
  if (pluginDir) await rm(join(pluginDir, ".."), { recursive: true, force: true });
  if (work) await rm(work, { recursive: true, force: true });
}, 60_000);

describe("the installed plugin", () => {
  it("is unpacked where no node_modules can be reached, and nothing answers at its bridge address", async () => {
    expect(nodeModulesReachable(pluginDir)).toBe(false);
    await expect(fetch(`${bridgeUrl}/api/health`)).rejects.toThrow();
  });

  it("starts the bundled bridge on the config it is pointed at, as a process of its own with a log file", async () => {
    host = await startHost();
    const health = await waitFor(async () => (await fetch(`${bridgeUrl}/api/health`)).json() as Promise<{ ok: boolean; version: string }>, {
      what: "the bridge the plugin started",
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    const { version } = JSON.parse(await readFile("package.json", "utf8")) as { version: string };
    expect(health).toEqual({ ok: true, version });
    const pid = await lockPid();
    expect(pid).toBeDefined();
    bridgePids.add(pid!);
    expect(await processesWith(join(pluginDir, "bin", "relay-bridge.js"))).toEqual([pid]);
    // Its own process group (detached), not the plugin's.
    const { stdout } = await execa("ps", ["-o", "pgid=", "-p", String(pid)]);
    expect(Number(stdout.trim())).toBe(pid);
    // /api/health answers as soon as the port is bound; the line says ready, once nginx has started too.
    const log = await waitFor(
      async () => {
        const text = await readFile(join(runtimeDir, "bridge.log"), "utf8");
        return text.includes(`Relay bridge listening on ${bridgeUrl}`) ? text : undefined;
      },
      { what: "the ready line in bridge.log", timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(log).not.toContain(STREAM_KEY);
  });

  it("shows the destinations on the keys, and relays OBS to the platform", async () => {
    host!.appear("key-yt", DESTINATION, { destination: "yt" });
    await imageWhere("key-yt", (title) => title.startsWith("YouTube: waiting"), 0, "the waiting image");
    const before = now();
    obs = startObs({ url: `rtmp://127.0.0.1:${ingestPort}/live/obs` });
    await imageWhere("key-yt", (title) => title.startsWith("YouTube: live"), before, "the live image");
    await waitFor(async () => (await bytesInNow()) > 0, { what: "media at the platform" });
  });

  it("leaves the bridge and the live relay running when the plugin crashes", async () => {
    const pid = await lockPid();
    const plugin = host!.pid!;
    const events = await watchEvents(bridgeUrl);
    await host!.stop({ signal: "SIGKILL" });
    host = undefined;
    expect(isAlive(plugin)).toBe(false);
    const crashedAt = now();
    const before = await bytesInNow();
    try {
      // A bridge that went with the plugin would stop sending media and status: wait for both to go on
      // after the crash (the platform getting more, and the bridge's status three times, a second
      // apart while numbers change: past the plugin's connections closing on the bridge's side).
      await waitFor(async () => (await bytesInNow()) > before, { what: "more media at the platform after the crash", timeoutMs: 15_000 });
      await waitFor(() => events.events.filter((event) => event.at > crashedAt).length >= 3, { what: "three status events after the crash", timeoutMs: 15_000 });
    } finally {
      events.close();
    }
    expect(isAlive(pid!)).toBe(true);
    expect(events.events.filter((event) => event.at > crashedAt).map((event) => event.status.destinations.find((view) => view.id === "yt")?.state)).not.toContain("off");
    const status = (await (await fetch(`${bridgeUrl}/api/status`)).json()) as { destinations: Array<{ id: string; state: string }> };
    expect(status.destinations.find((view) => view.id === "yt")?.state).toBe("live");
  });

  it("uses the running bridge when started again: one bridge, one nginx", async () => {
    const pid = await lockPid();
    host = await startHost();
    host.appear("key-yt", DESTINATION, { destination: "yt" });
    await imageWhere("key-yt", (title) => title.startsWith("YouTube: live"), 0, "the live image from the running bridge");
    // The plugin's launcher has looked and decided: its log (this run's own file, the SDK starts a new
    // .0.log at each start) says so, and says "Started the bridge" right after spawning a second one.
    const decision = await waitFor(async () => /(?:Not starting a bridge|Started the bridge)[^\n]*/.exec(await pluginLog())?.[0], {
      what: "the plugin's decision on starting a bridge, in its log",
      timeoutMs: 15_000,
    });
    expect(decision).toMatch(/^Not starting a bridge: a bridge answers/);
    expect(await lockPid()).toBe(pid);
    expect(await processesWith(join(pluginDir, "bin", "relay-bridge.js"))).toEqual([pid]);
    expect(await processesWith(join(runtimeDir, "nginx"), "nginx").then((pids) => pids.length)).toBeGreaterThan(0);
    const masters = (await psList()).filter((entry) => entry.name === "nginx" && (entry.cmd ?? "").includes(`master process`) && (entry.cmd ?? "").includes(runtimeDir));
    expect(masters).toHaveLength(1);
    const log = await readFile(join(runtimeDir, "bridge.log"), "utf8");
    expect(log.match(/Relay bridge listening on/g)).toHaveLength(1);
  });

  it("ends when the Stream Deck app is gone for good, and the bridge it uses goes on", async () => {
    const pid = await lockPid();
    const plugin = host!.pid!;
    const before = await bytesInNow();
    await host!.closeApp();
    // Nothing listens at the app's port any more: the plugin ends by itself, no signal sent.
    await waitFor(() => !isAlive(plugin), { what: "the plugin left behind to end", timeoutMs: 30_000, intervalMs: 100 });
    await host!.exited;
    expect(await pluginLog()).toMatch(/The Stream Deck app is gone: the plugin ends/);
    host = undefined;
    expect(isAlive(pid!)).toBe(true);
    await waitFor(async () => (await bytesInNow()) > before, { what: "media at the platform after the plugin ended", timeoutMs: 15_000 });
    const status = (await (await fetch(`${bridgeUrl}/api/status`)).json()) as { destinations: Array<{ id: string; state: string }> };
    expect(status.destinations.find((view) => view.id === "yt")?.state).toBe("live");
  });
});
