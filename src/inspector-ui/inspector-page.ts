// Property inspector for Relay's keys, built into com.relay.sdPlugin/ui/inspector.js. The Stream Deck
// app loads the page and calls connectElgatoStreamDeckSocket(); every field present in the page is
// wired up, so one script serves the three actions. No framework and no CDN: the app may be offline.
// Texts follow the app's language (its registration info), English by default.

import { languageOf, t, tn, type Lang, type MessageId, type MessageParams } from "../../presentation/i18n/translate.js";
import { translateStaticTexts } from "../../presentation/i18n/static-texts.js";
import type { InspectorItem, LocalBridgeView } from "../inspector.js";
import type { SettingsView } from "../../contract/api.js";

const DEFAULT_BRIDGE_URL = "http://127.0.0.1:8787";
const DESTINATIONS_EVENT = "getDestinations";
const PROGRAM_PATH_EVENT = "setProgramPath";
const PROGRAMS = [
  ["nginx", "inspector.program.nginx", "inspector.program.nginx.role"],
  ["ffmpeg", "inspector.program.ffmpeg", "inspector.program.ffmpeg.role"],
  ["stunnel", "inspector.program.stunnel", "inspector.program.stunnel.role"],
] as const;

type Settings = { destination?: unknown; destinations?: unknown; press?: unknown };
type GlobalSettings = { bridgeUrl?: unknown; token?: unknown; runBridge?: unknown };
/** What the plugin last said (see src/inspector.ts), as this page keeps it. */
type PluginView = {
  items: InspectorItem[];
  reachable: boolean;
  connecting: boolean;
  problem: string | null;
  local: LocalBridgeView | null;
  setup: SettingsView | null;
  statusPage: string | null;
};

let lang: Lang = "en";
let socket: WebSocket | null = null;
let context = "";
let actionUuid = "";
let settings: Settings = {};
let globalSettings: GlobalSettings = {};
let lastMessage: PluginView | null = null;

const tr = (id: MessageId, params?: MessageParams) => t(lang, id, params);
const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T | null;
const fields = {
  bridgeUrl: byId<HTMLInputElement>("bridgeUrl"),
  token: byId<HTMLInputElement>("token"),
  showToken: byId<HTMLButtonElement>("showToken"),
  destination: byId<HTMLSelectElement>("destination"),
  destinations: byId<HTMLElement>("destinations"),
  press: byId<HTMLSelectElement>("press"),
  status: byId<HTMLElement>("status"),
  refresh: byId<HTMLButtonElement>("refresh"),
  runBridge: byId<HTMLInputElement>("runBridge"),
  setup: byId<HTMLElement>("setup"),
};
/** The last answer to a program path saved from this page, shown under that program. */
const pathResults: Record<string, { ok: boolean; message: string }> = {};

function send(event: string, extra: object): void {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ event, ...extra }));
}

function saveSettings(): void {
  send("setSettings", { context, payload: settings });
}

function saveGlobalSettings(): void {
  send("setGlobalSettings", { context, payload: globalSettings });
  // The plugin rereads global settings on a refresh, whether or not the app forwards the change.
  askForDestinations(true);
}

function askForDestinations(isRefresh: boolean): void {
  send("sendToPlugin", { action: actionUuid, context, payload: isRefresh ? { event: DESTINATIONS_EVENT, isRefresh: true } : { event: DESTINATIONS_EVENT } });
}

function showStatus(message: PluginView | null): void {
  const status = fields.status;
  if (!status) return;
  if (!message || message.connecting) {
    status.dataset.state = "pending";
    status.textContent = tr("inspector.status.looking");
  } else if (message.reachable) {
    status.dataset.state = "ok";
    status.textContent = tn(lang, "inspector.status.connected", message.items.length);
  } else {
    status.dataset.state = "error";
    status.textContent = tr("inspector.status.unreachable", { problem: message.problem ?? "" }).trim();
  }
}

