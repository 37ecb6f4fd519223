// Whether the plugin should start the bridge bundled inside it (pure). It does only for a bridge
// address on this computer, with "Run the bridge on this computer" on, when nothing answers there,
// no live bridge holds the config's lock, and the last start is not too recent.

/** What a health request to the bridge address met. */
export type BridgeProbe = "answered" | "refused" | "no-answer";

export interface StartFacts {
  /** The "Run the bridge on this computer" global setting (on by default). */
  runBridgeHere: boolean;
  /** The bridge address, or undefined when the saved one is unusable. */
  baseUrl: string | undefined;
  probe: BridgeProbe;
  /** A live bridge holds the lock of the config file the plugin would start on (it may be starting). */
  lockHeld: boolean;
  /** performance.now()-style milliseconds of the last start, if any. */
  lastStartAt: number | undefined;
  now: number;
  /** Shortest time between two starts: a bridge that fails at start is not restarted in a loop. */
  minIntervalMs: number;
}

export type StartDecision = { start: true; port: number } | { start: false; why: string };

/** Starts go to loopback addresses only: a remote bridge is someone else's to run. */
export function isThisComputer(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The port a bridge address names (the scheme's default when it names none). */
export function portOf(url: URL): number {
  if (url.port !== "") return Number(url.port);
  return url.protocol === "https:" ? 443 : 80;
}

/** The decision, with the reason when the answer is no. */
export function decideBridgeStart(facts: StartFacts): StartDecision {
  if (!facts.runBridgeHere) return { start: false, why: "the bridge runs elsewhere (Run the bridge on this computer is off)" };
  if (facts.baseUrl === undefined) return { start: false, why: "the bridge address is not usable" };
  const url = new URL(facts.baseUrl);
  if (!isThisComputer(url.hostname)) return { start: false, why: `${url.host} is another computer` };
  if (url.protocol !== "http:") return { start: false, why: "the bundled bridge serves http:// only" };
  if (facts.probe === "answered") return { start: false, why: "a bridge answers" };
  if (facts.probe === "no-answer") return { start: false, why: `something holds ${url.host} but does not answer` };
  if (facts.lockHeld) return { start: false, why: "a bridge on this config file is starting or runs on another port" };
  if (facts.lastStartAt !== undefined && facts.now - facts.lastStartAt < facts.minIntervalMs) {
    return { start: false, why: "started a moment ago" };
  }
  return { start: true, port: portOf(url) };
}
