// The status page's composition root: connects to the bridge, keeps the latest status and redraws
// the panels from it. Every other page module is imported without side effects.

import { commandAll } from "../client/all-destinations.js";
import { apiPaths, type DestinationInput, type DestinationPatch, type DestinationView, type HistoryView, type StatusView } from "../contract/api.js";
import { ApiClient, ApiRequestError } from "./api-client.js";
import { mountDestinationDialog } from "./destination-dialog.js";
import { mountDestinationList } from "./destination-list.js";
import { fitToPlatform } from "./fit-quality.js";
import { setAttr, setText } from "./dom.js";
import { stateLabel } from "./describe.js";
import { mountIngestPanel } from "./ingest-panel.js";
import { mountLanguageSwitch } from "./language-switch.js";
import { choosePageLanguage, errorMessage, pageLang, setPageLanguage, storedLanguage, storeLanguage, tr, translatePage } from "./page-language.js";
import { mountPortsForm } from "./ports-form.js";
import { mountObsPanel } from "./obs-panel.js";
import { mountServicesPanel, type ServiceName } from "./services-panel.js";
import { INGEST_SERIES, recordSamples } from "./sparkline.js";
import { askForToken } from "./token-gate.js";
import { loadToken, saveToken } from "./token-store.js";
import { mountUploadPanel } from "./upload-panel.js";
import { mountAlertsPanel } from "./alerts-panel.js";
import { showConfigProblems } from "./config-banner.js";
import { mountSummary } from "./summary-panel.js";

const RECONNECT_MS = 2000;
const SAMPLE_MS = 1000;
/** How often the page asks the bridge whether it still answers, and how long an answer may take. */
const HEALTH_EVERY_MS = 2000;
const HEALTH_TIMEOUT_MS = 2500;

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

// The language first: every module below draws its texts in it.
setPageLanguage(choosePageLanguage(storedLanguage(), navigator.languages ?? [navigator.language]));
document.documentElement.lang = pageLang();
translatePage(document);
mountLanguageSwitch(byId("language"), pageLang(), (lang) => {
  storeLanguage(lang);
  window.location.reload();
});

let token = loadToken();
const client = new ApiClient(() => token);
let status: StatusView | undefined;
let samples = new Map<string, number[]>();
/** The bridge's own history of every series (graphs survive a reload), read again every HISTORY_MS. */
let history: HistoryView | undefined;
const HISTORY_MS = 5000;
/** When the bridge stopped answering (ms), or null while it answers. */
let downSince: number | null = null;
/** The last moment the page heard from the bridge: what it shows is from then. */
let lastHeard = Date.now();
let events: EventSource | undefined;

const notice = byId<HTMLElement>("notice");
const announcer = byId<HTMLElement>("announcer");
const connection = byId<HTMLElement>("connection");
const forgetToken = byId<HTMLButtonElement>("forget-token");

/** Shows a failure that belongs to no card. */
function showNotice(message: string): void {
  setText(notice, message);
  notice.hidden = message === "";
}

/**
 * The bridge stopped answering (its event stream broke, or it did not answer in time): the page
 * says since when, freezes what it shows at that moment and disables what would need the bridge.
 */
function markDown(since: number): void {
  if (downSince !== null) return;
  downSince = since;
  list.setStale(true);
  summary.setStale(since);
  document.body.setAttribute("data-stale", "true");
  render();
}

/** It answers again: everything shown is live again. */
function markUp(): void {
  lastHeard = Date.now();
  if (downSince === null) return;
  downSince = null;
  list.setStale(false);
  summary.setStale(null);
  document.body.removeAttribute("data-stale");
  render();
}

function setConnection(state: "connecting" | "live" | "reconnecting" | "down", detail = ""): void {
  setAttr(connection, "data-state", state);
  const words = { connecting: tr("page.connecting"), live: tr("page.connection.live"), reconnecting: tr("page.connection.reconnecting"), down: tr("page.connection.down") };
  setText(connection, detail ? tr("page.connection.detail", { state: words[state], detail }) : words[state]);
}