function option(value: string, label: string, selected: boolean): HTMLOptionElement {
  const made = document.createElement("option");
  made.value = value;
  made.textContent = label;
  made.selected = selected;
  return made;
}

function fillDestinationSelect(): void {
  const select = fields.destination;
  if (!select) return;
  const items = lastMessage ? lastMessage.items : [];
  const chosen = typeof settings.destination === "string" ? settings.destination : "";
  const options = [option("", tr(items.length ? "inspector.choose" : "inspector.noDestinations"), chosen === "")];
  options[0]!.disabled = true;
  for (const item of items) options.push(option(item.value, item.label, item.value === chosen));
  if (chosen && !items.some((item) => item.value === chosen)) {
    options.push(option(chosen, lastMessage && lastMessage.reachable ? tr("inspector.notOnBridge", { id: chosen }) : chosen, true));
  }
  select.replaceChildren(...options);
}

function fillDestinationChecks(): void {
  const list = fields.destinations;
  if (!list) return;
  const items = lastMessage ? lastMessage.items : [];
  const chosen = Array.isArray(settings.destinations) ? (settings.destinations as unknown[]) : [];
  const rows: HTMLElement[] = items.map((item) => {
    const row = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.value = item.value;
    box.checked = chosen.includes(item.value);
    box.addEventListener("change", () => {
      settings.destinations = Array.from(list.querySelectorAll<HTMLInputElement>("input:checked")).map((input) => input.value);
      saveSettings();
    });
    row.append(box, document.createTextNode(item.label));
    return row;
  });
  if (rows.length === 0) rows.push(element("span", "", tr("inspector.noDestinationsYet")));
  list.replaceChildren(...rows);
}

function fillFromSettings(): void {
  const press = fields.press;
  if (press) {
    // Each key's select lists its own choices; an unknown or absent one shows the first (the default).
    const choices = Array.from(press.options, (choice) => choice.value);
    press.value = typeof settings.press === "string" && choices.includes(settings.press) ? settings.press : (choices[0] ?? "");
  }
  fillDestinationSelect();
  fillDestinationChecks();
}

function fillFromGlobalSettings(): void {
  if (fields.bridgeUrl) fields.bridgeUrl.value = typeof globalSettings.bridgeUrl === "string" ? globalSettings.bridgeUrl : "";
  if (fields.token) fields.token.value = typeof globalSettings.token === "string" ? globalSettings.token : "";
  if (fields.runBridge) fields.runBridge.checked = !(globalSettings.runBridge === false || globalSettings.runBridge === "false");
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const made = document.createElement(tag);
  if (className) made.className = className;
  if (text !== undefined) made.textContent = text;
  return made;
}

/** Copies `text`: the clipboard API where the page may use it, else a selected text field. */
function copyText(text: string, button: HTMLButtonElement): void {
  const done = () => {
    button.textContent = tr("inspector.copied");
    setTimeout(() => (button.textContent = tr("inspector.copy")), 1500);
  };
  const fallback = () => {
    const area = document.createElement("textarea");
    area.value = text;
    document.body.append(area);
    area.select();
    try {
      document.execCommand("copy");
      done();
    } finally {
      area.remove();
    }
  };
  if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, fallback);
  else fallback();
}

/** A line with `text` in a code box and a Copy button. */
function copyLine(text: string, id?: string): HTMLElement {
  const line = element("div", "line");
  const code = element("code", "", text);
  if (id) code.id = id;
  const button = element("button", "", tr("inspector.copy"));
  button.type = "button";
  button.addEventListener("click", () => copyText(text, button));
  line.append(code, button);
  return line;
}

