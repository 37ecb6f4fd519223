// `npm start` as a service manager stops it: a SIGTERM to npm's own pid (not the process group)
// stops the bridge cleanly, with every nginx it started, instead of leaving it running orphaned.

import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import psList from "ps-list";
import { freePort } from "../../rig/ports.js";
import { stopGroupOnInterrupt, waitFor } from "../../rig/processes.js";

const ROOT = resolve(import.meta.dirname, "../..");
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe.skipIf(process.platform === "win32")("npm start", () => {
  it("stops the bridge and its nginx on a SIGTERM to npm's pid alone", async () => {
    const dir = await mkdtemp(join(tmpdir(), "relay-npm-start-"));
    const config = join(dir, "config.json");
    const port = await freePort();
    await writeFile(config, JSON.stringify({ bridge: { port }, ingest: { host: "127.0.0.1", port: await freePort() } }), { mode: 0o600 });
    // Its own process group, so the cleanup can end everything if the test fails.
    const npm = spawn("npm", ["start", "--", "--config", config], {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, RELAY_NO_BUILD: "1", RELAY_TOKEN: "", RELAY_HOST: "", RELAY_PORT: "" },
    });
    const undo = stopGroupOnInterrupt(npm.pid!, "SIGTERM");
    npm.once("exit", undo);
    let output = "";
    npm.stdout.on("data", (chunk) => (output += chunk));
    npm.stderr.on("data", (chunk) => (output += chunk));
    cleanups.push(async () => {
      try {
        process.kill(-npm.pid!, "SIGKILL");
      } catch {
        // gone already
      }
      // nginx runs in its own process group: end whatever of this run is left.
      for (const entry of (await psList()).filter((one) => (one.cmd ?? "").includes(dir))) {
        try {
          process.kill(entry.pid, "SIGKILL");
        } catch {
          // gone already
        }
      }
      await rm(dir, { recursive: true, force: true });
    });
    await waitFor(() => output.includes("Relay bridge listening on"), { what: "the bridge to listen", timeoutMs: 20_000 });
    const ours = async () => (await psList()).filter((entry) => (entry.cmd ?? "").includes(dir));
    const before = await ours();
    expect(before.some((entry) => entry.name === "nginx")).toBe(true);

    process.kill(npm.pid!, "SIGTERM");
    await waitFor(async () => (await ours()).length === 0, { what: "the bridge and its nginx to stop", timeoutMs: 10_000 });
    // (A process that ended may stay a zombie until its new parent reaps it: ps lists none of ours.)
    expect(output).toMatch(/SIGTERM: stopping every relay and nginx/);
    expect(output).toMatch(/\[bridge\] stopped/);
  });
});
