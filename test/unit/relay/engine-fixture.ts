// A relay engine on a config file of its own, built as bridge/main.ts builds it (the real store, data
// plane, ingest gate, relay fleet, status hub, stunnel pool and pid registry), with an nginx supervisor
// that stays stopped: no ingest is published, so no relay starts.
// For the engine's unit tests (what it decides and keeps), not for relaying media.

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { EventEmitter } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigStore } from "../../../bridge/config/store.js";
import { createLogger } from "../../../bridge/log/logger.js";
import { DataPlane } from "../../../bridge/media/data-plane.js";
import { PidRegistry } from "../../../bridge/process/pid-registry.js";
import type { ServiceSupervisor } from "../../../bridge/process/service-supervisor.js";
import { RelayEngine } from "../../../bridge/relay/engine.js";
import { RelayFleet } from "../../../bridge/relay/relay-fleet.js";
import { StatusHub } from "../../../bridge/relay/status-hub.js";
import { IngestGate } from "../../../bridge/ingest/ingest-gate.js";
import { SecretRegistry } from "../../../bridge/secrets/redact.js";
import { StunnelPool } from "../../../bridge/stunnel/stunnel-pool.js";

export interface TestEngine {
  engine: RelayEngine;
  /** The parts the engine is built on (a test may report through them as the bridge's programs do). */
  dataPlane: DataPlane;
  hub: StatusHub;
  secrets: SecretRegistry;
  /** The config file the engine writes (edit it by hand to test a hand edit). */
  file: string;
  store: ConfigStore;
  /** The services the engine restarted, in order. */
  restarted: string[];
  /** Stops the engine and removes its folder. */
  dispose(): Promise<void>;
}

/** An engine (not started) on a config file holding `config`. */
export async function createTestEngine(config: Record<string, unknown>, extraSecrets?: () => string[]): Promise<TestEngine> {
  const dir = await mkdtemp(join(tmpdir(), "relay-engine-"));
  const file = join(dir, "config.json");
  await writeFile(file, JSON.stringify(config), { mode: 0o600 });
  const store = await ConfigStore.open(file);
  const secrets = new SecretRegistry();
  const log = createLogger({ level: "error", redact: (text) => secrets.redact(text), write: () => undefined });
  const restarted: string[] = [];
  const nginx = Object.assign(new EventEmitter(), { view: { state: "stopped" }, start: async () => undefined, stop: async () => undefined, restart: async () => void restarted.push("nginx") });
  const dataPlane = new DataPlane({
    ingestUrl: () => "rtmp://127.0.0.1:1/live",
    holdMs: () => 0,
    slateImage: () => "",
    ffmpeg: async () => "ffmpeg",
    renderPng: async () => Buffer.alloc(0),
    runtimeDir: dir,
    log,
  });
  const current = () => store.current;
  const gate = new IngestGate({ config: current, dataPlane, statUrl: "http://127.0.0.1:1/stat", controlUrl: "http://127.0.0.1:1/control", secrets, log });
  const stunnel = new StunnelPool({ runtimeDir: dir, binary: () => "", log });
  const supervisor = nginx as unknown as ServiceSupervisor;
  const fleet = new RelayFleet({ config: current, gate, dataPlane, stunnel, pids: new PidRegistry(join(dir, "pids")), secrets, log });
  const hub = new StatusHub({ version: "0.0.0", config: current, gate, fleet, nginx: supervisor, stunnel, dataPlane, configProblems: () => store.problems });
  const engine = new RelayEngine({
    store,
    secrets,
    log,
    gate,
    fleet,
    hub,
    nginx: supervisor,
    stunnel,
    dataPlane,
    ...(extraSecrets ? { extraSecrets } : {}),
  });
  return {
    engine,
    dataPlane,
    hub,
    secrets,
    file,
    store,
    restarted,
    dispose: async () => {
      await engine.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
