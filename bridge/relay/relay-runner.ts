// Runs one destination's relay: feeds events to the lifecycle (which decides every start, stop and
// retry) and carries out its effects with the generic process layer (one supervised run of ffmpeg at
// a time) and the relay program (ffmpeg's progress, stall measure, stop and failure explanation).
// The data plane feeds each run's stdin through the input hooks.

import type { Logger } from "../log/logger.js";
import type { ChildInput } from "../process/child-process.js";
import type { BackoffPolicy } from "../process/backoff.js";
import { realClock, type Clock, type TimerHandle } from "../process/clock.js";
import { RecentLines } from "../process/recent-lines.js";
import { startRun, type PidRecorder, type SpawnFunction, type SupervisedRun } from "../process/supervised-run.js";
import {
  explainRelayExit,
  keepsRelayLine,
  RELAY_LOG_LINES,
  RELAY_STOP_GRACE_MS,
  RelayProgress,
  relayStop,
  relayStopOptions,
  stallMessage,
  watchdogPeriodMs,
  type RelayPlan,
} from "../ffmpeg/relay-program.js";
import { initialContext, transition, type RelayContext, type RelayEffect, type RelayEvent } from "./lifecycle.js";

export type { RelayPlan } from "../ffmpeg/relay-program.js";

export interface RelayRunnerOptions {
  id: string;
  enabled: boolean;
  ingestLive: boolean;
  /** Builds the ffmpeg command for a start; throws with a readable message when it cannot. */
  plan: () => Promise<RelayPlan>;
  redact: (text: string) => string;
  log: Logger;
  /**
   * Called after every event the lifecycle took (`stateChanged`: it moved the relay to another state),
   * and when a flowing relay's bitrate or frame rate change (`stateChanged` false).
   */
  onChange: (runner: RelayRunner, stateChanged: boolean) => void;
  /** Where each ffmpeg's pid is recorded while it runs (label "relay-ID"). */
  pids?: PidRecorder;
  /** Retry and give-up policy, read at each decision so config changes apply. */
  policy?: () => { backoff: BackoffPolicy; maxFailures: number; stallMs: number };
  /** A better reason for a failed run than ffmpeg's own lines (e.g. stunnel's certificate error). */
  explainFailure?: () => string | null;
  /** The relay reads its media on stdin: the data plane feeds it from now on. */
  attachInput?: (stdin: ChildInput) => void;
  /** Its ffmpeg says it has written media up to `outMs` of the relay's timeline. */
  onSent?: (outMs: number) => void;
  /** The relay is stopping or gone: feed it no more. */
  detachInput?: () => void;
  /** Live this long resets the failure count. */
  stableMs?: number;
  /** Grace between the stop request and killing the tree. */
  stopGraceMs?: number;
  /** Time and timers (the real ones unless a test passes a fake clock). */
  clock?: Clock;
  /** Starts ffmpeg (spawnChild unless a test passes a fake). */
  spawn?: SpawnFunction;
  /** Randomness for the backoff's jitter (Math.random unless a test fixes it). */
  random?: () => number;
}

/** One ffmpeg run with what is known of it. */
interface RelayRun {
  process: SupervisedRun;
  progress: RelayProgress;
}

export class RelayRunner {
  #context: RelayContext;
  #run: RelayRun | undefined;
  /** The current or last run's progress (its numbers stay until the next run). */
  #progress: RelayProgress | undefined;
  /** A spawn asked for and still planning; set to cancelled when a kill comes first. */
  #pendingSpawn: { cancelled: boolean } | undefined;
  #retryTimer: TimerHandle | undefined;
  #holdTimer: TimerHandle | undefined;
  #stableTimer: TimerHandle | undefined;
  #watchdog: TimerHandle | undefined;
  #closed = false;
  #wasBehind = false;
  /** The relay's log: its ffmpeg's stderr and the runner's notes, redacted; each run's errors come from it. */
  readonly #log: RecentLines;
  readonly #clock: Clock;
  readonly #pids: PidRecorder | undefined;

  constructor(private readonly options: RelayRunnerOptions) {
    this.#clock = options.clock ?? realClock;
    this.#log = new RecentLines({ limit: RELAY_LOG_LINES, redact: options.redact, now: () => this.#clock.now() });
    this.#pids = options.pids;
    this.#context = initialContext(false, options.ingestLive, this.#clock.now());
    if (options.enabled) this.dispatch({ type: "enable" });
  }

