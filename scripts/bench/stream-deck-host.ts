// A stand-in for the Stream Deck app, as small as timing key images needs: a WebSocket server that
// starts the built plugin the way the app does, answers its settings requests, shows it keys and
// presses, and records when every message from the plugin arrived.

import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { WebSocketServer, type WebSocket } from "ws";
import { Arrivals } from "./arrivals.js";

const PLUGIN_UUID = "com.relay";
const DEVICE = "BENCH1";

/** A message from the plugin and when it arrived (Date.now(), to compare with the bridge's times). */
export interface HostMessage {
  wallAt: number;
  message: { event: string; context?: string; id?: string; payload?: any };
}

export interface StreamDeckHost {
  readonly inbox: HostMessage[];
  appear(context: string, action: string, settings: Record<string, unknown>): void;
  press(context: string, action: string, settings: Record<string, unknown>): void;
  /** The first message arrived at or after `after` (wall ms) that `match` accepts. */
  waitFor(match: (message: HostMessage["message"]) => boolean, options?: { after?: number; timeoutMs?: number; what?: string }): Promise<HostMessage>;
  stop(): Promise<void>;
}

const INFO = {
  application: { font: "Arial", language: "en", platform: "mac", platformVersion: "14.0", version: "6.9.0.0" },
  colors: {},
  devicePixelRatio: 2,
  devices: [{ id: DEVICE, name: "Stream Deck", size: { columns: 5, rows: 3 }, type: 0 }],
  plugin: { uuid: PLUGIN_UUID, version: "0.1.0.0" },
};

/** The `<title>` of a `data:image/svg+xml,…` key image: what the key says, in words. Pure. */
export function keyImageTitle(image: unknown): string | undefined {
  if (typeof image !== "string") return undefined;
  const base64 = /^data:image\/svg\+xml;base64,(.*)$/s.exec(image);
  const svg = base64 ? Buffer.from(base64[1]!, "base64").toString("utf8") : decodeURIComponent(image.replace(/^data:image\/svg\+xml(?:;[^,]*)?,/, ""));
  const match = /<title>(.*?)<\/title>/s.exec(svg);
  return match ? match[1]!.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, "&") : undefined;
}

/** Starts the host and the plugin in `pluginDir` (a com.relay.sdPlugin folder); resolves once the plugin registered. */
export async function startStreamDeckHost(pluginDir: string, globalSettings: Record<string, unknown>): Promise<StreamDeckHost> {
  const entry = join(pluginDir, "bin", "plugin.js");
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" first`);
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  const inbox = new Arrivals<HostMessage>();
  let plugin: WebSocket | undefined;
  const toPlugin = (message: object) => plugin?.send(JSON.stringify(message));
  const payload = (settings: Record<string, unknown>) => ({ controller: "Keypad", isInMultiAction: false, coordinates: { column: 0, row: 0 }, state: 0, settings });

  server.on("connection", (socket) => {
    plugin = socket;
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as HostMessage["message"];
      if (message.event === "getGlobalSettings") {
        toPlugin({ event: "didReceiveGlobalSettings", ...(message.id ? { id: message.id } : {}), payload: { settings: globalSettings } });
      }
      inbox.push({ wallAt: Date.now(), message });
    });
  });
  const child: ChildProcess = spawn(
    process.execPath,
    [entry, "-port", String(port), "-pluginUUID", PLUGIN_UUID, "-registerEvent", "registerPlugin", "-info", JSON.stringify(INFO)],
    { cwd: pluginDir, stdio: ["ignore", "ignore", "ignore"] },
  );
  const exited = once(child, "exit");

  const host: StreamDeckHost = {
    inbox: inbox.items,
    appear(context, action, settings) {
      toPlugin({ event: "willAppear", action, context, device: DEVICE, payload: payload(settings) });
    },
    press(context, action, settings) {
      toPlugin({ event: "keyDown", action, context, device: DEVICE, payload: payload(settings) });
      toPlugin({ event: "keyUp", action, context, device: DEVICE, payload: payload(settings) });
    },
    waitFor(match, { after = 0, timeoutMs = 10_000, what = "a message from the plugin" } = {}) {
      return inbox.waitFor((entry) => entry.wallAt >= after && match(entry.message), { timeoutMs, what });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      for (const socket of server.clients) socket.terminate();
      server.close();
    },
  };
  await host.waitFor((message) => message.event === "registerPlugin", { what: "the plugin to register", timeoutMs: 15_000 }).catch(async (error) => {
    await host.stop();
    throw error;
  });
  return host;
}
