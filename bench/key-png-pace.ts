// How the benchmark asks for key PNGs beside its API load (key-png-load.ts, in a process of its own).

/**
 * Relay's Companion module redraws every key at once on its 1 s clock tick and on each status event,
 * which the bridge sends about once a second with the bitrates: every key twice a second.
 */
export const COMPANION_KEY_PERIOD_MS = 500;

/** Companion's button image is 72×58 under its top bar; the module asks for its smaller side. */
export const COMPANION_KEY_SIZE = 58;

export type KeyPngPace = "companion" | "back-to-back";

export interface KeyPngLoaderJob {
  /** The bridge's base URL. */
  url: string;
  token: string;
  /** The destinations whose keys are asked for. */
  ids: string[];
  pace: KeyPngPace;
  ms: number;
}

/** What a loader prints when its time is up. */
export interface KeyPngSummary {
  answered: number;
  /** PNGs not given: an error status, or no answer. */
  errors: number;
  medianMs: number;
  p99Ms: number;
}
