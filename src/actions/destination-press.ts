// What a press on a destination key does. A short press acts at once on key-down (start, stop or
// toggle, per the key's settings); on a destination that is retrying or failed the key waits to see
// whether it is held: held about 600 ms it retries now, released sooner it does the usual thing.

import type { RelayState } from "../../contract/api.js";
import type { BridgeCommands, DestinationVerb } from "../bridge-client.js";
import { destinationId, pressMode, type DestinationSettings } from "../settings.js";
import type { KeyFeedback, WarnLog } from "./key-feedback.js";

/** How long a key must be held to retry a failing destination. */
export const LONG_PRESS_MS = 600;

const HOLDABLE: ReadonlySet<RelayState> = new Set(["retrying", "failed"]);

export interface DestinationPressOptions {
  client: BridgeCommands;
  warn?: WarnLog;
  longPressMs?: number;
}

interface HeldKey {
  timer: ReturnType<typeof setTimeout>;
  fired: boolean;
  settings: DestinationSettings;
}

/** Press handling for every destination key; one instance serves all of them, keyed by key id. */
export class DestinationPresses {
  readonly #client: BridgeCommands;
  readonly #warn: WarnLog;
  readonly #longPressMs: number;
  readonly #held = new Map<string, HeldKey>();

  constructor(options: DestinationPressOptions) {
    this.#client = options.client;
    this.#warn = options.warn ?? (() => undefined);
    this.#longPressMs = options.longPressMs ?? LONG_PRESS_MS;
  }

  /** Key went down: act now, or start timing a hold when a retry is possible. */
  async keyDown(key: KeyFeedback, settings: DestinationSettings): Promise<void> {
    this.#forget(key.id);
    const id = destinationId(settings);
    if (id === undefined) {
      this.#warn("A destination key was pressed before a destination was chosen for it");
      await key.showAlert();
      return;
    }
    const state = this.#client.snapshot().status?.destinations.find((view) => view.id === id)?.state;
    if (state !== undefined && HOLDABLE.has(state)) {
      const held: HeldKey = { fired: false, settings, timer: setTimeout(() => void this.#longPress(key, id, held), this.#longPressMs) };
      this.#held.set(key.id, held);
      return;
    }
    await this.#run(key, id, verbFor(settings));
  }

  /** Key came up: finishes a short press that was waiting to see whether it became a hold. */
  async keyUp(key: KeyFeedback): Promise<void> {
    const held = this.#held.get(key.id);
    if (!held) return;
    this.#forget(key.id);
    if (held.fired) return;
    const id = destinationId(held.settings);
    if (id !== undefined) await this.#run(key, id, verbFor(held.settings));
  }

  /** The key went away mid-press (page change): nothing more happens for it. */
  cancel(keyId: string): void {
    this.#forget(keyId);
  }

  async #longPress(key: KeyFeedback, id: string, held: HeldKey): Promise<void> {
    held.fired = true;
    await this.#run(key, id, "retry");
  }

  async #run(key: KeyFeedback, id: string, verb: DestinationVerb): Promise<boolean> {
    try {
      await this.#client.command(id, verb);
      return true;
    } catch (error) {
      this.#warn(`Could not ${verb} destination "${id}": ${(error as Error).message}`);
      await key.showAlert();
      return false;
    }
  }

  #forget(keyId: string): void {
    const held = this.#held.get(keyId);
    if (held) clearTimeout(held.timer);
    this.#held.delete(keyId);
  }
}

/** The bridge call for a short press: toggling is left to the bridge so two keys never race. */
export function verbFor(settings: DestinationSettings): DestinationVerb {
  return pressMode(settings.press);
}
