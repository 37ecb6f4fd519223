// The launcher's process side with real processes and sockets: how it probes the bridge address,
// that what it starts is detached (own process group) with its output in the runtime folder's log
// and the plugin's environment, and that a bridge that ends at start is reported with its last words.

import { createServer, type Server } from "node:http";
import { createServer as createTcpServer, type Server as TcpServer } from "node:net";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BridgeLauncher, bridgeConfigFile, probeBridge, type LauncherState } from "../../src/bridge-launcher.js";
import { freePort } from "../../rig/ports.js";
import { isAlive, waitFor } from "../../rig/processes.js";

let dir: string;
const started: number[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "relay-launcher-"));
});

afterEach(async () => {
  for (const pid of started.splice(0)) if (isAlive(pid)) process.kill(pid, "SIGKILL");
  await rm(dir, { recursive: true, force: true });
});

async function listen(server: Server | TcpServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as { port: number }).port;
}

describe("probing the bridge address", () => {
  it("tells a refused connection from an answer and from a port that holds but never answers", async () => {
    expect(await probeBridge(`http://127.0.0.1:${await freePort()}`)).toBe("refused");
    const http = createServer((_req, res) => res.writeHead(404).end());
    const silent = createTcpServer(() => undefined);
    try {
      expect(await probeBridge(`http://127.0.0.1:${await listen(http)}`)).toBe("answered");
      expect(await probeBridge(`http://127.0.0.1:${await listen(silent)}`, 300)).toBe("no-answer");
    } finally {
      http.close();
      silent.close();
    }
  });
});

describe("starting the bundled bridge", () => {
  it("uses RELAY_CONFIG when set, else the config file relay-bridge uses by hand", () => {
    expect(bridgeConfigFile({ RELAY_CONFIG: "/x/config.json" })).toBe("/x/config.json");
    expect(bridgeConfigFile({ XDG_CONFIG_HOME: "/home/u/.config" })).toBe(process.platform === "linux" ? "/home/u/.config/relay/config.json" : bridgeConfigFile({}));
  });

  it("starts it detached, in its own process group, with the config, the address's port and a log file", async () => {
    const entry = join(dir, "stand-in-bridge.mjs");
    await writeFile(entry, `console.log("args " + JSON.stringify(process.argv.slice(2)) + " env " + process.env.RELAY_TEST_MARK); setInterval(() => {}, 1000);\n`);
    const configFile = join(dir, "config", "config.json");
    const states: LauncherState[] = [];
    const launcher = new BridgeLauncher({ entry, env: { ...process.env, RELAY_CONFIG: configFile, RELAY_TEST_MARK: "passed-on" }, onChange: (state) => states.push(state) });
    const port = await freePort();
    await launcher.ensure(`http://127.0.0.1:${port}`, true);
    expect(launcher.state()).toMatchObject({ started: true, problem: undefined, configFile, logFile: join(dir, "config", "run", "bridge.log") });
    const log = await waitFor(async () => {
      const text = await readFile(launcher.state().logFile, "utf8").catch(() => "");
      return text.includes("args") ? text : "";
    }, { what: "the stand-in's output in the log" });
    expect(log).toContain(`args ${JSON.stringify(["--config", configFile, "--port", String(port)])} env passed-on`);
    const { stdout } = await execa("ps", ["-A", "-o", "pid=,pgid=,args="]);
    const line = stdout.split("\n").find((row) => row.includes(entry))!;
    const [pid, pgid] = line.trim().split(/\s+/).map(Number);
    started.push(pid!);
    expect(pgid).toBe(pid);
    // Asked again at once: nothing answers yet, but it was just started, so no second one.
    await launcher.ensure(`http://127.0.0.1:${port}`, true);
    const again = (await execa("ps", ["-A", "-o", "args="])).stdout.split("\n").filter((row) => row.includes(entry));
    expect(again).toHaveLength(1);
  });

  it("reports a bridge that ends at start with the end of its log, and starts nothing when told not to", async () => {
    const entry = join(dir, "failing-bridge.mjs");
    await writeFile(entry, `console.error("another bridge (pid 1) already runs on the config"); process.exit(1);\n`);
    const launcher = new BridgeLauncher({ entry, env: { ...process.env, RELAY_CONFIG: join(dir, "c", "config.json") } });
    const port = await freePort();
    await launcher.ensure(`http://127.0.0.1:${port}`, false);
    expect(launcher.state().started).toBe(false);
    await launcher.ensure(`http://127.0.0.1:${port}`, true);
    await waitFor(() => launcher.state().problem, { what: "the problem" });
    expect(launcher.state().problem).toMatch(/exit code 1.*another bridge \(pid 1\) already runs/);
    expect(launcher.state().started).toBe(false);
  });
});
