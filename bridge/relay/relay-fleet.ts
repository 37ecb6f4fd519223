// The relay fleet: one runner per destination and the stream it reads, in one map. It carries out
// what the reconcile (reconcile.ts) decides, plans each start (planRelay with the encode for the
// stream it reads now), builds what the API shows of each destination, and is the only caller of the
// data plane's attach, retarget and detach. It tells its listeners when a relay moved.

import { EventEmitter } from "node:events";
import type { Config, Destination } from "../config/schema.js";
import { givesWay, priorityOf, reencodeOf } from "../config/schema.js";
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
import type { DestinationView } from "../../contract/api.js";
import type { StunnelPool } from "../stunnel/stunnel-pool.js";
import { destinationQuality, encodePlanFor } from "./destination-quality.js";
import { destinationView } from "./destination-view.js";
import { reconcile, type AppliedRelay, type ReconcileStep } from "./reconcile.js";
import { RelayRunner, type RelayPlan } from "./relay-runner.js";
import { decideUplink, initialUplink, totalSentKbps, type UplinkPolicy, type UplinkSample, type UplinkState } from "./uplink.js";
import type { UplinkView } from "../../contract/api.js";

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
  /** How often the uplink is judged (uplink.ts). */
  uplinkPeriodMs?: number;
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
  /** The uplink as last judged: full or not, and who gave way (uplink.ts). */
  #uplink: UplinkState;
  #uplinkSamples: UplinkSample[] = [];
  #uplinkTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: RelayFleetOptions) {
    super();
    this.#cpu = new CpuSampler({
      pids: () => new Map([...this.#relays].flatMap(([id, relay]) => (relay.runner.pid !== undefined ? [[id, relay.runner.pid] as const] : []))),
      onSample: () => this.emit("change", false),
      ...(options.cpuPeriodMs !== undefined ? { periodMs: options.cpuPeriodMs } : {}),
    });
    this.#uplink = initialUplink(this.#uplinkPolicy());
  }

  start(): void {
    this.#cpu.start();
    this.#uplinkTimer = setInterval(() => this.#judgeUplink(), this.options.uplinkPeriodMs ?? 1_000);
    this.#uplinkTimer.unref?.();
  }

  /** Stops every relay for good (the bridge stops): resolves when each ffmpeg has exited. */
  async stop(): Promise<void> {
    this.#cpu.stop();
    clearInterval(this.#uplinkTimer);
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
    // A destination that gave way to a full uplink reads nothing until it comes back.
    const gaveWay = this.#uplink.gaveWay;
    for (const id of gaveWay.keys()) if (reads.get(id)) reads.set(id, null);
    const applied = new Map<string, AppliedRelay>();
    for (const [id, relay] of this.#relays) applied.set(id, { destination: relay.destination, reads: relay.reads, enabled: relay.runner.context.enabled });
    const steps = reconcile({
      destinations: config.destinations,
      applied,
      readsOf: (destination) => reads.get(destination.id) ?? null,
      // Giving way ends the platform's session at once: no stand-in.
      heldMs: (stream, id) => (gaveWay.has(id) ? 0 : this.options.gate.heldMs(stream)),
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
      onSent: (outMs) => this.options.dataPlane.reportSent(id, outMs),
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
      // Slower than real time is the encoder's fault only for a re-encode on an uplink that is not full.
      quality: destinationQuality(destination, {
        source: gate.sourceFacts(reads),
        encoders: this.options.ffmpeg?.encoders,
        behind: (relay?.runner.behind ?? false) && reencodeOf(destination) !== null && !this.#uplink.full,
        readsEnhancedRtmp: this.options.ffmpeg?.readsEnhancedRtmp,
      }),
      gaveWay: this.#uplink.gaveWay.has(destination.id),
      behindMs: relay?.runner.sentKbps != null ? this.options.dataPlane.behindMs(destination.id) : null,
      ...(cpuPercent !== undefined ? { cpuPercent } : {}),
      input: reads === null ? null : gate.label(reads),
      source: destination.source !== undefined ? gate.label(destination.source) : undefined,
      skips: this.options.dataPlane.skips(destination.id),
      redact: (text) => this.options.secrets.redact(text),
    });
  }

  /** The uplink as the status shows it. */
  uplinkView(): UplinkView {
    const configured = this.options.config().uplink.kbps;
    return {
      full: this.#uplink.full,
      estimateKbps: this.#uplink.estimateKbps,
      configuredKbps: configured > 0 ? configured : null,
      totalKbps: totalSentKbps(this.#uplinkSamples),
    };
  }

  #uplinkPolicy(): UplinkPolicy {
    const uplink = this.options.config().uplink;
    return { configuredKbps: uplink.kbps, probeInitialMs: uplink.probeInitialMs, probeMaxMs: uplink.probeMaxMs };
  }

  /** Judges the uplink from every relay's figures (uplink.ts) and carries out who gives way or comes back. */
  #judgeUplink(): void {
    const config = this.options.config();
    const reads = this.options.gate.reads(config);
    const samples: UplinkSample[] = [];
    for (const destination of config.destinations) {
      const stream = reads.get(destination.id);
      const relay = this.#relays.get(destination.id);
      if (!destination.enabled || !stream || !relay) continue;
      const encode = reencodeOf(destination);
      samples.push({
        id: destination.id,
        priority: priorityOf(destination),
        giveWay: givesWay(destination),
        onAir: relay.runner.context.state === "live",
        sentKbps: relay.runner.sentKbps,
        wantKbps: encode ? encode.video.bitrateKbps + encode.audio.bitrateKbps : (this.options.gate.sourceFacts(stream)?.bitrateKbps ?? 0),
        behindMs: this.options.dataPlane.behindMs(destination.id),
      });
    }
    const before = this.#uplink;
    const { state, actions } = decideUplink(before, samples, this.#uplinkPolicy(), Date.now());
    this.#uplink = state;
    this.#uplinkSamples = samples;
    const log = this.options.log;
    for (const action of actions) {
      log.info(
        action.type === "giveWay"
          ? `the uplink is full (it carries about ${state.estimateKbps ?? 0} kbit/s): ${action.id} gives way to more important destinations`
          : `${action.id} comes back (the next try after giving way waits ${Math.round(state.probeDelayMs / 1000)} s)`,
      );
    }
    if (actions.length > 0 || before.gaveWay.size !== state.gaveWay.size) {
      void this.reconcile(config).catch((error: Error) => log.error(`uplink: ${error.message}`));
      this.emit("change", true);
    } else if (before.full !== state.full) this.emit("change", true);
    else if (samples.length > 0) this.emit("change", false);
  }
}
