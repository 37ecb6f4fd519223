// The real bridge refuses to start when starting would be unsafe: listening beyond loopback with no
// token, or a config file it cannot trust. It says why, by key, and leaves the file as it was.

import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runBridgeOnce } from "../../rig/bridge.js";
import { freePort } from "../../rig/ports.js";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function configDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "relay-security-"));
  dirs.push(dir);
  return dir;
}

/** A config that is valid apart from what `patch` changes. */
async function validConfig(patch: (config: any) => void = () => undefined): Promise<any> {
  const config = {
    bridge: { host: "127.0.0.1", port: await freePort(), token: "" },
    ingest: { host: "127.0.0.1", port: await freePort(), app: "live", key: "" },
    destinations: [{ id: "yt", name: "YouTube", url: "rtmp://127.0.0.1:9/live2", key: "yt_key_5c1e0a" }],
  };
  patch(config);
  return config;
}

/**
 * Runs the built bridge once and waits for it to exit. A bridge that does not refuse would listen:
 * the timeout ends it, and nothing is ever sent to it. RELAY_* variables of the machine never count.
 */
function runOnce(configFile: string, args: string[] = [], env: Record<string, string> = {}) {
  return runBridgeOnce(["--config", configFile, ...args], { env: { RELAY_TOKEN: "", RELAY_HOST: "", RELAY_PORT: "", ...env } });
}

describe("no token, no network", () => {
  it("refuses --host 0.0.0.0 without a token, says why, and starts nothing", async () => {
    const dir = await configDir();
    const file = join(dir, "config.json");
    await writeFile(file, JSON.stringify(await validConfig(), null, 2), { mode: 0o600 });
    const run = await runOnce(file, ["--host", "0.0.0.0", "--port", String(await freePort())]);
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/refusing to listen on 0\.0\.0\.0 without a token/);
    expect(run.output).toContain("bridge.token");
    expect(run.output).not.toContain("listening on");
    // It stopped before nginx: no runtime config was rendered.
    expect(await readdir(dir)).toEqual(["config.json"]);
  });

  it("refuses a non-loopback bridge.host from the config file or RELAY_HOST the same way", async () => {
    const dir = await configDir();
    const fromFile = join(dir, "config.json");
    await writeFile(fromFile, JSON.stringify(await validConfig((config) => (config.bridge.host = "::")), null, 2));
    const run = await runOnce(fromFile);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/refusing to listen on :: without a token/);

    const dir2 = await configDir();
    const fromEnv = join(dir2, "config.json");
    await writeFile(fromEnv, JSON.stringify(await validConfig(), null, 2));
    const envRun = await runOnce(fromEnv, [], { RELAY_HOST: "0.0.0.0" });
    expect(envRun.code).toBe(1);
    expect(envRun.output).toMatch(/refusing to listen on 0\.0\.0\.0 without a token/);
  });
});

describe("blank and short tokens", () => {
  it("refuses a RELAY_TOKEN of white space with --host 0.0.0.0: says so, the minimum and how to make one", async () => {
    const dir = await configDir();
    const file = join(dir, "config.json");
    await writeFile(file, JSON.stringify(await validConfig(), null, 2), { mode: 0o600 });
    const run = await runOnce(file, ["--host", "0.0.0.0", "--port", String(await freePort())], { RELAY_TOKEN: "   " });
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/RELAY_TOKEN is blank/);
    expect(run.output).toContain("randomBytes(24)");
    expect(run.output).not.toContain("listening on");
    expect(await readdir(dir)).toEqual(["config.json"]);
  });

  it("refuses a short token from RELAY_TOKEN or bridge.token, naming the minimum and never quoting it", async () => {
    const dir = await configDir();
    const file = join(dir, "config.json");
    await writeFile(file, JSON.stringify(await validConfig(), null, 2), { mode: 0o600 });
    const fromEnv = await runOnce(file, [], { RELAY_TOKEN: "tok_s3cr" });
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.output).toMatch(/RELAY_TOKEN is too short: use at least 16 characters/);
    expect(fromEnv.output).not.toContain("tok_s3cr");

    const short = JSON.stringify(await validConfig((config) => (config.bridge.token = "tok_s3cr")), null, 2);
    await writeFile(file, short, { mode: 0o600 });
    const fromFile = await runOnce(file, ["--host", "0.0.0.0", "--port", String(await freePort())]);
    expect(fromFile.code).toBe(1);
    expect(fromFile.output).toMatch(/bridge\.token: is too short: use at least 16 characters/);
    expect(fromFile.output).toContain("randomBytes(24)");
    expect(fromFile.output).not.toContain("tok_s3cr");
    expect(fromFile.output).not.toContain("listening on");
    expect(await readFile(file, "utf8")).toBe(short);
  });
});

