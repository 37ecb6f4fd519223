// A stand-in for the Stream Deck app: a WebSocket server speaking the app's protocol, which starts the
// built plugin the way the app does (cwd = the .sdPlugin folder, -port/-pluginUUID/-registerEvent/-info),
// shows it keys and presses, records when every message from it arrived, and can also host a property
// inspector page, passing messages between the two like the app.

import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { WebSocketServer, type WebSocket } from "ws";
import { now } from "./clock.js";

export const PLUGIN_DIR = fileURLToPath(new URL("../com.relay.sdPlugin", import.meta.url));
export const PLUGIN_ENTRY = `${PLUGIN_DIR}/bin/plugin.js`;
export const PLUGIN_UUID = "com.relay";
export const DEVICE = "DEV1";

/** One message the plugin sent, with when it arrived. */
export interface Received {
  /** now() at arrival. */
  at: number;
  /** Date.now() at arrival, to compare with the bridge's own timestamps. */
  wallAt: number;
  message: { event: string; context?: string; id?: string; payload?: any; [key: string]: unknown };
}

export interface StreamDeckHost {
  port: number;
  /** Every message the plugin sent so far. */
  inbox: Received[];
  /** What the plugin printed (stdout and stderr). */
  output(): string;
  /** Global settings as the app stores them. */
  globalSettings: Record<string, unknown>;
  /** Sends a message to the plugin. */
  send(message: object): void;
  /** Resolves with the first message (from `after` on) that `match` accepts. */
  waitFor(match: (message: Received["message"]) => boolean, options?: { after?: number; timeoutMs?: number; what?: string }): Promise<Received>;
  appear(context: string, action: string, settings?: Record<string, unknown>): void;
  disappear(context: string, action: string): void;
  keyDown(context: string, action: string, settings?: Record<string, unknown>): void;
  keyUp(context: string, action: string, settings?: Record<string, unknown>): void;
  /** A key press: keyDown then keyUp. */
  press(context: string, action: string, settings?: Record<string, unknown>): void;
  /** As when the user saves global settings in an inspector: stored and forwarded to the plugin. */
  changeGlobalSettings(settings: Record<string, unknown>): void;
  /** Accepts the next connection as a property inspector for `context` (see connectInspector). */
  expectInspector(context: string, action: string): Promise<void>;
  /** The settings the app holds for `context` (saved by the plugin or an inspector). */
  settingsOf(context: string): Record<string, unknown> | undefined;
  /** The last image the plugin set on `context`, decoded to SVG text. */
  lastImage(context: string): string | undefined;
  /** The plugin's process id. */
  pid: number | undefined;
  /** The app gone (quit or crashed): its sockets closed and its port shut, the plugin left running. */
  closeApp(): Promise<void>;
  /** Resolves when the plugin's process has ended. */
  exited: Promise<unknown>;
  /** Ends the plugin (SIGTERM unless told otherwise; SIGKILL is a crash) and closes the host. */
  stop(options?: { signal?: NodeJS.Signals }): Promise<void>;
}

export interface StreamDeckHostOptions {
  globalSettings?: Record<string, unknown>;
  /** The .sdPlugin folder to run (default: the repository's com.relay.sdPlugin). */
  pluginDir?: string;
  /** Extra environment for the plugin (the app passes its own environment on). */
  env?: Record<string, string>;
  /** The app's language in the registration info (default "en"). */
  language?: string;
}

/** The registration info the app passes with -info (also what it hands an inspector page). */
export const INFO = {
  application: { font: "Arial", language: "en", platform: "mac", platformVersion: "14.0", version: "6.9.0.0" },
  colors: {
    buttonMouseOverBackgroundColor: "#464646FF",
    buttonPressedBackgroundColor: "#303030FF",
    buttonPressedBorderColor: "#646464FF",
    buttonPressedTextColor: "#969696FF",
    highlightColor: "#0078FFFF",
  },
  devicePixelRatio: 2,
  devices: [{ id: DEVICE, name: "Stream Deck", size: { columns: 5, rows: 3 }, type: 0 }],
  plugin: { uuid: PLUGIN_UUID, version: "0.1.0.0" },
};

