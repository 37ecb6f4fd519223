// npm run pack: builds, then packs com.relay.sdPlugin into dist/com.relay.streamDeckPlugin with
// Elgato's CLI, the manifest's Version set from package.json (X.Y.Z → X.Y.Z.0).

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const cli = fileURLToPath(new URL("../node_modules/@elgato/cli/bin/streamdeck.mjs", import.meta.url));
const result = spawnSync(process.execPath, [cli, "pack", "com.relay.sdPlugin", "-o", "dist", "-f", "--no-update-check", "--version", version], {
  cwd: root,
  stdio: "inherit",
});
process.exit(result.status ?? 1);
