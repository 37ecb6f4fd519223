// `com.relay.all`: one key that starts every destination (or a chosen list) and stops them next press.

import { action, SingletonAction, type DidReceiveSettingsEvent, type KeyDownEvent, type WillAppearEvent, type WillDisappearEvent } from "@elgato/streamdeck";
import type { BridgeCommands } from "../bridge-client.js";
import type { KeyPainter } from "../key-painter.js";
import { chosenDestinations, type AllSettings } from "../settings.js";
import { pressAll } from "./all-press.js";
import type { WarnLog } from "./key-feedback.js";

/** Thin adapter from SDK events to the painter and `pressAll`. */
@action({ UUID: "com.relay.all" })
export class AllAction extends SingletonAction<AllSettings> {
  readonly #painter: KeyPainter;
  readonly #client: BridgeCommands;
  readonly #warn: WarnLog;

  constructor(painter: KeyPainter, client: BridgeCommands, warn: WarnLog) {
    super();
    this.#painter = painter;
    this.#client = client;
    this.#warn = warn;
  }

  override onWillAppear(ev: WillAppearEvent<AllSettings>): void {
    if (ev.action.isKey()) this.#painter.show(ev.action, { kind: "group", destinationIds: chosenDestinations(ev.payload.settings) });
  }

  override onDidReceiveSettings(ev: DidReceiveSettingsEvent<AllSettings>): void {
    if (ev.action.isKey()) this.#painter.show(ev.action, { kind: "group", destinationIds: chosenDestinations(ev.payload.settings) });
  }

  override onWillDisappear(ev: WillDisappearEvent<AllSettings>): void {
    this.#painter.hide(ev.action.id);
  }

  override async onKeyDown(ev: KeyDownEvent<AllSettings>): Promise<void> {
    await pressAll(this.#client, ev.action, ev.payload.settings, this.#warn);
  }
}
