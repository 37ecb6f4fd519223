// One stunnel client per destination that goes through stunnel, each its own process with its own
// loopback port: adding, removing or restarting one never touches another's connection.

import { EventEmitter } from "node:events";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "../log/logger.js";
import type { ServiceView } from "../../contract/api.js";
import { findBinary } from "../binaries/find-binary.js";
import { ServiceSupervisor, ServiceUnavailableError, type ServiceSupervisorOptions } from "../process/service-supervisor.js";
import { freeLoopbackPort } from "../process/free-port.js";
import type { PidRecorder } from "../process/supervised-run.js";
import { RecentLines } from "../process/recent-lines.js";
import { findCaBundle } from "./ca-bundle.js";
import { explainStunnelFailure, isReadyLine, isTlsFailureLine, renderStunnelConfig } from "./render-config.js";

export interface StunnelTarget {
  host: string;
  port: number;
  verify: boolean;
  caFile: string;
}

interface Client {
  target: StunnelTarget;
  acceptPort: number;
  service: ServiceSupervisor;
  /** Recent TLS failure lines, with when they were seen (kept across restarts of this client). */
  failures: RecentLines;
}

export interface StunnelPoolOptions {
  runtimeDir: string;
  binary: () => string;
  log: Logger;
  /** Where each client's pid is recorded while it runs (label "stunnel-ID"). */
  pids?: PidRecorder;
  /** Spawn and clock for the supervisors (real ones unless a test passes fakes). */
  supervisor?: ServiceSupervisorOptions;
}

/** The pool emits `change` when a client starts, stops or changes state. */
export class StunnelPool extends EventEmitter<{ change: [] }> {
  readonly #clients = new Map<string, Client>();

  constructor(private readonly options: StunnelPoolOptions) {
    super();
  }

  /** The local port to push to for destination `id`, starting (or re-targeting) its stunnel when needed. */
  async ensure(id: string, target: StunnelTarget): Promise<number> {
    const existing = this.#clients.get(id);
    if (existing && sameTarget(existing.target, target)) {
      if (existing.service.view.state !== "running") await this.#waitRunning(existing);
      return existing.acceptPort;
    }
    if (existing) await this.remove(id);
    const client = await this.#create(id, target);
    this.#clients.set(id, client);
    await client.service.start();
    await this.#waitRunning(client);
    return client.acceptPort;
  }

  /** Stops and forgets destination `id`'s stunnel. */
  async remove(id: string): Promise<void> {
    const client = this.#clients.get(id);
    if (!client) return;
    this.#clients.delete(id);
    await client.service.stop();
    this.emit("change");
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#clients.keys()].map((id) => this.remove(id)));
  }

  async restartAll(): Promise<void> {
    await Promise.all([...this.#clients.values()].map((client) => client.service.restart()));
  }

  /** The pid of destination `id`'s stunnel (tests, diagnostics). */
  pid(id: string): number | undefined {
    return this.#clients.get(id)?.service.pid;
  }

  /** Why destination `id`'s last connection failed, from stunnel's log of the last `withinMs`. */
  recentFailure(id: string, withinMs = 15_000): string | null {
    const client = this.#clients.get(id);
    if (!client) return null;
    const since = Date.now() - withinMs;
    return explainStunnelFailure(client.failures.entries().filter((failure) => failure.at >= since).map((failure) => failure.text));
  }

  /** One view for all clients: the worst state wins; errors are named by destination. */
  get view(): ServiceView {
    const clients = [...this.#clients.entries()];
    if (clients.length === 0) return { state: "stopped" };
    const rank = ["missing", "failed", "restarting", "starting", "stopped", "running"] as const;
    let worst: ServiceView = { state: "running" };
    for (const [id, client] of clients) {
      const view = client.service.view;
      if (rank.indexOf(view.state as (typeof rank)[number]) < rank.indexOf(worst.state as (typeof rank)[number])) {
        worst = view.error ? { state: view.state, error: `${id}: ${view.error}` } : { state: view.state };
      }
    }
    return worst;
  }

  async #create(id: string, target: StunnelTarget): Promise<Client> {
    const dir = join(this.options.runtimeDir, "stunnel");
    const acceptPort = await freeLoopbackPort();
    const log = this.options.log.scope(`stunnel:${id}`);
    const client: Client = { target, acceptPort, failures: new RecentLines({ limit: 20 }), service: undefined as unknown as ServiceSupervisor };
    client.service = new ServiceSupervisor(
      {
        name: `stunnel (${id})`,
        prepare: async () => {
          const binary = await findBinary("stunnel", this.options.binary());
          const caFile = target.verify ? await findCaBundle(target.caFile, binary) : null;
          if (target.verify && !caFile) {
            throw new ServiceUnavailableError(
              target.caFile !== ""
                ? `tls.caFile ${target.caFile} does not exist: fix the path or clear it to use the system's certificates`
                : "no CA certificate bundle found for stunnel: set tls.caFile to a PEM bundle of trusted certificates",
            );
          }
          await mkdir(dir, { recursive: true });
          const file = join(dir, `${id}.conf`);
          await writeFile(
            file,
            renderStunnelConfig({ name: id, acceptPort, host: target.host, port: target.port, verify: target.verify, caFile, windows: process.platform === "win32" }),
          );
          return { command: binary, args: [file] };
        },
        ready: (run) => run.waitForLine(isReadyLine, "stunnel stopped at start (see its log lines)"),
        readyTimeout: { ms: 5_000, reason: "stunnel did not listen within 5 s" },
        stop: { signal: "SIGTERM", graceMs: 1_000 },
        pids: this.options.pids ? { registry: this.options.pids, label: `stunnel-${id}`, program: "stunnel" } : undefined,
        onLine: (line) => {
          if (isTlsFailureLine(line)) {
            client.failures.push(line);
            log.warn(line);
          } else {
            log.debug(line);
          }
        },
      },
      log,
      this.options.supervisor,
    );
    client.service.on("state", () => this.emit("change"));
    return client;
  }

  async #waitRunning(client: Client): Promise<void> {
    for (let i = 0; i < 200 && client.service.view.state !== "running"; i += 1) {
      const state = client.service.view.state;
      if (state === "missing" || state === "failed") break;
      await sleep(25);
    }
    const view = client.service.view;
    if (view.state !== "running") throw new Error(view.error ?? `stunnel is ${view.state}`);
  }
}

function sameTarget(a: StunnelTarget, b: StunnelTarget): boolean {
  return a.host === b.host && a.port === b.port && a.verify === b.verify && a.caFile === b.caFile;
}
