// The bundles `npm run build` makes, by name, and which of them each program needs. A start builds
// only what its program needs (build-freshness.mjs says what is out of date).

/** Every bundle, in build order (the plugin's bridge copies the status page, built before it). */
export const BUNDLES = [
  { name: "bridge", label: "the bridge" },
  { name: "bridge-key-worker", label: "the bridge's key renderer" },
  { name: "page", label: "the status page" },
  { name: "plugin", label: "the Stream Deck plugin" },
  { name: "inspector", label: "the plugin's settings panels" },
  { name: "companion", label: "the Companion module" },
  { name: "plugin-bridge", label: "the plugin's bridge" },
  { name: "plugin-key-worker", label: "the plugin's key renderer" },
];

/** Files every bundle is built from besides its own sources: a change to one rebuilds everything. */
export const SHARED_INPUTS = ["package.json", "package-lock.json", "rollup.config.mjs", "tsconfig.base.json"];

/** Where each bundle's build record goes (what it was built from, and when). */
export const RECORDS_DIR = "dist/.build";

const BRIDGE = ["bridge", "bridge-key-worker", "page"];

/** What each program run by `npm start`, `npm run demo` and `npm run relay` loads. */
const NEEDS = {
  "dist/relay-bridge.js": BRIDGE,
  // The demo runs dist/relay-bridge.js beside its stand-in OBS and platforms.
  "scripts/demo.ts": BRIDGE,
};

/** The bundles `program` (a path relative to the repository) needs; every bundle for one not listed. */
export function bundlesFor(program) {
  const key = program.replaceAll("\\", "/").replace(/^\.\//, "");
  return NEEDS[key] ?? BUNDLES.map((bundle) => bundle.name);
}

/** "the bridge, the status page and the bridge's key renderer" */
export function describeBundles(names) {
  const labels = BUNDLES.filter((bundle) => names.includes(bundle.name)).map((bundle) => bundle.label);
  if (labels.length <= 1) return labels.join("");
  return `${labels.slice(0, -1).join(", ")} and ${labels.at(-1)}`;
}
