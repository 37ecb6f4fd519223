// Builds the bridge (dist/relay-bridge.js), the status page script (dist/page/) and the
// Stream Deck plugin bundle (com.relay.sdPlugin/bin/plugin.js).
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute } from "node:path";
import typescript from "@rollup/plugin-typescript";
import nodeResolve from "@rollup/plugin-node-resolve";
import commonjs from "@rollup/plugin-commonjs";
import terser from "@rollup/plugin-terser";

const watching = Boolean(process.env.ROLLUP_WATCH);
const ts = () => typescript({ tsconfig: "./tsconfig.json", noEmit: false, include: ["bridge/**/*.ts", "src/**/*.ts"] });
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

export default [bridge, page, plugin].filter((config) => existsSync(config.input));
