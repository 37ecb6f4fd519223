// The demo set-up: three local stand-in platforms, the real bridge with a throw-away config in its
// own temp folder, and an OBS stand-in publishing to it. Used by `npm run demo` and by the
// screenshots; everything it starts is stopped and its folder removed by `stop()`.

import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { freeLoopbackPort } from "../../bridge/process/free-port.js";
import { spawnChild, type Child } from "../../bridge/process/child-process.js";
import { startDemoPlatform, type DemoPlatform } from "./demo-platform.js";
import { startObsStandIn, stopObsStandIn } from "./obs-stand-in.js";

/** The built bridge the demo runs, exactly as `relay-bridge` would. */
export const BRIDGE_ENTRY = fileURLToPath(new URL("../../dist/relay-bridge.js", import.meta.url));

/** Stream name the OBS stand-in publishes under. */
export const DEMO_STREAM_NAME = "demo";

export interface DemoDestination {
  id: string;
  name: string;
  /** Preset id: gives the key and the page the platform's badge and colour. */
  platform: string;
  /** The demo platforms take any key; this one only tells the streams apart there. */
  key: string;
  /** Switched on at start, so something is live from the first second. */
  enabled: boolean;
}

export const DEMO_DESTINATIONS: readonly DemoDestination[] = [
  { id: "youtube", name: "YouTube (demo)", platform: "youtube", key: "demo-youtube-stream", enabled: true },
  { id: "twitch", name: "Twitch (demo)", platform: "twitch", key: "demo-twitch-stream", enabled: false },
  { id: "facebook", name: "Facebook (demo)", platform: "facebook", key: "demo-facebook-stream", enabled: false },
];

export interface DemoOptions {
  /** Port of the bridge's HTTP API and page; a free one when left out. */
  bridgePort?: number;
  /** Start the OBS stand-in (default true); false leaves the ingest free for a real OBS. */
  obs?: boolean;
  /** Where the demo's programs' lines go, each with who printed it. */
  log?: (source: string, line: string) => void;
}

export interface Demo {
  /** The temp folder holding the config, the bridge's runtime files and the platforms' files. */
  dir: string;
  configFile: string;
  /** Base URL of the bridge: the Stream Deck plugin's "Bridge URL". */
  bridgeUrl: string;
  /** The status page. */
  pageUrl: string;
  /** OBS's server URL for this bridge. */
  ingestUrl: string;
  platforms: ReadonlyArray<{ destination: DemoDestination; platform: DemoPlatform }>;
  /** Settles with the bridge's exit code when it ends, whether asked to or not. */
  bridgeExited: Promise<number | null>;
  /** Whether the OBS stand-in is publishing right now. */
  obsRunning(): boolean;
  /** Stops everything the demo started and removes its folder. Safe to call more than once. */
  stop(): Promise<void>;
}

/** The demo's config file: loopback only, no token, the platforms as destinations. */
export function demoConfig(input: {
  bridgePort: number;
  ingestPort: number;
  platforms: ReadonlyArray<{ destination: DemoDestination; url: string }>;
}): object {
  return {
    bridge: { host: "127.0.0.1", port: input.bridgePort, token: "" },
    ingest: { host: "127.0.0.1", port: input.ingestPort, app: "live", key: "" },
    destinations: input.platforms.map(({ destination, url }) => ({
      id: destination.id,
      name: destination.name,
      platform: destination.platform,
      url,
      key: destination.key,
      enabled: destination.enabled,
      transport: "direct",
    })),
  };
}

/** Starts the whole demo; on any failure it stops what it started and rethrows. */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  if (!existsSync(BRIDGE_ENTRY)) throw new Error(`${BRIDGE_ENTRY} is missing: run "npm run build" first`);
  let stopping: Promise<void> | undefined;
  const print = options.log ?? (() => undefined);
  // While stopping, the programs' complaints about each other going away are noise.
  const log = (source: string, line: string) => {
    if (!stopping || source === "bridge") print(source, line);
  };
  const dir = await mkdtemp(join(tmpdir(), "relay-demo-"));
  const platforms: Array<{ destination: DemoDestination; platform: DemoPlatform }> = [];
  let bridge: Child | undefined;
  // Every OBS stand-in started, so a stop never misses one started a moment before.
  const obsRuns = new Set<Child>();

  const stop = () => {
    stopping ??= (async () => {
      await Promise.all([...obsRuns].map((run) => stopObsStandIn(run)));
      // The bridge ends its relays and its nginx itself; Windows has no SIGTERM, so its tree is killed.
      if (bridge) await bridge.stop({ signal: "SIGTERM", graceMs: process.platform === "win32" ? 0 : 10_000 });
      await Promise.all(platforms.map(({ platform }) => platform.stop()));
      await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    })();
    return stopping;
  };

  try {
    for (const destination of DEMO_DESTINATIONS) {
      const platformDir = join(dir, "platforms", destination.id);
      await mkdir(platformDir, { recursive: true });
      const platform = await startDemoPlatform({
        name: destination.name,
        dir: platformDir,
        onLine: (line) => log(destination.name, line),
      });
      platforms.push({ destination, platform });
    }

    const bridgePort = options.bridgePort ?? (await freeLoopbackPort());
    const ingestPort = await freeLoopbackPort();
    const configFile = join(dir, "config.json");
    const config = demoConfig({ bridgePort, ingestPort, platforms: platforms.map(({ destination, platform }) => ({ destination, url: platform.url })) });
    await writeFile(configFile, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });

    let listening: (url: string) => void = () => undefined;
    const listeningUrl = new Promise<string>((resolve) => (listening = resolve));
    bridge = spawnChild({
      command: process.execPath,
      // Command-line options win over RELAY_* variables a streamer may have set for their own bridge.
      args: [BRIDGE_ENTRY, "--config", configFile, "--host", "127.0.0.1", "--port", String(bridgePort)],
      env: { RELAY_TOKEN: "" },
      onLine: (line, stream) => {
        const ready = /Relay bridge listening on (http:\/\/\S+)/.exec(line);
        if (stream === "stdout" && ready) listening(ready[1]!);
        else log("bridge", line);
      },
    });
    const bridgeUrl = await Promise.race([
      listeningUrl,
      bridge.exited.then((exit) => Promise.reject(new Error(`the bridge exited at start (code ${exit.code}): see its lines above`))),
      sleep(30_000).then(() => Promise.reject(new Error("the bridge did not listen within 30 s"))),
    ]);

    const ingestUrl = `rtmp://127.0.0.1:${ingestPort}/live`;
    if (options.obs !== false) {
      // Like OBS with "automatically reconnect": when the ingest goes away (nginx restarted from the
      // page, say), publish again.
      const publish = async (): Promise<void> => {
        if (stopping) return;
        const run = await startObsStandIn({ url: `${ingestUrl}/${DEMO_STREAM_NAME}`, onLine: (line) => log("obs", line) });
        obsRuns.add(run);
        if (stopping) await stopObsStandIn(run);
        void run.exited.then(async (exit) => {
          obsRuns.delete(run);
          if (stopping || exit.requested) return;
          log("obs", `the OBS stand-in stopped (code ${exit.code}); publishing again in 2 s`);
          await sleep(2_000);
          await publish();
        });
      };
      await publish();
    }

    return {
      dir,
      configFile,
      bridgeUrl,
      pageUrl: `${bridgeUrl}/`,
      ingestUrl,
      platforms,
      bridgeExited: bridge.exited.then((exit) => exit.code),
      obsRunning: () => [...obsRuns].some((run) => run.running),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
