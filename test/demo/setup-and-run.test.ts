// `npm run relay` as a newcomer meets it: the real set-up script on this machine's real programs.
// It reports what is there, says what it would install when something is not, and runs the
// bridge (found programs and all) until a signal, passing the bridge's exit code on.

import { afterEach, describe, expect, it } from "vitest";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa, type ResultPromise } from "execa";
import { freePort } from "../../rig/ports.js";
import { copyBuiltProject } from "../../rig/project-copy.js";
import { waitFor } from "../../rig/processes.js";
import { killTree } from "../../bridge/process/child-process.js";
import type { StatusView } from "../../contract/api.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SCRIPT = join(ROOT, "scripts", "setup-and-run.mjs");

/** The script with a config file of our own, so the user's config is never read. */
async function check(env: Record<string, string>, config: object = {}) {
  const dir = await mkdtemp(join(tmpdir(), "relay-setup-"));
  try {
    await writeFile(join(dir, "config.json"), JSON.stringify(config));
    return await execa(process.execPath, [SCRIPT, "--check", "--config", join(dir, "config.json")], { reject: false, env, extendEnv: false });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("npm run relay", () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it("--check finds nginx with its RTMP module, ffmpeg and stunnel here, and says it is ready", async () => {
    const result = await check({ PATH: process.env.PATH ?? "" });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/ok\s+nginx [\d.]+ with the RTMP module/);
    expect(result.stdout).toMatch(/ok\s+ffmpeg /);
    expect(result.stdout).toMatch(/ok\s+stunnel /);
    expect(result.stdout).toMatch(/Ready/);
  });

  it("--check with ffmpeg out of reach: names it and the apt-get command, exits 1, installs nothing", async () => {
    // An empty PATH: nginx and stunnel are still found where Debian puts them and the bridge looks
    // (/usr/sbin/nginx, /usr/bin/stunnel4); ffmpeg in /usr/bin is not.
    const empty = await mkdtemp(join(tmpdir(), "relay-empty-path-"));
    cleanup.push(() => rm(empty, { recursive: true, force: true }));
    const result = await check({ PATH: empty });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/ok\s+nginx [\d.]+ with the RTMP module\s+\/usr\/sbin\/nginx/);
    expect(result.stdout).toMatch(/ok\s+stunnel\s+\/usr\/bin\/stunnel4/);
    expect(result.stdout).toMatch(/missing\s+ffmpeg/);
    expect(result.stdout).toMatch(/apt-get install -y ffmpeg$/m);
    expect(result.stdout).not.toContain("$ apt-get");
  });

  it("--check names a binaries path of the config that points at nothing", async () => {
    const result = await check({ PATH: process.env.PATH ?? "" }, { binaries: { ffmpeg: "/opt/no-such-folder/ffmpeg" } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('binaries.ffmpeg is "/opt/no-such-folder/ffmpeg", which does not exist');
  });

  it("runs the bridge, which finds nginx in /usr/sbin off a user's PATH, and ends it on SIGTERM with exit code 0", async () => {
    // A copy of the project with the build in place and up to date: the script runs from it without building.
    const copy = await copyBuiltProject();
    cleanup.push(copy.remove);
    const project = copy.dir;

    const port = await freePort();
    const config = join(project, "config.json");
    await writeFile(config, JSON.stringify({ bridge: { host: "127.0.0.1", port }, ingest: { host: "127.0.0.1", port: await freePort() } }));
    let output = "";
    // Debian's PATH for a normal user has no /usr/sbin.
    const child: ResultPromise = execa(process.execPath, [join(project, "scripts", "setup-and-run.mjs"), "--config", config], {
      reject: false,
      all: true,
      buffer: false,
      env: { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: project },
      extendEnv: false,
    });
    // Only when the test failed half-way: the script and the bridge below it.
    cleanup.push(async () => {
      if (child.pid !== undefined && child.exitCode === null) await killTree(child.pid, "SIGKILL");
      await child;
    });
    child.all!.on("data", (chunk: Buffer) => (output += chunk.toString()));

    await waitFor(() => output.includes(`Relay bridge listening on http://127.0.0.1:${port}`), { what: "the bridge to listen", timeoutMs: 30_000 });
    expect(output).not.toMatch(/building|npm ci/i);
    const status = async () => (await (await fetch(`http://127.0.0.1:${port}/api/status`)).json()) as StatusView;
    await waitFor(async () => (await status()).services.nginx.state === "running", { what: "nginx to run", timeoutMs: 15_000 });

    child.kill("SIGTERM");
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(output).toMatch(/SIGTERM: stopping every relay and nginx/);
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
  });
});
