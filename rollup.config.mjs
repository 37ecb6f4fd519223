// Builds the bridge (dist/relay-bridge.js), the status page script (dist/page/), the Stream Deck
// plugin bundle (com.relay.sdPlugin/bin/plugin.js) and its settings panels' script (ui/inspector.js),
// the Companion module (dist/companion-module-relay/) and the bridge shipped inside the plugin
// (com.relay.sdPlugin/bin/relay-bridge.js with its page/), each bridge with its key renderer's worker
// (key-render-worker.js) beside it. Each bundle records what it was built from (scripts/build/) so
// `npm start` rebuilds only what changed; RELAY_BUNDLES=bridge,page builds only the bundles named.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import typescript from "@rollup/plugin-typescript";
import nodeResolve from "@rollup/plugin-node-resolve";
import commonjs from "@rollup/plugin-commonjs";
import json from "@rollup/plugin-json";
import terser from "@rollup/plugin-terser";
import { recordBuild } from "./scripts/build/build-record.mjs";

const watching = Boolean(process.env.ROLLUP_WATCH);
/**
 * TypeScript for one bundle: only the JavaScript of `file` is emitted here, with the options every
 * runtime shares. Type-checking is `tsc -b`'s, each runtime with its own libraries (tsconfig.node.json,
 * tsconfig.dom.json); one rollup run builds Node and browser bundles and its TypeScript programs see
 * each other's files, so the emit knows both runtimes' names.
 */
const ts = (file) =>
  typescript({
    tsconfig: "./tsconfig.base.json",
    compilerOptions: {
      composite: false,
      declaration: false,
      emitDeclarationOnly: false,
      incremental: false,
      noEmit: false,
      outDir: dirname(file),
      lib: ["ES2023", "DOM", "DOM.Iterable"],
      types: ["node"],
    },
    include: ["bridge/**/*.ts", "src/**/*.ts", "companion/**/*.ts", "page/**/*.ts", "contract/**/*.ts", "client/**/*.ts", "presentation/**/*.ts"],
  });

const { version } = JSON.parse(readFileSync("package.json", "utf8"));
/** bin/package.json: ESM, and the version the bundled bridge reports. */
const pluginPackageJson = () => `${JSON.stringify({ type: "module", version }, null, 2)}\n`;

/**
 * The bridge with every dependency inlined (npm installs nothing beside it, and the Stream Deck
 * plugin ships a copy), plus the files it loads from its own folder: resvg's WebAssembly module
 * and ps-list's Windows helper (vendor/). `withPage` also copies the built status page (dist/page).
 */
const selfContainedBridge = (file, { withPage = false } = {}) => ({
  input: "bridge/main.ts",
  output: { file, format: "es", banner: "#!/usr/bin/env node", sourcemap: true },
  plugins: [
    ts(file),
    nodeResolve({ browser: false, exportConditions: ["node"], preferBuiltins: true }),
    commonjs(),
    json(),
    {
      name: "emit-bridge-runtime-files",
      generateBundle() {
        this.emitFile({ type: "asset", fileName: "resvg.wasm", source: readFileSync("node_modules/@resvg/resvg-wasm/index_bg.wasm") });
        for (const exe of readdirSync("node_modules/ps-list/vendor")) {
          this.emitFile({ type: "asset", fileName: `vendor/${exe}`, source: readFileSync(`node_modules/ps-list/vendor/${exe}`) });
        }
        if (!withPage) return;
        for (const asset of ["index.html", "style.css", "app.js"]) {
          this.emitFile({ type: "asset", fileName: `page/${asset}`, source: readFileSync(`dist/page/${asset}`) });
        }
      },
    },
  ],
  onwarn(warning, warn) {
    // Inlined dependencies (koa, zod, …) have cycles, `this` at top level and misplaced annotations: harmless.
    if (["CIRCULAR_DEPENDENCY", "THIS_IS_UNDEFINED", "INVALID_ANNOTATION"].includes(warning.code)) return;
    warn(warning);
  },
});

/** The key renderer's worker process, beside each bridge bundle (bridge/render/key-png.ts starts it). */
const keyRenderWorker = (file) => ({
  input: "bridge/render/key-render-worker.ts",
  output: { file, format: "es", sourcemap: true },
  plugins: [ts(file), nodeResolve({ browser: false, exportConditions: ["node"], preferBuiltins: true }), commonjs()],
});

/** The bridge that `npm i -g` and `npm pack` install: dist/relay-bridge.js. */
const bridge = selfContainedBridge("dist/relay-bridge.js");

