// Builds the bridge (dist/relay-bridge.js), the status page script (dist/page/), the
// Stream Deck plugin bundle (com.relay.sdPlugin/bin/plugin.js) and the Companion module
// (dist/companion-module-relay/).
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute } from "node:path";
import typescript from "@rollup/plugin-typescript";
import nodeResolve from "@rollup/plugin-node-resolve";
import commonjs from "@rollup/plugin-commonjs";
import terser from "@rollup/plugin-terser";

const watching = Boolean(process.env.ROLLUP_WATCH);
const ts = () => typescript({ tsconfig: "./tsconfig.json", noEmit: false, include: ["bridge/**/*.ts", "src/**/*.ts", "companion/**/*.ts"] });
const isPackage = (id) => !id.startsWith(".") && !isAbsolute(id) && !id.startsWith("\0");

/** The bridge keeps its dependencies in node_modules (it is installed with npm). */
const bridge = {
  input: "bridge/main.ts",
  output: { file: "dist/relay-bridge.js", format: "es", banner: "#!/usr/bin/env node", sourcemap: true },
  external: isPackage,
  plugins: [ts()],
};

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
        this.emitFile({ fileName: "package.json", source: `{ "type": "module" }`, type: "asset" });
      },
    },
  ],
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
    ts(),
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

export default [bridge, page, plugin, companion].filter((config) => existsSync(config.input));
