// `com.relay.ingest`: shows whether OBS is sending into Relay; a press opens the bridge's status page.

import { action, SingletonAction, type KeyDownEvent, type WillAppearEvent, type WillDisappearEvent } from "@elgato/streamdeck";
import type { KeyPainter } from "../key-painter.js";
import type { KeyFeedback } from "./key-feedback.js";

/** Thin adapter from SDK events to the painter; `openStatusPage` is supplied by the composition root. */
@action({ UUID: "com.relay.ingest" })
export class IngestAction extends SingletonAction {
  readonly #painter: KeyPainter;
  readonly #openStatusPage: (key: KeyFeedback) => Promise<void>;

  constructor(painter: KeyPainter, openStatusPage: (key: KeyFeedback) => Promise<void>) {
    super();
    this.#painter = painter;
    this.#openStatusPage = openStatusPage;
  }

  override onWillAppear(ev: WillAppearEvent): void {
    if (ev.action.isKey()) this.#painter.show(ev.action, { kind: "ingest" });
  }

  override onWillDisappear(ev: WillDisappearEvent): void {
    this.#painter.hide(ev.action.id);
  }

  override onKeyDown(ev: KeyDownEvent): Promise<void> {
    return this.#openStatusPage(ev.action);
  }
}
