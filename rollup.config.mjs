// Builds the bridge (dist/relay-bridge.js), the status page script (dist/page/), the Stream Deck
// plugin bundle (com.relay.sdPlugin/bin/plugin.js) and the bridge shipped inside the plugin
// (com.relay.sdPlugin/bin/relay-bridge.js with its page/).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import typescript from "@rollup/plugin-typescript";
import nodeResolve from "@rollup/plugin-node-resolve";
import commonjs from "@rollup/plugin-commonjs";
import json from "@rollup/plugin-json";
import terser from "@rollup/plugin-terser";

const watching = Boolean(process.env.ROLLUP_WATCH);
const ts = () => typescript({ tsconfig: "./tsconfig.json", noEmit: false, include: ["bridge/**/*.ts", "src/**/*.ts"] });
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
    ts(),
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

/** The bridge that `npm i -g` and `npm pack` install: dist/relay-bridge.js. */
const bridge = selfContainedBridge("dist/relay-bridge.js");

/** The status page script runs in the browser: everything bundled, no CDN. */
const page = {
  input: "bridge/http/page/app.ts",
  output: { file: "dist/page/app.js", format: "es", sourcemap: true },
  plugins: [
    ts(),
    nodeResolve({ browser: true }),
    !watching && terser(),
    {
      // The page's HTML and CSS go beside the script, so an installed bridge (files: dist) serves them.
      name: "copy-page-assets",
      generateBundle() {
        for (const file of ["index.html", "style.css"]) {
          this.emitFile({ type: "asset", fileName: file, source: readFileSync(`bridge/http/page/${file}`) });
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
    ts(),
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
 * The bridge the Stream Deck plugin starts when none runs: inside the plugin's bin/, with its status
 * page, and a bin/package.json that gives the version (the plugin entry writes the same file).
 * Built after `page`, whose output it copies.
 */
const pluginBridge = selfContainedBridge("com.relay.sdPlugin/bin/relay-bridge.js", { withPage: true });

export default [bridge, page, plugin, pluginBridge].filter((config) => existsSync(config.input));
