// Which bundles are out of date, and why, from their build records (build-record.mjs): a bundle is
// out of date when it was never recorded, when one of its outputs is missing, or when a file it was
// built from (or the lock file, the rollup config, tsconfig.base.json, package.json) changed or went away
// since its build began, or when it reads the output of a bundle that is itself out of date.

import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { BUNDLES, RECORDS_DIR, SHARED_INPUTS, describeBundles } from "./bundles.mjs";

const defaultFiles = {
  /** Modification time in ms, or null when the file does not exist. */
  mtime(path) {
    try {
      return statSync(path).mtimeMs;
    } catch {
      return null;
    }
  },
  /** The record's text, or null when there is none. */
  read(path) {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return null;
    }
  },
};

function parseRecord(text) {
  if (text === null) return null;
  try {
    const record = JSON.parse(text);
    if (typeof record.builtAt !== "number" || !Array.isArray(record.outputs) || !Array.isArray(record.inputs)) return null;
    return record;
  } catch {
    return null;
  }
}

/** Why one bundle is out of date, or null. */
function reasonFor(record, staleOutputs, root, files) {
  if (!record) return "not built yet";
  const missing = record.outputs.find((output) => files.mtime(join(root, output)) === null);
  if (missing) return `${missing} is missing`;
  const changed = [];
  for (const input of [...SHARED_INPUTS, ...record.inputs]) {
    if (staleOutputs.has(input)) return `${input} is rebuilt first`;
    const mtime = files.mtime(join(root, input));
    if (mtime === null) changed.push(`${input} is gone`);
    else if (mtime > record.builtAt) changed.push(`${input} changed`);
  }
  if (changed.length === 0) return null;
  return changed.length === 1 ? changed[0] : `${changed[0]}, and ${changed.length - 1} more`;
}

/**
 * The bundles among `names` that need building, in build order, each with its reason.
 * `files` reads the file system (a seam for the unit tests).
 */
export function staleBundles(root, names, files = defaultFiles) {
  const stale = [];
  const staleOutputs = new Set();
  for (const { name } of BUNDLES) {
    if (!names.includes(name)) continue;
    const record = parseRecord(files.read(join(root, RECORDS_DIR, `${name}.json`)));
    const reason = reasonFor(record, staleOutputs, root, files);
    if (reason === null) continue;
    stale.push({ name, reason });
    for (const output of record?.outputs ?? []) staleOutputs.add(output);
  }
  return stale;
}

/** The one line a start prints before it builds: "building the bridge (bridge/main.ts changed)…" */
export function buildLine(stale) {
  const reasons = [...new Set(stale.map((bundle) => bundle.reason))];
  const why = reasons.length === 1 ? reasons[0] : `${reasons[0]}; ${reasons.slice(1).join("; ")}`;
  return `building ${describeBundles(stale.map((bundle) => bundle.name))} (${why})…`;
}