  get id(): string {
    return this.options.id;
  }

  get context(): Readonly<RelayContext> {
    return this.#context;
  }

  get bitrateKbps(): number {
    return this.#flowing() ? (this.#progress?.bitrateKbps ?? 0) : 0;
  }

  get fps(): number {
    return this.#flowing() ? (this.#progress?.fps ?? 0) : 0;
  }

  /** Bytes sent to the platform in this session (its run: a hold keeps it), while media flows. */
  get sentBytes(): number | null {
    return this.#flowing() ? (this.#progress?.sentBytes ?? null) : null;
  }

  /** Media time per real second over the last seconds, while media flows (null: not known yet). */
  get speed(): number | null {
    return this.#flowing() ? (this.#progress?.speed ?? null) : null;
  }

  /** What reaches its platform per second, kbit/s of bytes written (null: not known, or not flowing). */
  get sentKbps(): number | null {
    return this.#flowing() ? (this.#progress?.sentKbps ?? null) : null;
  }

  /** Its ffmpeg runs slower than real time (an encoder too slow for this machine). */
  get behind(): boolean {
    return this.#flowing() && (this.#progress?.behind ?? false);
  }

  #flowing(): boolean {
    return this.#context.state === "live" || this.#context.state === "holding";
  }

  get pid(): number | undefined {
    return this.#run?.process.running ? this.#run.process.pid : undefined;
  }

  /** Recent output of the relay, redacted, oldest first, each line with its time. */
  get logLines(): string[] {
    return this.#log.entries().map((entry) => `${new Date(entry.at).toISOString()} ${entry.text}`);
  }

  dispatch(event: RelayEvent): void {
    if (this.#closed) return;
    const before = this.#context;
    const policy = this.options.policy?.();
    const result = transition(before, event, {
      now: this.#clock.now(),
      backoff: policy?.backoff,
      maxFailures: policy?.maxFailures,
      random: this.options.random ?? Math.random,
    });
    if (result.refused) {
      this.options.log.debug(`ignored: ${result.refused}`);
      return;
    }
    this.#context = result.context;
    if (before.state !== result.context.state) {
      this.options.log.info(`${before.state} → ${result.context.state}${result.context.lastError && result.context.state !== "live" ? ` (${result.context.lastError})` : ""}`);
    }
    for (const effect of result.effects) this.#carryOut(effect);
    this.#syncTimers();
    this.options.onChange(this, before.state !== result.context.state);
  }

  /** Stops the relay for good (bridge shutdown): resolves when ffmpeg has exited. */
  async shutdown(): Promise<void> {
    this.#closed = true;
    this.#clock.clearTimeout(this.#retryTimer);
    this.#clock.clearTimeout(this.#holdTimer);
    this.#clock.clearTimeout(this.#stableTimer);
    this.#clock.clearInterval(this.#watchdog);
    if (this.#pendingSpawn) this.#pendingSpawn.cancelled = true;
    const run = this.#run;
    this.options.detachInput?.();
    if (run?.process.running) await run.process.stop(relayStopOptions(this.#graceMs()));
  }

  #graceMs(): number {
    return this.options.stopGraceMs ?? RELAY_STOP_GRACE_MS;
  }

  #carryOut(effect: RelayEffect): void {
    switch (effect.type) {
      case "spawn":
        void this.#spawn();
        return;
      case "kill": {
        this.options.detachInput?.();
        const run = this.#run;
        if (!run) {
          // Still planning (e.g. waiting for stunnel): that run must not start at all.
          if (this.#pendingSpawn) this.#pendingSpawn.cancelled = true;
          return;
        }
        const stop = relayStop(run.progress.progressSeen, this.#graceMs());
        if (stop.kill) void run.process.kill();
        else void run.process.stop(stop.options);
        return;
      }
      case "scheduleRetry":
        this.#clock.clearTimeout(this.#retryTimer);
        this.#retryTimer = this.#clock.setTimeout(() => this.dispatch({ type: "retryDue" }), effect.delayMs);
        return;
      case "cancelRetry":
        this.#clock.clearTimeout(this.#retryTimer);
        return;
      case "startHold":
        this.#clock.clearTimeout(this.#holdTimer);
        this.#holdTimer = this.#clock.setTimeout(() => this.dispatch({ type: "holdExpired" }), effect.delayMs);
        return;
      case "cancelHold":
        this.#clock.clearTimeout(this.#holdTimer);
        return;
    }
  }

  async #spawn(): Promise<void> {
    const pending = { cancelled: false };
    this.#pendingSpawn = pending;
    let plan: RelayPlan;
    try {
      plan = await this.options.plan();
    } catch (error) {
      if (this.#pendingSpawn === pending) this.#pendingSpawn = undefined;
      if (this.#closed) return;
      this.#log.push(`cannot start: ${(error as Error).message}`);
      this.dispatch({ type: "exited", error: this.options.redact((error as Error).message) });
      return;
    }
    if (this.#pendingSpawn === pending) this.#pendingSpawn = undefined;
    if (this.#closed) return;
    if (pending.cancelled) {
      // Stopped before it started: the stop is done.
      this.dispatch({ type: "exited", error: null });
      return;
    }
    const progress = new RelayProgress(this.#clock.now());
    const mark = this.#log.mark();
    const process = startRun({
      command: plan.command,
      args: plan.args,
      output: this.#log,
      keep: keepsRelayLine,
      onLine: (line, stream) => {
        if (stream !== "stdout") return;
        const update = progress.push(line, this.#clock.now());
        if (!update || this.#run?.process !== process) return;
        const outMs = progress.outMs;
        if (outMs !== null && update.showsMedia) this.options.onSent?.(outMs);
        this.#onProgress(update.showsMedia, update.numbersChanged);
      },
      pids: this.#pids ? { registry: this.#pids, label: `relay-${this.options.id}`, program: "ffmpeg" } : undefined,
      spawn: this.options.spawn,
    });
    this.#run = { process, progress };
    this.#progress = progress;
    if (process.stdin) this.options.attachInput?.(process.stdin);
    const exit = await process.exited;
    if (this.#run?.process !== process || this.#closed) return;
    this.#run = undefined;
    this.options.detachInput?.();
    const lines = this.#log.texts(mark);
    this.#log.push(`relay exited (${exit.reason})`);
    const verdict = explainRelayExit({
      requested: exit.requested,
      reason: exit.reason,
      lines,
      args: plan.args.map((arg) => this.options.redact(arg)),
      outside: exit.requested ? null : (this.options.explainFailure?.() ?? null),
    });
    this.dispatch({ type: "exited", error: verdict.error, repeatable: verdict.repeatable });
  }

  #onProgress(showsMedia: boolean, numbersChanged: boolean): void {
    if (this.#context.state === "starting" && showsMedia) {
      this.dispatch({ type: "progress" });
      return;
    }
    const behind = this.behind;
    if (behind !== this.#wasBehind) {
      // A warning comes or goes: told at once, like a state.
      this.#wasBehind = behind;
      this.options.onChange(this, true);
      return;
    }
    if (numbersChanged && this.#flowing()) this.options.onChange(this, false);
  }

  /** Stable and watchdog timers follow the state: they run only while media flows (live or holding). */
  #syncTimers(): void {
    const live = this.#flowing();
    if (live && !this.#stableTimer && this.#context.failures > 0) {
      this.#stableTimer = this.#clock.setTimeout(() => {
        this.#stableTimer = undefined;
        this.dispatch({ type: "stable" });
      }, this.options.stableMs ?? 30_000);
    } else if (!live && this.#stableTimer) {
      this.#clock.clearTimeout(this.#stableTimer);
      this.#stableTimer = undefined;
    }
    if (live && !this.#watchdog) {
      const stallMs = this.options.policy?.().stallMs ?? 10_000;
      this.#watchdog = this.#clock.setInterval(() => {
        if (this.#progress?.stalled(this.#clock.now(), stallMs)) this.dispatch({ type: "stalled", error: stallMessage(stallMs) });
      }, watchdogPeriodMs(stallMs));
    } else if (!live && this.#watchdog) {
      this.#clock.clearInterval(this.#watchdog);
      this.#watchdog = undefined;
    }
  }
}
