// Ctrl-C on the test run: a program a test started in its own process group (out of the terminal's
// reach) is stopped with the test process, so no nginx or demo folder is left behind.

import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import psList from "ps-list";
import { waitFor } from "../../rig/processes.js";

const TSX_CLI = fileURLToPath(new URL("../../node_modules/tsx/dist/cli.mjs", import.meta.url));
const FIXTURE = fileURLToPath(new URL("../fixtures/interrupted-runner.ts", import.meta.url));

describe.skipIf(process.platform === "win32")("an interrupted test run", () => {
  it("stops the programs its tests started in their own process groups", async () => {
    const runner = spawn(process.execPath, [TSX_CLI, FIXTURE], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    runner.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const pid = Number(await waitFor(() => /^(\d+)\n/.exec(output)?.[1], { what: "the runner's program" }));
    const running = async () => (await psList()).some((entry) => entry.pid === pid && entry.name === "sleep");
    expect(await running()).toBe(true);
    try {
      runner.kill("SIGINT");
      await waitFor(async () => !(await running()), { what: "the program to stop with its runner", timeoutMs: 5_000 });
    } finally {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // stopped, as it should be
      }
    }
  });
});
