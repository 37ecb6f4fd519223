// The bridge's version, from package.json: the one above both bridge/ and dist/, or, inside the
// Stream Deck plugin, the bin/package.json the build writes beside the bundle.

import { readFileSync } from "node:fs";

/** The version of the package this module was built from, or 0.0.0 when no package.json says. */
export function readVersion(moduleUrl: string = import.meta.url): string {
  for (const candidate of ["./package.json", "../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(candidate, moduleUrl), "utf8")) as { version?: unknown };
      if (typeof pkg.version === "string" && pkg.version !== "") return pkg.version;
    } catch {
      // not there: try the next
    }
  }
  return "0.0.0";
}