describe("a bad config file on disk", () => {
  // [what is wrong, the change, what the message must name]
  const cases: Array<[string, (config: any) => void, string]> = [
    ["a port that is not a number", (config) => (config.bridge.port = "eighty"), "bridge.port"],
    ["a server URL that is not rtmp", (config) => (config.destinations[0].url = "http://example.com/live"), "destinations[0].url: must start with rtmp:// or rtmps://"],
    ["a server URL with a space", (config) => (config.destinations[0].url = "rtmp://host/app extra"), "destinations[0].url: contains spaces"],
    ["an id that is not a slug", (config) => (config.destinations[0].id = "You Tube"), "destinations[0].id: must be a slug"],
    ["the same id twice", (config) => config.destinations.push({ ...config.destinations[0] }), 'destinations[1].id: "yt" is used twice'],
    ["a key with a space", (config) => (config.destinations[0].key = "yt key 5c1e0a"), "destinations[0].key: must not contain spaces"],
    ["a key longer than 512", (config) => (config.destinations[0].key = `yt_long_${"k".repeat(600)}`), "destinations[0].key: must be at most 512 characters"],
    ["a name longer than 64", (config) => (config.destinations[0].name = "N".repeat(65)), "destinations[0].name: must be at most 64 characters"],
    ["an ingest key with a slash", (config) => (config.ingest.key = "obs/key"), "ingest.key"],
    ["a token longer than 256", (config) => (config.bridge.token = `tok_${"t".repeat(300)}`), "bridge.token: must be at most 256 characters"],
  ];

  for (const [what, change, named] of cases) {
    it(`${what}: exits 1 naming ${named.split(":")[0]}, file untouched, no secret shown`, async () => {
      const dir = await configDir();
      const file = join(dir, "config.json");
      const config = await validConfig(change);
      const text = `${JSON.stringify(config, null, 2)}\n`;
      await writeFile(file, text, { mode: 0o640 });
      const before = await stat(file);
      const run = await runOnce(file, ["--port", String(config.bridge.port === "eighty" ? await freePort() : config.bridge.port)]);
      expect(run.timedOut).toBe(false);
      expect(run.code).toBe(1);
      expect(run.output).toContain(named);
      expect(run.output).toContain(file);
      expect(run.output).not.toContain("listening on");
      for (const destination of config.destinations) expect(run.output).not.toContain(destination.key);
      if (config.bridge.token) expect(run.output).not.toContain(config.bridge.token);
      expect(await readFile(file, "utf8")).toBe(text);
      const after = await stat(file);
      expect(after.mtimeMs).toBe(before.mtimeMs);
      expect(after.mode).toBe(before.mode);
      expect(await readdir(dir)).toEqual(["config.json"]);
    });
  }

  it("broken JSON: exits 1 saying so, file byte-for-byte unchanged", async () => {
    const dir = await configDir();
    const file = join(dir, "config.json");
    const text = `${JSON.stringify(await validConfig(), null, 2).replace(/\n}$/, ",\n}")}\n`;
    await writeFile(file, text);
    const run = await runOnce(file);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/not valid JSON/);
    expect(run.output).not.toContain("yt_key_5c1e0a");
    expect(await readFile(file, "utf8")).toBe(text);
    expect(await readdir(dir)).toEqual(["config.json"]);
  });
});