/** Replaces one destination in the current status with the view an action answered. */
function applyView(view: DestinationView): void {
  if (!status) return;
  status = { ...status, destinations: status.destinations.map((current) => (current.id === view.id ? view : current)) };
  render();
}

const dialog = mountDestinationDialog(byId<HTMLDialogElement>("destination-dialog"), {
  async create(input: DestinationInput) {
    await client.post(apiPaths.destinations, input);
  },
  async update(id: string, patch: DestinationPatch) {
    applyView(await client.request<DestinationView>(apiPaths.destination(id), { method: "PATCH", body: patch }));
  },
});

/** Runs a card action and shows its failure on the card. */
async function onCard(id: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const message = errorMessage(error);
    const card = list.card(id);
    if (card) card.showProblem(message);
    else showNotice(message);
  }
}

const list = mountDestinationList(byId("destinations"), byId("no-destinations"), {
  setEnabled: (id, enabled) =>
    onCard(id, async () => applyView(await client.post<DestinationView>(apiPaths.action(id, enabled ? "start" : "stop")))),
  retry: (id) => onCard(id, async () => applyView(await client.post<DestinationView>(`${apiPaths.destination(id)}/retry`))),
  edit: (view) => dialog.openEdit(view),
  remove: (view) =>
    onCard(view.id, async () => {
      if (!window.confirm(tr("page.card.confirmDelete", { name: view.name }))) return;
      await client.request(apiPaths.destination(view.id), { method: "DELETE" });
      // Gone: its card stops reading the log now, not when the next status removes it.
      list.card(view.id)?.dispose();
    }),
  readLog: async (id) => (await client.get<{ lines: string[] }>(`${apiPaths.destination(id)}/log`)).lines,
  fitFor: (view) => (status ? fitToPlatform(view, status.ingest) : null),
  fit: (view) =>
    onCard(view.id, async () => {
      const fitting = status ? fitToPlatform(view, status.ingest) : null;
      if (fitting) applyView(await client.request<DestinationView>(apiPaths.destination(view.id), { method: "PATCH", body: fitting.patch }));
    }),
});

const summary = mountSummary(byId("summary"), {
  statusNow: () => status,
  async all(verb) {
    const outcome = await commandAll(
      { listDestinations: () => client.get<DestinationView[]>(apiPaths.destinations), command: (id, what) => client.post(apiPaths.action(id, what)) },
      [],
      verb,
    );
    if (outcome.kind === "unlisted") throw outcome.error;
    if (outcome.kind === "failed") showNotice(tr("page.summary.allFailed", { verb: tr(verb === "start" ? "page.summary.goLiveAll" : "page.summary.stopAll"), failures: outcome.failures.join("; ") }));
  },
  async retry(ids) {
    await Promise.allSettled(ids.map((id) => onCard(id, async () => applyView(await client.post<DestinationView>(`${apiPaths.destination(id)}/retry`)))));
  },
  showNotice,
});

const ingest = mountIngestPanel(byId("ingest"));
const ports = mountPortsForm(document.querySelector<HTMLFormElement>("form.ports")!, client);
const obsPanel = mountObsPanel(byId("ingest").querySelector<HTMLElement>(".obs")!, client, showNotice);
const upload = mountUploadPanel(byId("upload"), async (kbps) => void (await client.request(apiPaths.settings, { method: "PATCH", body: { uplink: { kbps } } })));
const alertsPanel = mountAlertsPanel(byId("alerts"), client);
const services = mountServicesPanel(byId("services"), async (name: ServiceName) => {
  try {
    showNotice("");
    await client.post(`/api/services/${name}/restart`);
  } catch (error) {
    showNotice(tr("page.services.restartFailed", { name, message: errorMessage(error) }));
  }
});

