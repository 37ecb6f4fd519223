// The bridge's version, from package.json (one level above both bridge/ and dist/).

import { readFileSync } from "node:fs";

export function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: string };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}
