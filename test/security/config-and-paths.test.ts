// Rules that once had gaps: the token on every spelling of /api, no part of a key in a JSON error,
// and a config file edited by hand while the bridge runs is never overwritten nor lost.

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBridgeOnce, startBridge, type RunningBridge } from "../../rig/bridge.js";
import { freePort } from "../../rig/ports.js";
import { rawRequest } from "./raw-http.js";

const TOKEN = "tok_gaps_8d2c7e41";

describe("token on every spelling of /api", () => {
  let bridge: RunningBridge;
  beforeAll(async () => {
    bridge = await startBridge({ token: TOKEN, destinations: [{ id: "yt", name: "YouTube", url: "rtmp://127.0.0.1:9/live2", key: "gap_key_1" }] });
  });
  afterAll(() => bridge?.stop());

  it("answers 401 to /API/…, /Api/… and friends without the token, and changes nothing", async () => {
    for (const [method, path] of [["GET", "/API/status"], ["GET", "/Api/destinations"], ["GET", "/aPI/events"], ["POST", "/API/destinations/yt/toggle"], ["POST", "/api/DESTINATIONS/yt/start"]]) {
      const answer = await rawRequest({ port: bridge.port, method: method!, path: path! });
      expect(answer.status, `${method} ${path}`).toBe(401);
    }
    const view = await bridge.json("/api/destinations/yt");
    expect(view.enabled).toBe(false);
  });
});

describe("a config file with broken JSON", () => {
  it("says where, and does not quote any part of a stream key", async () => {
    const dir = await mkdtemp(join(tmpdir(), "relay-gaps-"));
    try {
      const file = join(dir, "config.json");
      const key = "live_9f8e7d6c5b4a3210";
      const text = JSON.stringify(
        {
          bridge: { host: "127.0.0.1", port: await freePort(), token: "" },
          destinations: [{ id: "yt", name: "YouTube", url: "rtmp://127.0.0.1:9/live2", key: "PLACEHOLDER" }],
        },
        null,
        2,
      ).replace('"PLACEHOLDER"', key);
      await writeFile(file, text);
      const run = await runBridgeOnce(["--config", file], { logLevel: null });
      expect(run.code).toBe(1);
      expect(run.output).toMatch(/not valid JSON at line 12, column 14/);
      expect(run.output).not.toContain(key.slice(0, 6));
      expect(await readFile(file, "utf8")).toBe(text);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("a config file edited by hand while the bridge runs", () => {
  let bridge: RunningBridge;
  beforeAll(async () => {
    bridge = await startBridge({ destinations: [{ id: "yt", name: "YouTube", url: "rtmp://127.0.0.1:9/live2", key: "gap_key_2" }] });
  });
  afterAll(() => bridge?.stop());

  it("never overwrites a broken edit, and keeps a valid one", async () => {
    const good = await readFile(bridge.configFile, "utf8");
    const broken = good.replace('"name": "YouTube"', '"name": "YouTube (edited)",,');
    await writeFile(bridge.configFile, broken);
    const refused = await bridge.api("/api/destinations/yt/toggle", { method: "POST" });
    expect(refused.status).toBe(409);
    expect((await refused.json()).error.code).toBe("config_file_invalid");
    expect(await readFile(bridge.configFile, "utf8")).toBe(broken);

    const renamed = good.replace('"name": "YouTube"', '"name": "YouTube (edited)"');
    await writeFile(bridge.configFile, renamed);
    expect((await bridge.api("/api/destinations/yt/toggle", { method: "POST" })).status).toBe(200);
    expect(JSON.parse(await readFile(bridge.configFile, "utf8")).destinations[0].name).toBe("YouTube (edited)");
  });

  it("picks up destinations added by hand at the next write", async () => {
    const config = JSON.parse(await readFile(bridge.configFile, "utf8"));
    config.destinations.push({ id: "by-hand", name: "Added by hand", url: "rtmp://127.0.0.1:9/app", key: "gap_key_3" });
    await writeFile(bridge.configFile, JSON.stringify(config, null, 2));
    expect((await bridge.api("/api/destinations/yt/stop", { method: "POST" })).status).toBe(200);
    const started = await bridge.api("/api/destinations/by-hand/start", { method: "POST" });
    expect(started.status).toBe(200);
    expect((await started.json()).enabled).toBe(true);
    expect(bridge.output()).not.toContain("gap_key_3");
  });
});