/** The first-run help: the bridge on this computer, each program (install command, path), OBS, the status page. */
let lastRendered = "";
function renderSetup(message: PluginView | null): void {
  const box = fields.setup;
  if (!box) return;
  // Redraw only on a change: a redraw would drop what is being typed in a path field.
  const key = JSON.stringify([message?.local, message?.setup, message?.statusPage, message?.reachable, pathResults]);
  if (key === lastRendered) return;
  lastRendered = key;
  const parts: HTMLElement[] = [];
  const local = message?.local;
  if (message && local && local.runHere) {
    parts.push(element("h3", "", tr("inspector.local.heading")));
    let state: HTMLElement;
    if (message.reachable) state = element("span", "ok", tr("inspector.local.running"));
    else if (local.problem) state = element("span", "missing", local.problem);
    else if (local.started) state = element("span", "", tr("inspector.local.starting"));
    else state = element("span", "", tr("inspector.local.notRunning"));
    const line = element("div", "line");
    line.append(state);
    parts.push(line);
    parts.push(element("div", "note", tr("inspector.local.config", { file: local.configFile })));
    parts.push(element("div", "note", tr("inspector.local.log", { file: local.logFile })));
  }
  const setup = message?.setup;
  if (setup && setup.binaries) {
    parts.push(element("h3", "", tr("inspector.programs.heading")));
    for (const [name, title, role] of PROGRAMS) {
      const program = setup.binaries[name];
      if (!program) continue;
      const head = element("div", "line");
      head.append(element("span", program.found ? "ok" : "missing", (program.found ? "✓ " : "✗ ") + tr(title)), element("span", "", " — " + tr(role)));
      parts.push(head);
      if (program.found) {
        parts.push(element("div", "note", program.found));
      } else {
        parts.push(element("div", "note", program.problem || tr("inspector.program.notFound")));
        parts.push(element("div", "note", tr("inspector.program.install")));
        parts.push(copyLine(program.install, "install-" + name));
      }
      const pathLine = element("div", "line");
      const input = document.createElement("input");
      input.type = "text";
      input.id = "path-" + name;
      input.spellcheck = false;
      input.placeholder = name === "nginx" ? tr("inspector.program.pathNginx") : tr("inspector.program.path", { name });
      input.value = program.configured || "";
      const save = element("button", "", tr("inspector.save"));
      save.type = "button";
      save.id = "save-" + name;
      save.addEventListener("click", () => {
        pathResults[name] = { ok: true, message: tr("inspector.program.checking") };
        send("sendToPlugin", { action: actionUuid, context, payload: { event: PROGRAM_PATH_EVENT, program: name, path: input.value.trim() } });
        renderSetup(lastMessage);
      });
      pathLine.append(input, save);
      parts.push(pathLine);
      const result = pathResults[name];
      if (result) {
        const note = element("div", "note " + (result.ok ? "ok" : "missing"), result.message);
        note.id = "result-" + name;
        parts.push(note);
      }
    }
  }
  if (setup && setup.obs) {
    parts.push(element("h3", "", tr("inspector.obs.heading")));
    parts.push(element("div", "note", tr("inspector.obs.server")));
    parts.push(copyLine(setup.obs.server, "obs-server"));
    if (setup.obs.keyRequired) {
      const note = element("div", "note", tr("inspector.obs.keyRequired"));
      note.id = "obs-key";
      parts.push(note);
    } else {
      parts.push(element("div", "note", tr("inspector.obs.keyAny")));
      // The same example as the status page gives.
      parts.push(copyLine("obs", "obs-key"));
    }
  }
  // Only a bridge that answers serves the page: without one the link would open an error.
  if (message && message.statusPage && message.reachable) {
    const statusPage = message.statusPage;
    const line = element("div", "line");
    const open = element("button", "", tr("inspector.openPage"));
    open.type = "button";
    open.id = "openStatusPage";
    open.addEventListener("click", () => send("openUrl", { payload: { url: statusPage } }));
    line.append(open);
    parts.push(line);
  }
  box.replaceChildren(...parts);
}

