// `com.relay.ingest` ("OBS input"): shows OBS's own state and whether it sends into Relay; a press starts
// or stops OBS's stream when OBS is linked to the bridge, or opens the status page (the key's choice).

import { action, SingletonAction, type KeyDownEvent, type WillAppearEvent, type WillDisappearEvent } from "@elgato/streamdeck";
import type { KeyPainter } from "../key-painter.js";
import type { BridgeCommands } from "../bridge-client.js";
import type { IngestSettings } from "../settings.js";
import type { KeyFeedback, WarnLog } from "./key-feedback.js";
import { pressIngest } from "./ingest-press.js";

/** Thin adapter from SDK events to the painter and the press handler (supplied by the composition root). */
@action({ UUID: "com.relay.ingest" })
export class IngestAction extends SingletonAction<IngestSettings> {
  readonly #painter: KeyPainter;
  readonly #client: BridgeCommands;
  readonly #openStatusPage: (key: KeyFeedback) => Promise<void>;
  readonly #warn: WarnLog;

  constructor(painter: KeyPainter, client: BridgeCommands, openStatusPage: (key: KeyFeedback) => Promise<void>, warn: WarnLog) {
    super();
    this.#painter = painter;
    this.#client = client;
    this.#openStatusPage = openStatusPage;
    this.#warn = warn;
  }

  override onWillAppear(ev: WillAppearEvent<IngestSettings>): void {
    if (ev.action.isKey()) this.#painter.show(ev.action, { kind: "ingest" });
  }

  override onWillDisappear(ev: WillDisappearEvent<IngestSettings>): void {
    this.#painter.hide(ev.action.id);
  }

  override onKeyDown(ev: KeyDownEvent<IngestSettings>): Promise<void> {
    return pressIngest(this.#client, ev.action, ev.payload.settings, this.#openStatusPage, this.#warn);
  }
}
