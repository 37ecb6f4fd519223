// `com.relay.destination`: one key per destination; shows its live state, press switches it.

import { action, SingletonAction, type DidReceiveSettingsEvent, type KeyDownEvent, type KeyUpEvent, type WillAppearEvent, type WillDisappearEvent } from "@elgato/streamdeck";
import type { KeyPainter } from "../key-painter.js";
import { destinationId, type DestinationSettings } from "../settings.js";
import type { DestinationPresses } from "./destination-press.js";

/** Thin adapter from SDK events to the painter and the press handler. */
@action({ UUID: "com.relay.destination" })
export class DestinationAction extends SingletonAction<DestinationSettings> {
  readonly #painter: KeyPainter;
  readonly #presses: DestinationPresses;

  constructor(painter: KeyPainter, presses: DestinationPresses) {
    super();
    this.#painter = painter;
    this.#presses = presses;
  }

  override onWillAppear(ev: WillAppearEvent<DestinationSettings>): void {
    if (ev.action.isKey()) this.#painter.show(ev.action, { kind: "destination", destinationId: destinationId(ev.payload.settings) });
  }

  override onDidReceiveSettings(ev: DidReceiveSettingsEvent<DestinationSettings>): void {
    if (ev.action.isKey()) this.#painter.show(ev.action, { kind: "destination", destinationId: destinationId(ev.payload.settings) });
  }

  override onWillDisappear(ev: WillDisappearEvent<DestinationSettings>): void {
    this.#painter.hide(ev.action.id);
    this.#presses.cancel(ev.action.id);
  }

  override onKeyDown(ev: KeyDownEvent<DestinationSettings>): Promise<void> {
    return this.#presses.keyDown(ev.action, ev.payload.settings);
  }

  override onKeyUp(ev: KeyUpEvent<DestinationSettings>): Promise<void> {
    return this.#presses.keyUp(ev.action);
  }
}
