// The relay fleet: one runner per destination and the stream it reads, in one map. It carries out
// what the reconcile (reconcile.ts) decides, plans each start (planRelay with the encode for the
// stream it reads now), builds what the API shows of each destination, and is the only caller of the
// data plane's attach, retarget and detach. It tells its listeners when a relay moved.

import { EventEmitter } from "node:events";
import type { Config, Destination } from "../config/schema.js";
import { reencodeOf } from "../config/schema.js";
import { findBinary } from "../binaries/find-binary.js";
import type { FfmpegProgram } from "../ffmpeg/ffmpeg-program.js";
import { planRelay } from "../ffmpeg/relay-plan.js";
import type { IngestGate } from "../ingest/ingest-gate.js";
import type { Logger } from "../log/logger.js";
import type { DataPlane } from "../media/data-plane.js";
import { pipeSink } from "../media/pipe-sink.js";
import { CpuSampler } from "../process/cpu-sampler.js";
import type { PidRegistry } from "../process/pid-registry.js";
import type { SecretRegistry } from "../secrets/redact.js";
import type { DestinationView } from "../shared/api.js";
import type { StunnelPool } from "../stunnel/stunnel-pool.js";
import { destinationQuality, encodePlanFor } from "./destination-quality.js";
import { destinationView } from "./destination-view.js";
import { reconcile, type AppliedRelay, type ReconcileStep } from "./reconcile.js";
import { RelayRunner, type RelayPlan } from "./relay-runner.js";

export interface RelayFleetOptions {
  config: () => Config;
  gate: IngestGate;
  dataPlane: DataPlane;
  stunnel: StunnelPool;
  /** ffmpeg found and its version checked (absent: found on each start). */
  ffmpeg?: FfmpegProgram;
  pids: PidRegistry;
  secrets: SecretRegistry;
  log: Logger;
  /** How often each relay's CPU share is read (tests shorten it). */
  cpuPeriodMs?: number;
}

/** What the fleet tells: a relay's state moved (`true`), or only its numbers (`false`). */
export interface RelayFleetEvents {
  change: [stateChanged: boolean];
}

/** One destination's relay: its runner, and what it was last told (the destination as it was, the stream it reads). */
interface Relay {
  runner: RelayRunner;
  destination: Destination;
  reads: string | null;
}

export class RelayFleet extends EventEmitter<RelayFleetEvents> {
  readonly #relays = new Map<string, Relay>();
  readonly #cpu: CpuSampler;

  constructor(private readonly options: RelayFleetOptions) {
    super();
    this.#cpu = new CpuSampler({
      pids: () => new Map([...this.#relays].flatMap(([id, relay]) => (relay.runner.pid !== undefined ? [[id, relay.runner.pid] as const] : []))),
      onSample: () => this.emit("change", false),
      ...(options.cpuPeriodMs !== undefined ? { periodMs: options.cpuPeriodMs } : {}),
    });
  }

  start(): void {
    this.#cpu.start();
  }

