// The engine's redaction set: every secret of the config, and the token given outside it
// (RELAY_TOKEN or --token), which must survive each refresh from the config.

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { EventEmitter } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigStore } from "../../../bridge/config/store.js";
import { createLogger } from "../../../bridge/log/logger.js";
import { DataPlane } from "../../../bridge/media/data-plane.js";
import { PidRegistry } from "../../../bridge/process/pid-registry.js";
import type { ServiceSupervisor } from "../../../bridge/process/service-supervisor.js";
import { RelayEngine } from "../../../bridge/relay/engine.js";
import { SecretRegistry } from "../../../bridge/secrets/redact.js";
import { StunnelPool } from "../../../bridge/stunnel/stunnel-pool.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function engineWith(extraSecrets?: () => string[]) {
  const dir = await mkdtemp(join(tmpdir(), "relay-engine-"));
  dirs.push(dir);
  const file = join(dir, "config.json");
  await writeFile(file, JSON.stringify({ bridge: { token: "config-token-51d" }, destinations: [] }), { mode: 0o600 });
  const store = await ConfigStore.open(file);
  const secrets = new SecretRegistry();
  const log = createLogger({ level: "error", redact: (text) => secrets.redact(text), write: () => undefined });
  // nginx is not started in this test: a supervisor that stays stopped.
  const nginx = Object.assign(new EventEmitter(), { view: { state: "stopped" }, start: async () => undefined, stop: async () => undefined, restart: async () => undefined });
  const dataPlane = new DataPlane({
    ingestUrl: () => "rtmp://127.0.0.1:1/live",
    holdMs: () => 0,
    slateImage: () => "",
    ffmpeg: async () => "ffmpeg",
    renderPng: async () => Buffer.alloc(0),
    runtimeDir: dir,
    log,
    onStreamUp: () => undefined,
    onStreamDown: () => undefined,
  });
  const engine = new RelayEngine({
    store,
    secrets,
    log,
    version: "0.0.0",
    nginx: nginx as unknown as ServiceSupervisor,
    statUrl: "http://127.0.0.1:1/stat",
    controlUrl: "http://127.0.0.1:1/control",
    stunnel: new StunnelPool({ runtimeDir: dir, binary: () => "", log, onChange: () => undefined }),
    pids: new PidRegistry(join(dir, "pids")),
    dataPlane,
    ...(extraSecrets ? { extraSecrets } : {}),
  });
  return { engine, secrets };
}

describe("engine secrets", () => {
  it("keeps a token given outside the config through every refresh from the config", async () => {
    const { engine, secrets } = await engineWith(() => ["env-token-9f2c"]);
    await engine.start();
    await engine.createDestination({ name: "YouTube", url: "rtmp://a.rtmp.youtube.com/live2", key: "yt-key-77a1" });
    const text = "token env-token-9f2c, config-token-51d, key yt-key-77a1";
    expect(secrets.redact(text)).toBe("token •••, •••, key •••");
    await engine.deleteDestination("youtube");
    expect(secrets.redact(text)).toBe("token •••, •••, key yt-key-77a1");
    await engine.stop();
  });
});
