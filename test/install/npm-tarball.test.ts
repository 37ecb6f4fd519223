// Relay without Stream Deck (Companion, a server): `npm pack` makes a relay-bridge tarball that
// installs offline into an empty prefix, with nothing from this repository, and its `relay-bridge`
// command runs the bridge: API, status page, key PNGs (the WebAssembly renderer) and nginx.

import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa, type ResultPromise } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BRIDGE_ENTRY } from "../../rig/bridge.js";
import { freePort } from "../../rig/ports.js";
import { waitFor } from "../../rig/processes.js";

let work: string;
let tarball: string;
let prefix: string;
let version: string;
let bridge: ResultPromise | undefined;

const npm = (args: string[], cwd: string) => execa("npm", [...args, "--no-audit", "--no-fund", "--loglevel", "error"], { cwd, all: true, env: { npm_config_update_notifier: "false" } });

beforeAll(async () => {
  if (!existsSync(BRIDGE_ENTRY)) await execa("npm", ["run", "build", "--silent"], { stdio: "inherit" });
  version = (JSON.parse(await readFile("package.json", "utf8")) as { version: string }).version;
  work = await mkdtemp(join(tmpdir(), "relay-tarball-"));
  // The build is fresh (above, or npm test's); prepare would rebuild it.
  const packed = await execa("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work]);
  const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(work, info!.filename);
  prefix = join(work, "prefix");
}, 300_000);

afterAll(async () => {
  if (bridge && bridge.exitCode === null) {
    bridge.kill("SIGTERM");
    await bridge;
  }
  if (work) await rm(work, { recursive: true, force: true });
}, 30_000);

describe("the relay-bridge tarball", () => {
  it("holds the bundled bridge, its page and renderer, and needs no dependency", async () => {
    expect(tarball.endsWith(`relay-bridge-${version}.tgz`)).toBe(true);
    const listed = await execa("tar", ["-tzf", tarball]);
    const files = listed.stdout.split("\n").filter(Boolean).sort();
    expect(files).toEqual(expect.arrayContaining(["package/package.json", "package/dist/relay-bridge.js", "package/dist/key-render-worker.js", "package/dist/resvg.wasm", "package/dist/page/index.html", "package/dist/page/app.js", "package/dist/page/style.css"]));
    // No sources, no plugin, no 3 MB map of the bundle (the page's small map is served to its dev tools).
    expect(files.filter((file) => file.endsWith(".ts") || file.endsWith("relay-bridge.js.map") || file.includes("com.relay.sdPlugin") || file.endsWith(".streamDeckPlugin"))).toEqual([]);
    const pkg = JSON.parse(await readFile("package.json", "utf8")) as { dependencies?: Record<string, string>; bin: Record<string, string> };
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.bin["relay-bridge"]).toBe("dist/relay-bridge.js");
  });

  it("installs globally into an empty prefix, offline, with nothing beside it", async () => {
    const result = await npm(["install", "-g", "--prefix", prefix, "--offline", tarball], work);
    expect(result.exitCode, result.all).toBe(0);
    const installed = join(prefix, "lib", "node_modules", "relay-bridge");
    expect(existsSync(join(installed, "node_modules"))).toBe(false);
    const version_ = await execa(join(prefix, "bin", "relay-bridge"), ["--version"], { cwd: work });
    expect(version_.stdout.trim()).toBe(version);
  });

  it("installs into an empty project too (npm install of the tarball)", async () => {
    const project = join(work, "project");
    await mkdir(project);
    await writeFile(join(project, "package.json"), JSON.stringify({ name: "studio", private: true }));
    const result = await npm(["install", "--offline", tarball], project);
    expect(result.exitCode, result.all).toBe(0);
    expect((await readdir(join(project, "node_modules"))).filter((name) => !name.startsWith("."))).toEqual(["relay-bridge"]);
    expect((await execa(join(project, "node_modules", ".bin", "relay-bridge"), ["--version"])).stdout.trim()).toBe(version);
  });

  it("runs the bridge from the installed command: API, status page, key PNG, then stops cleanly", async () => {
    const port = await freePort();
    const configFile = join(work, "config", "config.json");
    await mkdir(join(work, "config"));
    await writeFile(configFile, JSON.stringify({ bridge: { port }, ingest: { host: "127.0.0.1", port: await freePort() } }), { mode: 0o600 });
    let output = "";
    bridge = execa(join(prefix, "bin", "relay-bridge"), ["--config", configFile], { cwd: work, reject: false, all: true, buffer: false, stdin: "ignore" });
    bridge.all?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(() => output.includes(`Relay bridge listening on http://127.0.0.1:${port}`), { what: `the installed bridge to listen:\n${output}`, timeoutMs: 30_000 });
    const base = `http://127.0.0.1:${port}`;
    expect(await (await fetch(`${base}/api/health`)).json()).toEqual({ ok: true, version });
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('src="/app.js"');
    expect((await fetch(`${base}/app.js`)).status).toBe(200);
    const png = Buffer.from(await (await fetch(`${base}/api/ingest/key.png`)).arrayBuffer());
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    await waitFor(async () => ((await (await fetch(`${base}/api/status`)).json()) as { services: { nginx: { state: string } } }).services.nginx.state === "running", { what: "nginx running" });
    bridge.kill("SIGTERM");
    expect((await bridge).exitCode).toBe(0);
    expect(existsSync(join(work, "config", "run", "bridge.lock"))).toBe(false);
  });
});