  /** Stops every relay for good (the bridge stops): resolves when each ffmpeg has exited. */
  async stop(): Promise<void> {
    this.#cpu.stop();
    await Promise.all([...this.#relays.values()].map((relay) => relay.runner.shutdown()));
  }

  has(id: string): boolean {
    return this.#relays.has(id);
  }

  runner(id: string): RelayRunner | undefined {
    return this.#relays.get(id)?.runner;
  }

  /**
   * Brings every runner to the config and what each destination can read now (see reconcile.ts).
   * Resolves when removed relays have exited and their tunnels are gone.
   */
  async reconcile(config: Config): Promise<void> {
    const reads = this.options.gate.reads(config);
    const applied = new Map<string, AppliedRelay>();
    for (const [id, relay] of this.#relays) applied.set(id, { destination: relay.destination, reads: relay.reads, enabled: relay.runner.context.enabled });
    const steps = reconcile({
      destinations: config.destinations,
      applied,
      readsOf: (destination) => reads.get(destination.id) ?? null,
      heldMs: (stream) => this.options.gate.heldMs(stream),
    });
    // What each relay reads is recorded first: a start plans and is fed from here.
    for (const destination of config.destinations) {
      const relay = this.#relays.get(destination.id);
      if (relay) {
        relay.destination = destination;
        relay.reads = reads.get(destination.id) ?? null;
      }
    }
    await Promise.all(steps.map((step) => this.#carryOut(step)));
  }

  async #carryOut(step: ReconcileStep): Promise<void> {
    switch (step.type) {
      case "add": {
        // Recorded before the runner exists: a runner that starts at once plans from here.
        const relay: Partial<Relay> & Omit<Relay, "runner"> = { destination: step.destination, reads: step.reads };
        this.#relays.set(step.destination.id, relay as Relay);
        relay.runner = this.#newRunner(step.destination, step.reads);
        return;
      }
      case "remove": {
        const relay = this.#relays.get(step.id);
        this.#relays.delete(step.id);
        await relay?.runner.shutdown();
        await this.options.stunnel.remove(step.id);
        return;
      }
      case "retarget":
        this.options.dataPlane.retarget(step.id, step.reads);
        return;
      case "dispatch":
        this.#relays.get(step.id)?.runner.dispatch(step.event);
        return;
    }
  }

  #newRunner(destination: Destination, reads: string | null): RelayRunner {
    const id = destination.id;
    return new RelayRunner({
      id,
      enabled: destination.enabled,
      ingestLive: reads !== null,
      plan: () => this.#plan(id),
      redact: (text) => this.options.secrets.redact(text),
      log: this.options.log.scope(`relay:${id}`),
      policy: () => {
        const relays = this.options.config().relays;
        return {
          backoff: { initialMs: relays.retryInitialMs, maxMs: relays.retryMaxMs, factor: 2, jitter: 0.2 },
          maxFailures: relays.maxFailures,
          stallMs: relays.stallTimeoutMs,
        };
      },
      explainFailure: () => this.options.stunnel.recentFailure(id),
      attachInput: (stdin) => {
        const reads = this.#relays.get(id)?.reads;
        if (reads) this.options.dataPlane.attach(id, reads, pipeSink(stdin));
        else stdin.end();
      },
      detachInput: () => this.options.dataPlane.detach(id),
      pids: this.options.pids,
      onChange: (_runner, stateChanged) => this.emit("change", stateChanged),
    });
  }

  /** The command of `id`'s next start, from the destination and stream it has now. */
  async #plan(id: string): Promise<RelayPlan> {
    const relay = this.#relays.get(id);
    if (!relay?.reads) throw new Error("no ingest to relay");
    const { destination, reads } = relay;
    const config = this.options.config();
    const ffmpeg = this.options.ffmpeg;
    const command = ffmpeg ? await ffmpeg.resolve() : await findBinary("ffmpeg", config.binaries.ffmpeg);
    // A hardware encoder (or auto) waits for this ffmpeg's encoders to be tried, the first seconds after a start.
    const wantsHardware = (reencodeOf(destination)?.video.encoder ?? "x264") !== "x264";
    const encoders = wantsHardware && ffmpeg ? await ffmpeg.encodersOf(command) : ffmpeg?.encoders;
    const encode = encodePlanFor(destination, this.options.gate.sourceFacts(reads), encoders);
    return planRelay(destination, config.tls, command, this.options.stunnel, encode);
  }

  /** What the API shows of `destination` (its relay's state and figures, the stream it reads). */
  view(destination: Destination): DestinationView {
    const relay = this.#relays.get(destination.id);
    const reads = relay?.reads ?? null;
    const cpuPercent = this.#cpu.percent(destination.id);
    const gate = this.options.gate;
    return destinationView(destination, {
      relay: relay?.runner,
      quality: destinationQuality(destination, {
        source: gate.sourceFacts(reads),
        encoders: this.options.ffmpeg?.encoders,
        behind: relay?.runner.behind ?? false,
        readsEnhancedRtmp: this.options.ffmpeg?.readsEnhancedRtmp,
      }),
      ...(cpuPercent !== undefined ? { cpuPercent } : {}),
      input: reads === null ? null : gate.label(reads),
      source: destination.source !== undefined ? gate.label(destination.source) : undefined,
      skips: this.options.dataPlane.skips(destination.id),
      redact: (text) => this.options.secrets.redact(text),
    });
  }
}
