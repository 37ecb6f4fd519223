// The benchmark's command line and how much it measures in each mode. Pure.

/** What one run measures, and how long it may take. */
export interface BenchPlan {
  quick: boolean;
  /** Only rebuild the report and chart from the JSON already in `outDir` (no measuring). */
  reportOnly: boolean;
  seed: number;
  /** Sections to run (all by default). */
  sections: Section[];
  /** Where the JSON, the Markdown report and the chart go. */
  outDir: string;
  toggles: { gopSeconds: number; cycles: number; variantTrials: number; variants: "direct" | "all"; quietMs: number }[];
  obsDrop: { goneSeconds: number[]; freeze: boolean; freezeSeconds: number };
  hungPlatform: { hangSeconds: number; quietMs: number };
  cost: { counts: number[]; windowMs: number; settleMs: number; loadSeconds: number };
  keyImage: { cycles: number };
  recovery: { relayKills: number; nginxKills: number; reconnectDelayMs: number };
  encode: { presses: number; steadyMs: number; dropSeconds: number };
}

export const SECTIONS = ["toggles", "obs-drop", "hung-platform", "cost", "key-image", "recovery", "encode"] as const;
export type Section = (typeof SECTIONS)[number];

export const USAGE = `Usage: npm run bench -- [--quick] [--seed N] [--only ${SECTIONS.join(",")}] [--out DIR] [--report]
  --quick   fewer toggles and shorter windows (about 5 minutes instead of about 22)
  --report  measure nothing: rebuild benchmarks.md and the chart from benchmarks.json
  --seed    seed of the random press phases (default: time-based, printed)
  --only    run only these sections (comma-separated)
  --out     folder for benchmarks.json, benchmarks.md and benchmarks-toggle.svg (default: docs)`;

/** Reads the arguments; throws with the usage on anything it does not know. */
export function parsePlan(argv: readonly string[], defaultSeed: number): BenchPlan {
  let quick = false;
  let reportOnly = false;
  let seed = defaultSeed;
  let sections: Section[] = [...SECTIONS];
  let outDir = "docs";
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) throw new Error(`${arg} needs a value\n${USAGE}`);
      i += 1;
      return next;
    };
    if (arg === "--quick") quick = true;
    else if (arg === "--report") reportOnly = true;
    else if (arg === "--seed") {
      seed = Number(value());
      if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer\n${USAGE}`);
    } else if (arg === "--only") {
      const wanted = value().split(",").map((name) => name.trim()).filter(Boolean);
      const unknown = wanted.filter((name) => !(SECTIONS as readonly string[]).includes(name));
      if (unknown.length > 0) throw new Error(`unknown section ${unknown.join(", ")}\n${USAGE}`);
      sections = wanted as Section[];
    } else if (arg === "--out") outDir = value();
    else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  return { quick, reportOnly, seed, sections, outDir, ...(quick ? QUICK : FULL) };
}

type Amounts = Pick<BenchPlan, "toggles" | "obsDrop" | "hungPlatform" | "cost" | "keyImage" | "recovery" | "encode">;

// Full: about 22 minutes on a quiet 2-core machine (toggles about 13, cost about 4); quick: about 5.
// Every keyframe interval has the relay before the data plane (read straight from nginx) started in the
// same rounds, for before/after in one run; GOP 2 s also has every ffmpeg flag variant of it.
const FULL: Amounts = {
  toggles: [
    { gopSeconds: 1, cycles: 30, variantTrials: 10, variants: "direct", quietMs: 15_000 },
    { gopSeconds: 2, cycles: 30, variantTrials: 10, variants: "all", quietMs: 15_000 },
    { gopSeconds: 4, cycles: 30, variantTrials: 10, variants: "direct", quietMs: 10_000 },
    { gopSeconds: 8, cycles: 20, variantTrials: 8, variants: "direct", quietMs: 10_000 },
  ],
  obsDrop: { goneSeconds: [2, 5, 20], freeze: true, freezeSeconds: 2 },
  hungPlatform: { hangSeconds: 40, quietMs: 10_000 },
  cost: { counts: [1, 10, 20], windowMs: 15_000, settleMs: 3_000, loadSeconds: 10 },
  keyImage: { cycles: 10 },
  recovery: { relayKills: 5, nginxKills: 3, reconnectDelayMs: 500 },
  encode: { presses: 10, steadyMs: 30_000, dropSeconds: 5 },
};

const QUICK: Amounts = {
  toggles: [
    { gopSeconds: 1, cycles: 4, variantTrials: 2, variants: "direct", quietMs: 3_000 },
    { gopSeconds: 2, cycles: 4, variantTrials: 1, variants: "all", quietMs: 3_000 },
    { gopSeconds: 4, cycles: 2, variantTrials: 1, variants: "direct", quietMs: 2_000 },
    { gopSeconds: 8, cycles: 2, variantTrials: 1, variants: "direct", quietMs: 2_000 },
  ],
  obsDrop: { goneSeconds: [2], freeze: true, freezeSeconds: 2 },
  hungPlatform: { hangSeconds: 12, quietMs: 3_000 },
  cost: { counts: [1, 10, 20], windowMs: 3_000, settleMs: 1_500, loadSeconds: 3 },
  keyImage: { cycles: 3 },
  recovery: { relayKills: 1, nginxKills: 1, reconnectDelayMs: 500 },
  encode: { presses: 3, steadyMs: 10_000, dropSeconds: 5 },
};
