// nginx as the bridge runs it: its own prefix and config in the runtime folder, the RTMP ingest,
// notifications to the bridge, the stat page on loopback at a secret path; kept up by the service supervisor.

import { ingestListenHost } from "../ingest/ingest-exposure.js";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import type { Logger } from "../log/logger.js";
import type { Config } from "../config/schema.js";
import { findBinary } from "../binaries/find-binary.js";
import { ServiceSupervisor, type ServiceSupervisorOptions } from "../process/service-supervisor.js";
import type { PidRecorder, SupervisedRun } from "../process/supervised-run.js";
import { inspectNginx } from "./rtmp-module.js";
import { randomBytes } from "node:crypto";
import { controlPath, renderNginxConfig, statPath } from "./render-config.js";
import { explainNginxError } from "./explain-error.js";
import { isNginxChatter, wrongApplicationIn } from "./log-lines.js";

export interface NginxServiceOptions {
  config: () => Config;
  runtimeDir: string;
  notify: { port: number; secret: string };
  /** Where nginx serves its stat page and control endpoint (nginxEndpoints). */
  endpoints: NginxEndpoints;
  log: Logger;
  /** A publisher (OBS) asked for an application the ingest does not have. */
  onWrongApplication?: (app: string) => void;
  /** Where nginx's pid is recorded while it runs (label "nginx"). */
  pids?: PidRecorder;
  /** Applied to the lines kept for error messages. */
  redact?: (text: string) => string;
  /** Spawn and clock for the supervisor (real ones unless a test passes fakes). */
  supervisor?: ServiceSupervisorOptions;
}

/**
 * The command that asks a running nginx to stop: its own binary with the same `-p`/`-c` (so it
 * finds the pid file), plus `-s stop` (fast: a graceful quit would wait for OBS to disconnect).
 * Windows has no SIGTERM for nginx; this is how nginx itself is stopped there.
 */
export function nginxStopCommand(start: { command: string; args: readonly string[] }): { command: string; args: string[] } {
  return { command: start.command, args: [...start.args, "-s", "stop"] };
}

/** Where the bridge's nginx serves its stat page and control endpoint, behind this run's secret. */
export interface NginxEndpoints {
  statPort: number;
  statSecret: string;
  statUrl: string;
  controlUrl: string;
}

/** The stat page and control endpoint on loopback `statPort`, at a new secret path: the page names the ingest key, and nobody but the bridge may read it. */
export function nginxEndpoints(statPort: number): NginxEndpoints {
  const statSecret = randomBytes(16).toString("hex");
  return {
    statPort,
    statSecret,
    statUrl: `http://127.0.0.1:${statPort}${statPath(statSecret)}`,
    controlUrl: `http://127.0.0.1:${statPort}${controlPath(statSecret)}`,
  };
}

/** The nginx supervisor. */
export function createNginxService(options: NginxServiceOptions): ServiceSupervisor {
  const { statPort, statSecret, statUrl } = options.endpoints;
  const dir = join(options.runtimeDir, "nginx");
  let started: { command: string; args: string[] } | undefined;
  const service: ServiceSupervisor = new ServiceSupervisor(
    {
      name: "nginx",
      async prepare() {
        const config = options.config();
        const binary = await findBinary("nginx", config.binaries.nginx);
        const { rtmpModulePath, errorLogFlag } = await inspectNginx(binary);
        await mkdir(join(dir, "temp"), { recursive: true });
        await mkdir(join(dir, "logs"), { recursive: true });
        const file = join(dir, "nginx.conf");
        // 0600: the file holds the run's notification secret.
        await writeFile(
          file,
          renderNginxConfig({
            rtmpModulePath,
            runtimeDir: dir,
            ingest: { ...config.ingest, host: ingestListenHost(config.ingest) },
            notify: options.notify,
            statPort,
            statSecret,
          }),
          { mode: 0o600 },
        );
        await chmod(file, 0o600);
        started = { command: binary, args: [...(errorLogFlag ? ["-e", "stderr"] : []), "-p", dir, "-c", file] };
        return started;
      },
      // Up when the stat page answers (the supervisor gives up on an exit or after the timeout).
      async ready(run: SupervisedRun) {
        while (run.running) {
          try {
            if ((await fetch(statUrl)).ok) return;
          } catch {
            // not listening yet
          }
          await sleep(25);
        }
        throw new Error(explainNginxError(run.output.texts(), options.config().ingest.port) ?? "nginx stopped at start");
      },
      readyTimeout: { ms: 8_000, reason: "nginx did not answer on its stat page within 8 s" },
      // Fast shutdown: a graceful one would wait for OBS to disconnect. SIGTERM on POSIX; on Windows
      // `nginx -s stop`, since a signal there would only ever end in the kill after the grace period.
      stop: {
        signal: "SIGTERM",
        request: async () => {
          if (!started) return;
          const { command, args } = nginxStopCommand(started);
          await execa(command, args, { reject: false, windowsHide: true, timeout: 5_000 });
        },
        graceMs: 2_000,
      },
      pids: options.pids ? { registry: options.pids, label: "nginx", program: "nginx" } : undefined,
      explain: (lines) => explainNginxError(lines, options.config().ingest.port),
      // Info lines (each connection, each publish) would push the errors out of the recent lines.
      keepLine: (line) => !isNginxChatter(line),
      redact: options.redact,
      onLine(line) {
        if (isNginxChatter(line)) {
          const app = wrongApplicationIn(line);
          if (app !== null) options.onWrongApplication?.(app);
          return;
        }
        options.log.warn(line);
      },
    },
    options.log,
    options.supervisor,
  );
  return service;
}