function render(): void {
  if (!status) {
    summary.update(undefined, downSince !== null);
    return;
  }
  // While the bridge is gone, the clocks stop where it was last heard: nothing counts on as if alive.
  const now = downSince ?? Date.now();
  ingest.update(status.ingest, samples.get(INGEST_SERIES) ?? [], now, status.obs?.connected ? status.obs.outputMode : undefined);
  obsPanel.update(status.obs);
  list.update(status.destinations, (id) => ({ series: history?.destinations[id], spanMs: history?.spanMs ?? 30 * 60_000 }), now);
  services.update(status.services);
  dialog.showEncoders(status.services.ffmpeg?.encoders);
  upload.update(status);
  showConfigProblems(byId("config-problems"), status.config, tr("page.config.invalid"));
  setText(byId("version"), tr("page.version", { version: status.version }));
  summary.update(status, downSince !== null);
  byId<HTMLElement>("main").setAttribute("aria-busy", "false");
}

/** Says state changes out loud for screen readers (a key press on the desk changes the page too). */
function announceChanges(previous: StatusView | undefined, next: StatusView): void {
  if (!previous) return;
  const before = new Map(previous.destinations.map((destination) => [destination.id, destination.state]));
  const changes = next.destinations
    .filter((destination) => before.has(destination.id) && before.get(destination.id) !== destination.state)
    .map((destination) => `${destination.name}: ${stateLabel(destination.state, pageLang())}`);
  if (previous.ingest.live !== next.ingest.live) changes.unshift(tr(next.ingest.live ? "page.announce.obsLive" : "page.announce.obsStopped"));
  if (previous.obs?.reconnecting !== next.obs?.reconnecting && next.obs?.reconnecting) changes.unshift(tr("page.announce.obsReconnecting"));
  if (changes.length > 0) setText(announcer, changes.join(". "));
}

function onStatus(next: StatusView): void {
  announceChanges(status, next);
  summary.follow(next.destinations);
  status = next;
  setConnection("live");
  markUp();
  render();
}

async function connect(): Promise<void> {
  setConnection(status ? "reconnecting" : "connecting");
  try {
    onStatus(await client.get<StatusView>(apiPaths.status));
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 401) {
      token = await askForToken(byId("token-gate"), tr(token ? "page.token.refused" : "page.token.needed"));
      saveToken(token);
      forgetToken.hidden = false;
      return connect();
    }
    setConnection("down", errorMessage(error));
    if (status) markDown(lastHeard);
    setTimeout(connect, RECONNECT_MS);
    return;
  }
  void ports.load().catch(() => undefined);
  void alertsPanel.load().catch(() => undefined);
  const source = client.events(onStatus);
  events = source;
  source.addEventListener("open", () => {
    setConnection("live");
    markUp();
  });
  source.addEventListener("error", () => {
    markDown(lastHeard);
    if (source.readyState !== EventSource.CLOSED) {
      setConnection("reconnecting");
      return;
    }
    // Closed for good (e.g. refused token): find out why with a plain request.
    source.close();
    setTimeout(connect, RECONNECT_MS);
  });
}

forgetToken.hidden = token === "";
forgetToken.addEventListener("click", () => {
  saveToken("");
  window.location.reload();
});
byId<HTMLButtonElement>("add-destination").addEventListener("click", () => dialog.openAdd());

// A bridge that hangs keeps its event stream open and silent: a small request on a clock tells.
setInterval(async () => {
  if (!status) return;
  try {
    await client.request(apiPaths.health, { timeoutMs: HEALTH_TIMEOUT_MS });
    // Back only with the event stream open: the status shown must be fresh, not just the health.
    if (events?.readyState === EventSource.OPEN) markUp();
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 401) return;
    markDown(lastHeard);
    setConnection("reconnecting");
  }
}, HEALTH_EVERY_MS);

// Samples are taken on a clock, not per event, so the sparkline's time axis is even.
setInterval(() => {
  if (!status || downSince !== null) return;
  samples = recordSamples(samples, status);
  render();
}, SAMPLE_MS);

async function loadHistory(): Promise<void> {
  try {
    history = await client.get<HistoryView>(apiPaths.history);
    render();
  } catch {
    // The bridge is away: the graphs keep what they had, the connection line says why.
  }
}
void loadHistory();
setInterval(() => void loadHistory(), HISTORY_MS);

void connect();