/** Starts the host and the plugin; resolves once the plugin has registered. */
export async function startStreamDeckHost(options: StreamDeckHostOptions = {}): Promise<StreamDeckHost> {
  const pluginDir = options.pluginDir ?? PLUGIN_DIR;
  const entry = join(pluginDir, "bin", "plugin.js");
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" first`);
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  const inbox: Received[] = [];
  const waiters = new Set<() => void>();
  const globalSettings: Record<string, unknown> = { ...options.globalSettings };
  const actionSettings = new Map<string, Record<string, unknown>>();
  const inspectors = new Map<string, { action: string; socket: WebSocket }>();
  let pendingInspector: { context: string; action: string; resolve: () => void } | undefined;
  let plugin: WebSocket | undefined;
  let output = "";

  const toPlugin = (message: object) => plugin?.send(JSON.stringify(message));
  const payloadFor = (context: string, settings?: Record<string, unknown>) => ({
    controller: "Keypad",
    isInMultiAction: false,
    coordinates: { column: 0, row: 0 },
    resources: {},
    state: 0,
    settings: settings ?? actionSettings.get(context) ?? {},
  });

  const fromPlugin = (message: Received["message"]) => {
    inbox.push({ at: now(), wallAt: Date.now(), message });
    if (message.event === "getGlobalSettings") {
      toPlugin({ event: "didReceiveGlobalSettings", ...(message.id ? { id: message.id } : {}), payload: { settings: globalSettings } });
    } else if (message.event === "setGlobalSettings") {
      replace(globalSettings, message.payload ?? {});
    } else if (message.event === "setSettings" && message.context) {
      actionSettings.set(message.context, message.payload ?? {});
    } else if (message.event === "sendToPropertyInspector" && message.context) {
      const inspector = inspectors.get(message.context);
      inspector?.socket.send(JSON.stringify({ event: "sendToPropertyInspector", action: inspector.action, context: message.context, payload: message.payload }));
    }
    for (const wake of [...waiters]) wake();
  };

  const fromInspector = (context: string, action: string, socket: WebSocket, message: Received["message"]) => {
    if (message.event === "setSettings") {
      actionSettings.set(context, message.payload ?? {});
      toPlugin({ event: "didReceiveSettings", action, context, device: DEVICE, payload: payloadFor(context) });
    } else if (message.event === "setGlobalSettings") {
      replace(globalSettings, message.payload ?? {});
      toPlugin({ event: "didReceiveGlobalSettings", payload: { settings: globalSettings } });
    } else if (message.event === "getGlobalSettings") {
      socket.send(JSON.stringify({ event: "didReceiveGlobalSettings", payload: { settings: globalSettings } }));
    } else if (message.event === "getSettings") {
      socket.send(JSON.stringify({ event: "didReceiveSettings", action, context, device: DEVICE, payload: payloadFor(context) }));
    } else if (message.event === "sendToPlugin") {
      toPlugin({ event: "sendToPlugin", action, context, payload: message.payload });
    } else if (message.event === "openUrl") {
      // The app opens the address; the inbox keeps it, marked as the inspector's.
      inbox.push({ at: now(), wallAt: Date.now(), message: { ...message, fromInspector: context } });
      for (const wake of [...waiters]) wake();
    }
  };

  server.on("connection", (socket) => {
    socket.once("message", (first) => {
      const hello = JSON.parse(String(first)) as Received["message"];
      if (hello.event === "registerPlugin") {
        plugin = socket;
        inbox.push({ at: now(), wallAt: Date.now(), message: hello });
        socket.on("message", (data) => fromPlugin(JSON.parse(String(data))));
      } else if (hello.event === "registerPropertyInspector" && pendingInspector) {
        const { context, action, resolve } = pendingInspector;
        pendingInspector = undefined;
        inspectors.set(context, { action, socket });
        socket.on("message", (data) => fromInspector(context, action, socket, JSON.parse(String(data))));
        toPlugin({ event: "propertyInspectorDidAppear", action, context, device: DEVICE });
        resolve();
      }
      for (const wake of [...waiters]) wake();
    });
  });

  // A plugin under test never reaches the user's own config: without RELAY_CONFIG it gets a throw-away one.
  const env = { RELAY_CONFIG: join(tmpdir(), `relay-fake-host-${process.pid}-${port}`, "config.json"), ...options.env };
  const child: ChildProcess = spawn(
    process.execPath,
    [entry, "-port", String(port), "-pluginUUID", PLUGIN_UUID, "-registerEvent", "registerPlugin", "-info", JSON.stringify({ ...INFO, application: { ...INFO.application, language: options.language ?? INFO.application.language } })],
    { cwd: pluginDir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } },
  );
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, "exit");

  const host: StreamDeckHost = {
    port,
    inbox,
    globalSettings,
    output: () => output,
    send: toPlugin,
    waitFor(match, { after = 0, timeoutMs = 10_000, what = "a message from the plugin" } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = inbox.find((entry) => entry.at >= after && match(entry.message));
          if (!found) return;
          cleanup();
          resolve(found);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. Plugin output:\n${output.slice(-2000)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    appear(context, action, settings) {
      if (settings) actionSettings.set(context, settings);
      toPlugin({ event: "willAppear", action, context, device: DEVICE, payload: payloadFor(context) });
    },
    disappear(context, action) {
      toPlugin({ event: "willDisappear", action, context, device: DEVICE, payload: payloadFor(context) });
    },
    keyDown(context, action, settings) {
      toPlugin({ event: "keyDown", action, context, device: DEVICE, payload: payloadFor(context, settings) });
    },
    keyUp(context, action, settings) {
      toPlugin({ event: "keyUp", action, context, device: DEVICE, payload: payloadFor(context, settings) });
    },
    press(context, action, settings) {
      host.keyDown(context, action, settings);
      host.keyUp(context, action, settings);
    },
    changeGlobalSettings(settings) {
      replace(globalSettings, settings);
      toPlugin({ event: "didReceiveGlobalSettings", payload: { settings: globalSettings } });
    },
    expectInspector(context, action) {
      return new Promise((resolve) => {
        pendingInspector = { context, action, resolve };
      });
    },
    settingsOf(context) {
      return actionSettings.get(context);
    },
    lastImage(context) {
      const last = inbox.findLast((entry) => entry.message.event === "setImage" && entry.message.context === context);
      return last ? decodeImage(last.message.payload?.image) : undefined;
    },
    pid: child.pid,
    exited,
    async closeApp() {
      for (const socket of server.clients) socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async stop({ signal = "SIGTERM" } = {}) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
      for (const socket of server.clients) socket.terminate();
      server.close();
    },
  };

  await host.waitFor((message) => message.event === "registerPlugin", { what: "the plugin to register" }).catch(async (error) => {
    await host.stop();
    throw error;
  });
  return host;
}

/** SVG text of a `data:image/svg+xml,…` image (URL-encoded or base64). */
export function decodeImage(image: unknown): string | undefined {
  if (typeof image !== "string") return undefined;
  const base64 = /^data:image\/svg\+xml;base64,(.*)$/s.exec(image);
  if (base64) return Buffer.from(base64[1]!, "base64").toString("utf8");
  const plain = /^data:image\/svg\+xml(?:;[^,]*)?,(.*)$/s.exec(image);
  return plain ? decodeURIComponent(plain[1]!) : undefined;
}

/** The `<title>` of a key image's SVG: what the key says, in words. */
export function imageTitle(svg: string | undefined): string | undefined {
  const match = svg ? /<title>(.*?)<\/title>/s.exec(svg) : null;
  return match ? match[1]!.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, "&") : undefined;
}

/** The title of a `data:image/svg+xml,…` key image as the plugin sends it. */
export function keyImageTitle(image: unknown): string | undefined {
  return imageTitle(decodeImage(image));
}

function replace(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, source);
}
