// How to run npm without a shell on every OS. On Windows npm is `npm.cmd`, which Node refuses to
// spawn without a shell; running npm's own JavaScript entry with this Node avoids the shell.

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/** `[command, ...leadingArgs]` that runs npm; append npm's arguments. */
export function npmCommand({ env = process.env, execPath = process.execPath, platform = process.platform } = {}) {
  // `npm run relay` tells its child where npm's entry script is.
  const fromNpm = env.npm_execpath;
  if (fromNpm && /npm-cli\.[cm]?js$/.test(fromNpm) && existsSync(fromNpm)) return [execPath, fromNpm];
  const beside = [
    join(dirname(execPath), "node_modules", "npm", "bin", "npm-cli.js"),
    join(dirname(execPath), "..", "lib", "node_modules", "npm", "bin", "npm-cli.js"),
  ].find((file) => existsSync(file));
  if (beside) return [execPath, beside];
  return [platform === "win32" ? "npm.cmd" : "npm"];
}
