// The plugin's composition root: the one place that connects the SDK, the bridge client, the key
// painter, the press handlers and the property inspector feed. Every other module is side-effect free.

import { appPort, onAppSocketClose, watchAppGone } from "./app-gone.js";
import streamDeck from "@elgato/streamdeck";
import { AllAction } from "./actions/all-action.js";
import { DestinationAction } from "./actions/destination-action.js";
import { DestinationPresses } from "./actions/destination-press.js";
import { IngestAction } from "./actions/ingest-action.js";
import type { KeyFeedback } from "./actions/key-feedback.js";
import { BridgeClient } from "./bridge-client.js";
import { asksForDestinations, InspectorFeed, PROGRAM_PATH_EVENT, programPathRequest, type InspectorExtras } from "./inspector.js";
import type { SettingsView } from "../contract/api.js";
import { KeyPainter } from "./key-painter.js";
import { bridgeConnection, runBridgeHere, type BridgeConnection, type GlobalSettings } from "./settings.js";
import { BridgeLauncher } from "./bridge-launcher.js";
import { languageOf, t } from "../presentation/i18n/translate.js";

const log = streamDeck.logger.createScope("relay");
const warn = (message: string) => log.warn(message);

/** The Stream Deck app's language ("fr…" → French, else English): the keys speak it. */
const lang = languageOf(streamDeck.info.application?.language);
const client = new BridgeClient();
const painter = new KeyPainter({ snapshot: () => client.snapshot(), lang, onError: (error) => log.warn(`Could not send a key image: ${String(error)}`) });
const presses = new DestinationPresses({ client, warn });
let connection: BridgeConnection = bridgeConnection(undefined);
let runBridge = true;
/** The bridge's first-run view (programs, OBS server), refreshed when the inspector asks. */
let setup: SettingsView | null = null;
const launcher = new BridgeLauncher({
  log: (message) => log.info(message),
  onChange: () => void inspector.update(client.snapshot()).catch(() => undefined),
});
const extras = (): InspectorExtras => {
  const local = launcher.state();
  return {
    local: { runHere: runBridge, started: local.started, problem: local.problem ?? null, configFile: local.configFile, logFile: local.logFile },
    setup,
    statusPage: connection.ok ? `${connection.baseUrl}/` : null,
  };
};
type InspectorPayload = Parameters<typeof streamDeck.ui.sendToPropertyInspector>[0];
// The SDK types payloads as JSON values; the API views are plain JSON, typed as interfaces.
const inspector = new InspectorFeed((message) => streamDeck.ui.sendToPropertyInspector(message as unknown as InspectorPayload), extras);

/** Asks the bridge for its first-run view and passes it on to an open inspector. */
async function refreshSetup(): Promise<void> {
  try {
    setup = client.snapshot().reachable ? await client.settings() : null;
  } catch (error) {
    log.debug(`No settings from the bridge: ${String(error)}`);
    setup = null;
  }
  await inspector.update(client.snapshot());
}
/** Starts the bundled bridge when the settings ask for one here and none answers. */
const keepBridge = () => {
  launcher.ensure(connection.ok ? connection.baseUrl : undefined, runBridge).catch((error: unknown) => log.warn(`Could not start the bridge: ${String(error)}`));
};

let wasReachable: boolean | undefined;
let lastServices = "";
client.onChange((snapshot) => {
  // Programs found or lost show in the services: the first-run view follows them.
  const services = JSON.stringify(snapshot.status?.services ?? null);
  if (snapshot.reachable !== wasReachable || services !== lastServices) {
    lastServices = services;
    void refreshSetup();
  }
  painter.refresh(snapshot);
  inspector.update(snapshot).catch((error: unknown) => log.debug(`Inspector update not sent: ${String(error)}`));
  if (snapshot.reachable !== wasReachable) {
    wasReachable = snapshot.reachable;
    if (snapshot.reachable) log.info(`Bridge reachable at ${connection.ok ? connection.baseUrl : "?"}`);
    else log.warn(`Bridge not reachable: ${snapshot.problem ?? "unknown reason"}`);
  }
  if (!snapshot.reachable && !snapshot.connecting) keepBridge();
});

function applyGlobalSettings(settings: GlobalSettings | undefined): void {
  connection = bridgeConnection(settings);
  runBridge = runBridgeHere(settings);
  client.configure(connection);
  keepBridge();
}

async function openStatusPage(key: KeyFeedback): Promise<void> {
  if (!connection.ok) return key.showAlert();
  await streamDeck.system.openUrl(`${connection.baseUrl}/`);
}

streamDeck.actions.registerAction(new DestinationAction(painter, presses));
streamDeck.actions.registerAction(new IngestAction(painter, client, openStatusPage, warn));
streamDeck.actions.registerAction(new AllAction(painter, client, warn));

streamDeck.settings.onDidReceiveGlobalSettings<GlobalSettings>((ev) => applyGlobalSettings(ev.settings));
streamDeck.ui.onDidAppear(() => inspector.appeared());
streamDeck.ui.onDidDisappear(() => inspector.disappeared());
streamDeck.ui.onSendToPlugin(async (ev) => {
  const pathRequest = programPathRequest(ev.payload);
  if (pathRequest) {
    let answer: { ok: boolean; message: string };
    try {
      setup = await client.updateSettings({ binaries: { [pathRequest.program]: pathRequest.path } });
      answer = { ok: true, message: t(lang, pathRequest.path === "" ? "inspector.program.lookingOnPath" : "inspector.program.saved", { program: pathRequest.program }) };
    } catch (error) {
      answer = { ok: false, message: (error as Error).message };
    }
    await streamDeck.ui.sendToPropertyInspector({ event: PROGRAM_PATH_EVENT, program: pathRequest.program, ...answer }).catch(() => undefined);
    await inspector.update(client.snapshot()).catch(() => undefined);
    return;
  }
  if (!asksForDestinations(ev.payload)) return;
  try {
    if (ev.payload.isRefresh === true) {
      // The inspector may just have saved a new address or token: read them back before answering.
      applyGlobalSettings(await streamDeck.settings.getGlobalSettings<GlobalSettings>());
      client.reconnectSoon();
    }
    await refreshSetup();
    await inspector.answer(client.snapshot());
  } catch (error) {
    log.warn(`Could not answer the property inspector: ${String(error)}`);
  }
});

// The app gone for good (its socket closed, its port refusing): the plugin ends; its bridge goes on.
onAppSocketClose(() => {
  log.warn("The Stream Deck app closed its connection: the plugin ends once the app is gone");
  const goneMs = Number(process.env.RELAY_PLUGIN_APP_GONE_MS) || undefined;
  watchAppGone(appPort(process.argv), () => {
    log.info("The Stream Deck app is gone: the plugin ends (the bridge goes on)");
    setTimeout(() => process.exit(0), 200);
  }, goneMs);
});
await streamDeck.connect();
applyGlobalSettings(await streamDeck.settings.getGlobalSettings<GlobalSettings>());
