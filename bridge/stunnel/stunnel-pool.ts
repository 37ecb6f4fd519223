// One stunnel client per destination that goes through stunnel, each its own process with its own
// loopback port: adding, removing or restarting one never touches another's connection.

import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "../log/logger.js";
import type { ServiceView } from "../shared/api.js";
import { findBinary } from "../binaries/find-binary.js";
import { ServiceSupervisor, ServiceUnavailableError } from "../process/service-supervisor.js";
import { freeLoopbackPort } from "../process/free-port.js";
import type { Child } from "../process/child-process.js";
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
  /** Recent TLS failure lines, with when they were seen. */
  failures: Array<{ at: number; line: string }>;
  /** Set by each start; resolved by stunnel's ready line. */
  onReady?: () => void;
}

export interface StunnelPoolOptions {
  runtimeDir: string;
  binary: () => string;
  log: Logger;
  onChange: () => void;
  track?: (label: string, event: "start" | "end", pid: number) => void;
}

export class StunnelPool {
  readonly #clients = new Map<string, Client>();

  constructor(private readonly options: StunnelPoolOptions) {}

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
    this.options.onChange();
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
    return explainStunnelFailure(client.failures.filter((failure) => failure.at >= since).map((failure) => failure.line));
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
    const client: Client = { target, acceptPort, failures: [], service: undefined as unknown as ServiceSupervisor };
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
        ready: (child) => waitForReadyLine(client, child),
        stop: { signal: "SIGTERM", graceMs: 1_000 },
        track: (event, pid) => this.options.track?.(`stunnel-${id}`, event, pid),
        onLine: (line) => {
          if (isReadyLine(line)) client.onReady?.();
          if (isTlsFailureLine(line)) {
            client.failures.push({ at: Date.now(), line });
            if (client.failures.length > 20) client.failures.shift();
            log.warn(line);
          } else {
            log.debug(line);
          }
        },
      },
      log,
    );
    client.service.on("state", () => this.options.onChange());
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

/** Resolves when stunnel says it accepts connections; rejects if it exits or takes over 5 s. */
function waitForReadyLine(client: Client, child: Child): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("stunnel did not listen within 5 s")), 5_000);
    const done = (error?: Error) => {
      clearTimeout(timer);
      client.onReady = undefined;
      if (error) reject(error);
      else resolve();
    };
    client.onReady = () => done();
    void child.exited.then(() => done(new Error("stunnel stopped at start (see its log lines)")));
  });
}
