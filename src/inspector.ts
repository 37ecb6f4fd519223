// What the plugin tells a property inspector: the destinations for its dropdown, and whether the
// bridge can be reached (and if not, why). Sent when asked, and again whenever it changes.

import type { ProgramName, SettingsView } from "../contract/api.js";
import type { BridgeSnapshot } from "./bridge-client.js";

/** The inspector asks with `{ event: "getDestinations" }` and gets this back under the same name. */
export const DESTINATIONS_EVENT = "getDestinations";

/** One dropdown entry, in the datasource shape Stream Deck inspectors use. */
export type InspectorItem = {
  value: string;
  label: string;
};

/** The bridge on this computer as the plugin sees it (it starts one when none answers). */
export type LocalBridgeView = {
  /** "Run the bridge on this computer" is on. */
  runHere: boolean;
  /** This plugin started a bridge that has not failed at start. */
  started: boolean;
  /** Why the bridge it started stopped (the end of its log), or null. */
  problem: string | null;
  configFile: string;
  logFile: string;
};

/** What the inspector shows besides the destinations: first-run help. */
export type InspectorExtras = {
  local: LocalBridgeView | null;
  /** The bridge's `GET /api/settings` (programs, OBS server and key), while it answers. */
  setup: SettingsView | null;
  /** The status page's address, while the bridge address is usable. */
  statusPage: string | null;
};

export type InspectorMessage = {
  event: typeof DESTINATIONS_EVENT;
  items: InspectorItem[];
  reachable: boolean;
  /** Still trying a new address: the inspector says so instead of an error. */
  connecting: boolean;
  problem: string | null;
} & InspectorExtras;

const NO_EXTRAS: InspectorExtras = { local: null, setup: null, statusPage: null };

/** The inspector asks the plugin to save a program's full path in the bridge's config with this. */
export const PROGRAM_PATH_EVENT = "setProgramPath";

/** A request to set `binaries.<program>`, or undefined when the payload is not one. */
export function programPathRequest(payload: unknown): { program: ProgramName; path: string } | undefined {
  if (typeof payload !== "object" || payload === null) return undefined;
  const { event, program, path } = payload as { event?: unknown; program?: unknown; path?: unknown };
  if (event !== PROGRAM_PATH_EVENT || typeof path !== "string") return undefined;
  return program === "nginx" || program === "ffmpeg" || program === "stunnel" ? { program, path } : undefined;
}

/** The message for a snapshot (pure). Names shared by two destinations get their id added. */
export function inspectorMessage(snapshot: BridgeSnapshot, extras: InspectorExtras = NO_EXTRAS): InspectorMessage {
  const views = snapshot.status?.destinations ?? [];
  const count = new Map<string, number>();
  for (const view of views) count.set(view.name, (count.get(view.name) ?? 0) + 1);
  return {
    event: DESTINATIONS_EVENT,
    items: views.map((view) => ({ value: view.id, label: (count.get(view.name) ?? 0) > 1 ? `${view.name} (${view.id})` : view.name })),
    reachable: snapshot.reachable,
    connecting: snapshot.connecting === true,
    problem: snapshot.reachable ? null : (snapshot.problem ?? "The bridge cannot be reached"),
    ...extras,
    setup: snapshot.reachable ? extras.setup : null,
  };
}

/** True when a payload from an inspector asks for the destinations. */
export function asksForDestinations(payload: unknown): payload is { event: string; isRefresh?: boolean } {
  return typeof payload === "object" && payload !== null && (payload as { event?: unknown }).event === DESTINATIONS_EVENT;
}

/** Pushes the message to the visible inspector whenever it differs from the last one it got. */
export class InspectorFeed {
  readonly #send: (message: InspectorMessage) => Promise<void>;
  readonly #extras: () => InspectorExtras;
  #visible = false;
  #lastSent: string | undefined;

  constructor(send: (message: InspectorMessage) => Promise<void>, extras: () => InspectorExtras = () => NO_EXTRAS) {
    this.#send = send;
    this.#extras = extras;
  }

  /** An inspector opened: it gets the message on its first request or on the next change. */
  appeared(): void {
    this.#visible = true;
    this.#lastSent = undefined;
  }

  disappeared(): void {
    this.#visible = false;
    this.#lastSent = undefined;
  }

  /** Answers a request: always sends, even when nothing changed (the inspector may have reloaded). */
  answer(snapshot: BridgeSnapshot): Promise<void> {
    this.#visible = true;
    return this.#deliver(inspectorMessage(snapshot, this.#extras()), true);
  }

  /** A new snapshot: sent only if an inspector is open and its content changed. */
  update(snapshot: BridgeSnapshot): Promise<void> {
    return this.#visible ? this.#deliver(inspectorMessage(snapshot, this.#extras()), false) : Promise.resolve();
  }

  async #deliver(message: InspectorMessage, force: boolean): Promise<void> {
    const text = JSON.stringify(message);
    if (!force && text === this.#lastSent) return;
    this.#lastSent = text;
    await this.#send(message);
  }
}
