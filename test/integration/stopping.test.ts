// Stopping cleanly, with the real bridge and nginx: nothing left running and no pid record left
// after Ctrl-C, also when Ctrl-C comes while nginx is still starting; and nginx stopped the way
// Windows stops it (`nginx -s stop` with the same -p/-c), here on the real Linux nginx.

import { afterAll, describe, expect, it } from "vitest";
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import psList from "ps-list";
import { BRIDGE_ENTRY, startBridge } from "../../rig/bridge.js";
import { freePort } from "../../rig/ports.js";
import { isAlive, startProgram, waitFor } from "../../rig/processes.js";
import { findBinary } from "../../bridge/binaries/find-binary.js";
import { inspectNginx } from "../../bridge/nginx/rtmp-module.js";
import { renderNginxConfig, statPath } from "../../bridge/nginx/render-config.js";
import { nginxStopCommand } from "../../bridge/nginx/nginx-service.js";
import { spawnChild } from "../../bridge/process/child-process.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** A process that ended and waits for its parent to read its exit (state Z in /proc/PID/stat). */
function isZombie(pid: number): boolean {
  try {
    return /\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** Processes whose command line names `text` (the bridge's runtime folder). */
async function processesNaming(text: string) {
  return (await psList()).filter((entry) => entry.cmd?.includes(text));
}

describe("stopping the bridge", () => {
  it("leaves no pid record behind after SIGINT (3 of 3)", async () => {
    for (let round = 0; round < 3; round += 1) {
      const bridge = await startBridge();
      const status = await bridge.json("/api/status");
      expect(status.services.nginx.state).toBe("running");
      expect(existsSync(join(bridge.dir, "run", "pids", "nginx.json"))).toBe(true);
      expect(await bridge.stop({ keep: true, signal: "SIGINT" })).toBe(0);
      expect(await readdir(join(bridge.dir, "run", "pids"))).toEqual([]);
      await rm(bridge.dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("leaves no key renderer behind, whether it is stopped or killed", async () => {
    for (const signal of ["SIGINT", "SIGKILL"] as const) {
      const bridge = await startBridge();
      // A key PNG: the renderer's process, a child of the bridge running the bundled worker.
      expect((await bridge.api("/api/ingest/key.png")).status).toBe(200);
      const renderers = (await psList()).filter((entry) => entry.ppid === bridge.child.pid && (entry.cmd ?? "").includes("key-render-worker.js"));
      expect(renderers).toHaveLength(1);
      const runtime = await processesNaming(bridge.dir);
      await bridge.stop({ signal, keep: true });
      // Its channel closed with the bridge: it exits by itself, also when the bridge had no time to end it.
      await waitFor(() => !isAlive(renderers[0]!.pid), { timeoutMs: 10_000, what: `the key renderer (pid ${renderers[0]!.pid}) to end after the bridge's ${signal}` });
      // A killed bridge leaves its nginx to the next start's clean-up: end it here.
      if (signal === "SIGKILL") for (const entry of runtime) if (isAlive(entry.pid)) process.kill(entry.pid, "SIGTERM");
      await waitFor(async () => (await processesNaming(bridge.dir)).length === 0, { what: "the bridge's nginx to end" });
      await rm(bridge.dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("ends nginx when SIGINT comes during nginx's first start", async () => {
    const dir = await mkdtemp(join(tmpdir(), "relay-stop-early-"));
    dirs.push(dir);
    // The real nginx, slow to come up (as on a cold disk or under a virus scanner): the wrapper waits
    // before it becomes nginx, except for the bridge's `nginx -V` look at the build and `nginx -v`, its
    // check that a path set by hand is nginx.
    const nginx = await findBinary("nginx", "");
    const slowNginx = join(dir, "slow-nginx");
    await writeFile(slowNginx, `#!/bin/sh\ncase "$1" in -V|-v) ;; *) sleep 2 ;; esac\nexec "${nginx}" "$@"\n`);
    await chmod(slowNginx, 0o755);
    const configFile = join(dir, "config.json");
    const port = await freePort();
    await writeFile(
      configFile,
      JSON.stringify({
        bridge: { host: "127.0.0.1", port, token: "" },
        ingest: { host: "127.0.0.1", port: await freePort(), app: "live", key: "" },
        binaries: { nginx: slowNginx },
        destinations: [],
      }),
      { mode: 0o600 },
    );
    const bridge = startProgram({ command: process.execPath, args: [BRIDGE_ENTRY, "--config", configFile] });
    const runtimeDir = join(dir, "run");
    // nginx's record is written the moment it is spawned, long before it answers: the wrapper's pid,
    // which becomes nginx's own when the wrapper's wait is over (exec keeps the pid).
    const spawned = await waitFor(async () => (JSON.parse(await readFile(join(runtimeDir, "pids", "nginx.json"), "utf8")) as { pid: number }).pid, {
      what: "nginx to be spawned",
      intervalMs: 10,
    });
    expect(bridge.output()).not.toContain("listening");
    bridge.child.kill("SIGINT");
    const result = await bridge.exited;
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
    expect(bridge.output()).toContain("SIGINT: stopping");
    // What was spawned is gone (or a zombie nobody reaped yet, which can run nothing): an nginx that
    // survived SIGINT would still hold that pid, as the waiting wrapper or as nginx after it (the wait
    // times out, the test fails), and nothing else naming the runtime folder runs.
    await waitFor(() => !isAlive(spawned) || isZombie(spawned), { what: `what was spawned as nginx (pid ${spawned}) to be ended`, timeoutMs: 5_000, intervalMs: 20 });
    expect(await processesNaming(runtimeDir)).toEqual([]);
    expect(await readdir(join(runtimeDir, "pids"))).toEqual([]);
  }, 30_000);
});

describe("nginx stopped the Windows way (platform injected), with the real nginx", () => {
  it("exits at `nginx -s stop` with the same -p and -c, long before the kill after the grace period", async () => {
    const dir = await mkdtemp(join(tmpdir(), "relay-nginx-s-"));
    dirs.push(dir);
    const binary = await findBinary("nginx", "");
    const { rtmpModulePath, errorLogFlag } = await inspectNginx(binary);
    await mkdir(join(dir, "temp"), { recursive: true });
    await mkdir(join(dir, "logs"), { recursive: true });
    const statPort = await freePort();
    const file = join(dir, "nginx.conf");
    await writeFile(
      file,
      renderNginxConfig({
        rtmpModulePath,
        runtimeDir: dir,
        ingest: { host: "127.0.0.1", port: await freePort(), app: "live" },
        statSecret: "stopping-test-secret",
        notify: { port: await freePort(), secret: "s" },
        statPort,
      }),
    );
    const start = { command: binary, args: [...(errorLogFlag ? ["-e", "stderr"] : []), "-p", dir, "-c", file] };
    const child = spawnChild({ ...start, platform: "win32" });
    await waitFor(async () => (await fetch(`http://127.0.0.1:${statPort}${statPath("stopping-test-secret")}`)).ok, { what: "nginx's stat page", intervalMs: 25 });
    let asked = 0;
    const began = Date.now();
    const exit = await child.stop({
      // Given too: the Windows way must win over it.
      signal: "SIGTERM",
      request: async () => {
        asked += 1;
        const { command, args } = nginxStopCommand(start);
        await execa(command, args);
      },
      graceMs: 10_000,
    });
    expect(asked).toBe(1);
    expect(Date.now() - began).toBeLessThan(5_000);
    expect(exit).toMatchObject({ code: 0, signal: null, requested: true });
  }, 30_000);
});
