// The demo set-up: three local stand-in platforms, the real bridge with a throw-away config in its
// own temp folder, and an OBS stand-in publishing to it. Used by `npm run demo` and by the
// screenshots; everything it starts is stopped and its folder removed by `stop()`.

import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BRIDGE_ENTRY, startBridge, type RunningBridge } from "../../rig/bridge.js";
import { startObs, type Obs } from "../../rig/obs-stand-in.js";
import { startPlatform, type Platform } from "../../rig/platform.js";

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
  platforms: ReadonlyArray<{ destination: DemoDestination; platform: Platform }>;
  /** Settles with the bridge's exit code when it ends, whether asked to or not. */
  bridgeExited: Promise<number | null>;
  /** Whether the OBS stand-in is publishing right now. */
  obsRunning(): boolean;
  /** Stops everything the demo started and removes its folder. Safe to call more than once. */
  stop(): Promise<void>;
}

/** The demo's destinations on its platforms: the platforms take any key, relays push directly. */
export function demoDestinations(platforms: ReadonlyArray<{ destination: DemoDestination; url: string }>) {
  return platforms.map(({ destination, url }) => ({
    id: destination.id,
    name: destination.name,
    platform: destination.platform,
    url,
    key: destination.key,
    enabled: destination.enabled,
    transport: "direct" as const,
  }));
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
  const platforms: Array<{ destination: DemoDestination; platform: Platform }> = [];
  let bridge: RunningBridge | undefined;
  let obs: Obs | undefined;

  const stop = () => {
    stopping ??= (async () => {
      await obs?.stop();
      // The bridge ends its relays and its nginx itself (Windows has no SIGTERM: its tree is ended at once).
      await bridge?.stop({ signal: "SIGTERM", graceMs: 10_000 });
      await Promise.all(platforms.map(({ platform }) => platform.stop()));
      await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    })();
    return stopping;
  };

  try {
    // Every program in its own process group: a terminal's Ctrl-C reaches the demo alone, which
    // then stops them in order (the OBS stand-in, the bridge and its relays, the platforms).
    for (const destination of DEMO_DESTINATIONS) {
      const platformDir = join(dir, "platforms", destination.id);
      await mkdir(platformDir, { recursive: true });
      const platform = await startPlatform({
        name: `the demo platform "${destination.name}"`,
        dir: platformDir,
        onLine: (line) => log(destination.name, line),
        ownGroup: true,
      });
      platforms.push({ destination, platform });
    }

    bridge = await startBridge({
      dir,
      port: options.bridgePort,
      destinations: demoDestinations(platforms.map(({ destination, platform }) => ({ destination, url: platform.url }))),
      // Command-line options and the environment given win over RELAY_* variables a streamer may have set for their own bridge.
      host: "127.0.0.1",
      env: { RELAY_TOKEN: "" },
      logLevel: null,
      outputTail: 20_000,
      onLine: (line) => {
        if (!/Relay bridge listening on/.test(line)) log("bridge", line);
      },
      ownGroup: true,
      startTimeoutMs: 30_000,
    });

    if (options.obs !== false) {
      // Like OBS with "automatically reconnect": when the ingest goes away (nginx restarted from the
      // page, say), publish again.
      obs = startObs({
        url: `${bridge.ingestUrl}/${DEMO_STREAM_NAME}`,
        size: "1280x720",
        videoKbps: 2500,
        beeps: true,
        stopByKey: true,
        reconnectDelayMs: 2_000,
        maxReconnects: Number.POSITIVE_INFINITY,
        onReconnect: (code) => log("obs", `the OBS stand-in stopped (code ${code}); publishing again in 2 s`),
        onLine: (line) => log("obs", line),
        ownGroup: true,
      });
    }

    return {
      dir,
      configFile: bridge.configFile,
      bridgeUrl: bridge.url,
      pageUrl: `${bridge.url}/`,
      ingestUrl: bridge.ingestUrl,
      platforms,
      bridgeExited: bridge.exited,
      obsRunning: () => obs?.running ?? false,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
