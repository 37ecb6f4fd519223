// A rollup plugin that records, after a bundle is written, what it was built from (every project
// file rollup read for it) and when the build began: `npm start` compares that with the files' times
// to know whether the bundle is out of date without building it (build-freshness.mjs).

import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { RECORDS_DIR } from "./bundles.mjs";

/** Project-relative, forward slashes; null for what is not a project file (virtual modules, node_modules). */
function projectPath(root, file) {
  if (file.startsWith("\0") || !isAbsolute(file)) return null;
  const path = relative(root, file).replaceAll("\\", "/");
  if (path.startsWith("../") || path.split("/").includes("node_modules")) return null; // the lock file stands for these
  return path;
}

/**
 * Records the bundle `name`. `alsoReads`: files the bundle copies rather than imports (assets),
 * project-relative.
 */
export function recordBuild(name, { alsoReads = [], root = process.cwd() } = {}) {
  let startedAt = 0;
  return {
    name: "record-build",
    buildStart() {
      // The start, not the end: a file saved while the build runs makes the next start build again.
      startedAt = Date.now();
    },
    writeBundle(options, bundle) {
      const base = options.dir ?? (options.file ? join(options.file, "..") : root);
      const outputs = Object.keys(bundle).map((fileName) => relative(root, resolve(base, fileName)).replaceAll("\\", "/"));
      const inputs = new Set(alsoReads);
      for (const file of this.getWatchFiles()) {
        const path = projectPath(root, file);
        if (path) inputs.add(path);
      }
      const record = { name, builtAt: startedAt, outputs, inputs: [...inputs].sort() };
      const dir = join(root, RECORDS_DIR);
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${name}.json`);
      writeFileSync(`${file}.tmp`, `${JSON.stringify(record, null, 1)}\n`);
      renameSync(`${file}.tmp`, file);
    },
  };
}
