// Turning schema problems into messages a streamer can act on: each names the key at fault.

import type { z } from "zod";

/** `destinations[1].url` from a zod path. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out === "" ? "(top level)" : out;
}

/** One line per problem: `key: what is wrong`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => `${formatKeyPath(issue.path)}: ${issue.message}`);
}

/** A config file that cannot be used; `problems` name each key. The file is left as it is. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Config file ${file} is not valid (it was left untouched; fix it and start again):\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}
