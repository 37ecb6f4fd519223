// The plugin's settings as the Stream Deck app stores them, and their normalisation. The app hands
// back whatever the property inspector saved, so every reader goes through these functions.

/** Where the bridge listens when the streamer has not said otherwise (the bridge's default port: `bridge.port` in docs/config.md). */
export const DEFAULT_BRIDGE_URL = "http://127.0.0.1:8787";

/**
 * Plugin-wide settings, shared by every key. `runBridge` false means the bridge runs elsewhere (a
 * server): the plugin never starts the one bundled in it.
 */
export type GlobalSettings = { bridgeUrl?: string; token?: string; runBridge?: boolean };

/** "Run the bridge on this computer": on unless switched off (the inspector may save "false" as text). */
export function runBridgeHere(settings: GlobalSettings | undefined): boolean {
  const value = settings?.runBridge as unknown;
  return !(value === false || value === "false");
}

/** What a press does on a destination key: some streamers want keys that can only do one thing. */
export type PressMode = "toggle" | "start" | "stop";

/** Settings of one `com.relay.destination` key. */
export type DestinationSettings = { destination?: string; press?: PressMode };

/** Settings of one `com.relay.all` key: `destinations` empty or absent means every destination. */
export type AllSettings = { destinations?: string[]; press?: PressMode };

/** A bridge address the client can use, or why the saved one cannot be used. */
export type BridgeConnection =
  | { ok: true; baseUrl: string; token: string }
  | { ok: false; problem: string; token: string };

/** Turns saved global settings into a base URL without trailing slash, adding `http://` when left out. */
export function bridgeConnection(settings: GlobalSettings | undefined): BridgeConnection {
  const token = typeof settings?.token === "string" ? settings.token.trim() : "";
  const raw = typeof settings?.bridgeUrl === "string" ? settings.bridgeUrl.trim() : "";
  const text = raw === "" ? DEFAULT_BRIDGE_URL : /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: `"${raw}" is not a bridge address: use one like ${DEFAULT_BRIDGE_URL}`, token };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { ok: false, problem: `The bridge address must start with http:// or https:// (got ${url.protocol}//)`, token };
  }
  if (url.username || url.password) {
    return { ok: false, problem: "Put the token in the Token field, not in the bridge address", token };
  }
  const path = url.pathname.replace(/\/+$/, "");
  return { ok: true, baseUrl: `${url.protocol}//${url.host}${path}`, token };
}

/** The press mode of a key, `toggle` unless one of the other two was chosen. */
export function pressMode(value: unknown): PressMode {
  return value === "start" || value === "stop" ? value : "toggle";
}

/** The destination id a key acts on, or undefined when none was chosen yet. */
export function destinationId(settings: DestinationSettings | undefined): string | undefined {
  const id = settings?.destination;
  return typeof id === "string" && id.trim() !== "" ? id.trim() : undefined;
}

/** The destination ids an "all" key acts on; empty means every destination. */
export function chosenDestinations(settings: AllSettings | undefined): string[] {
  const list = settings?.destinations;
  if (!Array.isArray(list)) return [];
  return [...new Set(list.filter((id): id is string => typeof id === "string" && id.trim() !== "").map((id) => id.trim()))];
}

/** What a press on the "OBS input" key does: start/stop OBS's stream (when OBS is linked) or open the page. */
export type IngestPress = "obs" | "page";

/** Settings of one `com.relay.ingest` key. */
export type IngestSettings = { press?: IngestPress };

/** The press choice of an "OBS input" key: `obs` unless the page was chosen. */
export function ingestPress(settings: IngestSettings | undefined): IngestPress {
  return settings?.press === "page" ? "page" : "obs";
}
