// The shape of one benchmark run's results (docs/benchmarks.json): what was run, on what, and every
// sample, so the report can be rebuilt and runs compared later.

import type { ToggleRun } from "./measure/toggles.js";
import type { CostRun } from "./measure/relay-cost.js";
import type { KeyImageRun } from "./measure/key-image.js";
import type { RecoveryRun } from "./measure/recovery.js";
import type { ObsDropRun } from "./measure/obs-drop.js";
import type { HungPlatformRun } from "./measure/hung-platform.js";
import type { EncodeRun } from "./measure/encode.js";

/** Where and with what a run happened. */
export interface RunContext {
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  seed: number;
  commit: string;
  /** Files under bridge/ or src/ differed from the commit. */
  dirty: boolean;
  /** sha256 (12 hex digits) of the bridge bundle every measurement ran (copied aside at the start). */
  bridgeBuild?: string;
  machine: { cpu: string; cores: number; memoryGb: number; loadBefore: number[]; loadAfter: number[] };
  versions: { node: string; ffmpeg: string; nginx: string };
  /** The relay's ffmpeg command line as the product builds it (URLs replaced by placeholders). */
  relayArgs: string[];
  clip: { size: string; fps: number; videoKbps: number; totalKbps: number; gopSeconds: number[] };
}

export interface BenchResults {
  context: RunContext;
  toggles: ToggleRun[];
  /** OBS gone and back, frozen and replaced (absent in runs before the data plane). */
  obsDrop?: ObsDropRun | null;
  /** A platform that hangs beside two live neighbours (absent in runs before the data plane). */
  hungPlatform?: HungPlatformRun | null;
  cost: CostRun | null;
  keyImage: KeyImageRun | null;
  recovery: RecoveryRun | null;
  /** One destination re-encoded beside two copies (absent in runs before per-destination encoding). */
  encode?: EncodeRun | null;
  /** Sections that failed, with the reason, so a partial run still reports what it measured. */
  errors: Array<{ section: string; message: string }>;
  /** The headline figures of the run before this one (the file this run replaced), for before/after. */
  previous?: PreviousRun;
}

/** What is kept of the previous run. */
export interface PreviousRun {
  startedAt: string;
  commit: string;
  dirty: boolean;
  quick: boolean;
  headline: Record<string, number>;
}