function wireFields(): void {
  const { bridgeUrl, token, showToken, destination, press, refresh, runBridge } = fields;
  if (bridgeUrl) {
    bridgeUrl.placeholder = DEFAULT_BRIDGE_URL;
    bridgeUrl.addEventListener("change", () => {
      globalSettings.bridgeUrl = bridgeUrl.value.trim();
      saveGlobalSettings();
    });
  }
  if (token) {
    token.addEventListener("change", () => {
      globalSettings.token = token.value.trim();
      saveGlobalSettings();
    });
  }
  if (showToken && token) {
    showToken.addEventListener("click", () => {
      const hidden = token.type === "password";
      token.type = hidden ? "text" : "password";
      showToken.textContent = tr(hidden ? "inspector.hide" : "inspector.show");
    });
  }
  if (destination) {
    destination.addEventListener("change", () => {
      settings.destination = destination.value;
      saveSettings();
    });
  }
  if (press) {
    press.addEventListener("change", () => {
      settings.press = press.value;
      saveSettings();
    });
  }
  if (refresh) refresh.addEventListener("click", () => askForDestinations(true));
  if (runBridge) {
    runBridge.addEventListener("change", () => {
      globalSettings.runBridge = runBridge.checked;
      saveGlobalSettings();
    });
  }
}

function onMessage(raw: MessageEvent<string>): void {
  let message: { event?: string; payload?: Record<string, any> };
  try {
    message = JSON.parse(raw.data);
  } catch {
    return;
  }
  const payload = message.payload;
  if (message.event === "didReceiveGlobalSettings") {
    globalSettings = (payload && payload.settings) || {};
    fillFromGlobalSettings();
  } else if (message.event === "didReceiveSettings") {
    settings = (payload && payload.settings) || {};
    fillFromSettings();
  } else if (message.event === "sendToPropertyInspector" && payload && payload.event === DESTINATIONS_EVENT) {
    lastMessage = {
      items: Array.isArray(payload.items) ? payload.items : [],
      reachable: payload.reachable === true,
      connecting: payload.connecting === true,
      problem: typeof payload.problem === "string" ? payload.problem : null,
      local: payload.local || null,
      setup: payload.setup || null,
      statusPage: typeof payload.statusPage === "string" ? payload.statusPage : null,
    };
    showStatus(lastMessage);
    fillDestinationSelect();
    fillDestinationChecks();
    renderSetup(lastMessage);
  } else if (message.event === "sendToPropertyInspector" && payload && payload.event === PROGRAM_PATH_EVENT) {
    pathResults[String(payload.program)] = { ok: payload.ok === true, message: String(payload.message || "") };
    renderSetup(lastMessage);
  }
}

/** The app's language from its registration info (a JSON string or an object), English when absent. */
function languageFromInfo(info: unknown): Lang {
  try {
    const parsed = (typeof info === "string" ? JSON.parse(info) : info) as { application?: { language?: unknown } } | null;
    const language = parsed?.application?.language;
    return languageOf(typeof language === "string" ? language : undefined);
  } catch {
    return "en";
  }
}

/** Called by the Stream Deck app once the page has loaded. */
(window as unknown as { connectElgatoStreamDeckSocket: unknown }).connectElgatoStreamDeckSocket = (
  port: number | string,
  uuid: string,
  registerEvent: string,
  info: unknown,
  actionInfo: unknown,
) => {
  lang = languageFromInfo(info);
  document.documentElement.lang = lang;
  translateStaticTexts(document, (id) => tr(id));
  context = uuid;
  try {
    const parsed = (typeof actionInfo === "string" ? JSON.parse(actionInfo) : actionInfo) as { action?: string; payload?: { settings?: Settings } } | null;
    actionUuid = (parsed && parsed.action) || "";
    settings = (parsed && parsed.payload && parsed.payload.settings) || {};
  } catch {
    settings = {};
  }
  fillFromSettings();
  showStatus(null);
  socket = new WebSocket("ws://127.0.0.1:" + port);
  socket.addEventListener("open", () => {
    send(registerEvent, { uuid });
    send("getGlobalSettings", { context: uuid });
    askForDestinations(false);
  });
  socket.addEventListener("message", onMessage);
};

wireFields();
