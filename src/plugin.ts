// The plugin's composition root: the one place that connects the SDK, the bridge client, the key
// painter, the press handlers and the property inspector feed. Every other module is side-effect free.

import streamDeck from "@elgato/streamdeck";
import { AllAction } from "./actions/all-action.js";
import { DestinationAction } from "./actions/destination-action.js";
import { DestinationPresses } from "./actions/destination-press.js";
import { IngestAction } from "./actions/ingest-action.js";
import type { KeyFeedback } from "./actions/key-feedback.js";
import { BridgeClient } from "./bridge-client.js";
import { asksForDestinations, InspectorFeed } from "./inspector.js";
import { KeyPainter } from "./key-painter.js";
import { bridgeConnection, type BridgeConnection, type GlobalSettings } from "./settings.js";

const log = streamDeck.logger.createScope("relay");
const warn = (message: string) => log.warn(message);

const client = new BridgeClient();
const painter = new KeyPainter({ snapshot: () => client.snapshot(), onError: (error) => log.warn(`Could not send a key image: ${String(error)}`) });
const presses = new DestinationPresses({ client, warn });
const inspector = new InspectorFeed((message) => streamDeck.ui.sendToPropertyInspector(message));
let connection: BridgeConnection = bridgeConnection(undefined);

let wasReachable: boolean | undefined;
client.onChange((snapshot) => {
  painter.refresh(snapshot);
  inspector.update(snapshot).catch((error: unknown) => log.debug(`Inspector update not sent: ${String(error)}`));
  if (snapshot.reachable !== wasReachable) {
    wasReachable = snapshot.reachable;
    if (snapshot.reachable) log.info(`Bridge reachable at ${connection.ok ? connection.baseUrl : "?"}`);
    else log.warn(`Bridge not reachable: ${snapshot.problem ?? "unknown reason"}`);
  }
});

function applyGlobalSettings(settings: GlobalSettings | undefined): void {
  connection = bridgeConnection(settings);
  client.configure(connection);
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
  if (!asksForDestinations(ev.payload)) return;
  try {
    if (ev.payload.isRefresh === true) {
      // The inspector may just have saved a new address or token: read them back before answering.
      applyGlobalSettings(await streamDeck.settings.getGlobalSettings<GlobalSettings>());
      client.reconnectSoon();
    }
    await inspector.answer(client.snapshot());
  } catch (error) {
    log.warn(`Could not answer the property inspector: ${String(error)}`);
  }
});

await streamDeck.connect();
applyGlobalSettings(await streamDeck.settings.getGlobalSettings<GlobalSettings>());