/** The status page script runs in the browser: everything bundled, no CDN. */
const page = {
  input: "page/app.ts",
  output: { file: "dist/page/app.js", format: "es", sourcemap: true },
  plugins: [
    ts("dist/page/app.js"),
    nodeResolve({ browser: true }),
    !watching && terser(),
    {
      // The page's HTML and CSS go beside the script, so an installed bridge (files: dist) serves them.
      name: "copy-page-assets",
      generateBundle() {
        for (const file of ["index.html", "style.css"]) {
          this.emitFile({ type: "asset", fileName: file, source: readFileSync(`page/${file}`) });
        }
      },
    },
  ],
};

/** The Stream Deck plugin ships no node_modules: everything bundled, ESM. */
const plugin = {
  input: "src/plugin.ts",
  output: { file: "com.relay.sdPlugin/bin/plugin.js", format: "es", sourcemap: watching },
  plugins: [
    ts("com.relay.sdPlugin/bin/plugin.js"),
    nodeResolve({ browser: false, exportConditions: ["node"], preferBuiltins: true }),
    commonjs(),
    !watching && terser(),
    {
      name: "emit-module-package-file",
      generateBundle() {
        this.emitFile({ fileName: "package.json", source: pluginPackageJson(), type: "asset" });
      },
    },
  ],
};

/**
 * The Stream Deck settings panels' script (property inspectors), which the app's browser loads as a
 * classic script from the panel pages: one file, no modules, with the message catalogues inside.
 */
const inspector = {
  input: "src/inspector-ui/inspector-page.ts",
  output: { file: "com.relay.sdPlugin/ui/inspector.js", format: "iife", sourcemap: watching },
  plugins: [ts("com.relay.sdPlugin/ui/inspector.js"), nodeResolve({ browser: true }), !watching && terser()],
};

/**
 * The Companion module: a folder Companion loads as a developer module (companion/manifest.json inside)
 * and `npm run pack:companion` turns into an importable package. Everything bundled, CommonJS as
 * @companion-module/base 1.x is; the manifest gets the package's version and the base's version.
 */
const companion = {
  input: "companion/main.ts",
  output: { file: "dist/companion-module-relay/main.js", format: "cjs", sourcemap: true, inlineDynamicImports: true },
  plugins: [
    ts("dist/companion-module-relay/main.js"),
    nodeResolve({ browser: false, exportConditions: ["node"], preferBuiltins: true }),
    commonjs(),
    {
      name: "emit-companion-module-files",
      generateBundle() {
        const require = createRequire(import.meta.url);
        const { validateManifest } = require("@companion-module/base");
        const { version: baseVersion } = require("@companion-module/base/package.json");
        const { version, license } = JSON.parse(readFileSync("package.json", "utf8"));
        const manifest = JSON.parse(readFileSync("companion/manifest.json", "utf8"));
        delete manifest.$schema;
        manifest.version = version;
        manifest.license = license;
        manifest.runtime = { ...manifest.runtime, apiVersion: baseVersion, entrypoint: "../main.js" };
        validateManifest(manifest);
        this.emitFile({ type: "asset", fileName: "companion/manifest.json", source: `${JSON.stringify(manifest, null, 2)}\n` });
        this.emitFile({ type: "asset", fileName: "companion/HELP.md", source: readFileSync("companion/HELP.md") });
        const pkg = { name: `companion-module-${manifest.id}`, version, license, type: "commonjs", main: "main.js", private: true };
        this.emitFile({ type: "asset", fileName: "package.json", source: `${JSON.stringify(pkg, null, 2)}\n` });
      },
    },
  ],
};

/**
 * The bridge the Stream Deck plugin starts when none runs: inside the plugin's bin/, with its status
 * page, and a bin/package.json that gives the version (the plugin entry writes the same file).
 * Built after `page`, whose output it copies.
 */
const pluginBridge = selfContainedBridge("com.relay.sdPlugin/bin/relay-bridge.js", { withPage: true });

/** `config` under its bundle name (scripts/build/bundles.mjs), recording its build. */
const named = (name, config, alsoReads = []) => ({ name, config: { ...config, plugins: [...config.plugins, recordBuild(name, { alsoReads })] } });

const bundles = [
  named("bridge", bridge),
  named("bridge-key-worker", keyRenderWorker("dist/key-render-worker.js")),
  named("page", page, ["page/index.html", "page/style.css"]),
  named("plugin", plugin),
  named("inspector", inspector),
  named("companion", companion, ["companion/manifest.json", "companion/HELP.md"]),
  named("plugin-bridge", pluginBridge, ["dist/page/index.html", "dist/page/style.css", "dist/page/app.js"]),
  named("plugin-key-worker", keyRenderWorker("com.relay.sdPlugin/bin/key-render-worker.js")),
];

const only = process.env.RELAY_BUNDLES ? process.env.RELAY_BUNDLES.split(",") : null;
export default bundles
  .filter((bundle) => only === null || only.includes(bundle.name))
  .map((bundle) => bundle.config)
  .filter((config) => existsSync(config.input));
