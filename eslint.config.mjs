// The linter holds the layers of docs/architecture.md: four programs (the bridge, the Stream Deck
// plugin, the Companion module, the status page) over one contract, a client library and the
// presentation they share; the test rig and the bench beside them; nothing outside test/ imports it.
// `npm run lint` (and so `npm test`) fails on an import that breaks a rule below.
import { fileURLToPath } from "node:url";
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import layers from "./scripts/lint/layers.mjs";

const root = fileURLToPath(new URL(".", import.meta.url));
const SHARED = ["contract/", "client/", "presentation/"];
const PROGRAMS = ["bridge/", "src/", "companion/", "page/"];
const NODE = ["node:"];

const LAYERS = [
  { name: "code outside test/", files: ["bridge/", "src/", "companion/", "page/", ...SHARED, "rig/", "bench/", "scripts/"], never: ["test/"] },
  { name: "the contract (contract/)", files: ["contract/"], only: ["contract/"], noPackages: NODE },
  { name: "the client library (client/)", files: ["client/"], only: ["contract/", "client/"], noPackages: NODE },
  { name: "presentation (presentation/)", files: ["presentation/"], only: ["contract/", "presentation/"], noPackages: NODE },
  { name: "the Stream Deck plugin (src/)", files: ["src/"], only: ["src/", ...SHARED, "bridge/launch/"] },
  { name: "the Companion module (companion/)", files: ["companion/"], only: ["companion/", ...SHARED] },
  { name: "the status page (page/)", files: ["page/"], only: ["page/", ...SHARED], noPackages: NODE },
  { name: "the bridge (bridge/)", files: ["bridge/"], never: ["src/", "companion/", "page/", "client/", "rig/", "bench/", "scripts/"] },
  { name: "the launch place (bridge/launch/)", files: ["bridge/launch/"], only: ["bridge/launch/", "bridge/process/"] },
  { name: "the ingest and the data plane (bridge/ingest/, bridge/media/)", files: ["bridge/ingest/", "bridge/media/"], never: ["bridge/relay/", "bridge/http/"] },
  { name: "the config and its secrets (bridge/config/, bridge/secrets/)", files: ["bridge/config/", "bridge/secrets/"], never: ["bridge/ffmpeg/", "bridge/relay/", "bridge/http/"] },
  { name: "the test rig (rig/)", files: ["rig/"], never: ["bench/", ...PROGRAMS.filter((p) => p !== "bridge/")] },
];

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "com.relay.sdPlugin/bin/", "com.relay.sdPlugin/ui/", "test-output/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts", "**/*.mts", "**/*.mjs", "**/*.js"],
    languageOptions: { parser: tseslint.parser, ecmaVersion: "latest", sourceType: "module" },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    plugins: { relay: layers },
    rules: {
      "relay/layers": ["error", { root, layers: LAYERS }],
      // TypeScript checks names itself; `any` is allowed where a test or a bridge to untyped code needs it.
      "no-undef": "off",
      // Control characters are matched on purpose (names, keys, URLs and log lines are checked for them).
      "no-control-regex": "off",
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],
    },
  },
);
