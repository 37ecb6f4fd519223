// Runs one destination's relay: feeds events to the lifecycle and carries out its effects (spawn
// ffmpeg, stop it, retry timers), reads ffmpeg's progress to know when media really reaches the
// platform, and keeps the relay's recent output, redacted.

import type { Logger } from "../log/logger.js";
import { spawnChild, type Child, type ChildInput } from "../process/child-process.js";
import { explainRelayFailure } from "../ffmpeg/explain-failure.js";
import { bitrateBetween, isErrorLine, pickErrorLine, ProgressParser, showsMedia, type ProgressBlock } from "../ffmpeg/progress-parser.js";
import type { BackoffPolicy } from "../process/backoff.js";
import { initialContext, transition, type RelayContext, type RelayEffect, type RelayEvent } from "./lifecycle.js";

export interface RelayPlan {
  command: string;
  args: string[];
}

export interface RelayRunnerOptions {
  id: string;
  enabled: boolean;
  ingestLive: boolean;
  /** Builds the ffmpeg command for a start; throws with a readable message when it cannot. */
  plan: () => Promise<RelayPlan>;
  redact: (text: string) => string;
  log: Logger;
  onChange: (runner: RelayRunner) => void;
  /** Called with the pid of each ffmpeg started / ended (for pid files). */
  onProcess?: (event: "start" | "end", pid: number) => void;
  /** Retry and give-up policy, read at each decision so config changes apply. */
  policy?: () => { backoff: BackoffPolicy; maxFailures: number; stallMs: number };
  /** A better reason for a failed run than ffmpeg's own lines (e.g. stunnel's certificate error). */
  explainFailure?: () => string | null;
  /** The relay reads its media on stdin: the data plane feeds it from now on. */
  attachInput?: (stdin: ChildInput) => void;
  /** The relay is stopping or gone: feed it no more. */
  detachInput?: () => void;
  /** Live this long resets the failure count. */
  stableMs?: number;
  /** Grace between the stop request and killing the tree. */
  stopGraceMs?: number;
  now?: () => number;
  /** Randomness for the backoff's jitter (Math.random unless a test fixes it). */
  random?: () => number;
}

const LOG_LINES = 200;

export class RelayRunner {
  #context: RelayContext;
  #child: Child | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #holdTimer: NodeJS.Timeout | undefined;
  #stableTimer: NodeJS.Timeout | undefined;
  #watchdog: NodeJS.Timeout | undefined;
  #lastBlock: ProgressBlock | null = null;
  #lastGrowthAt = 0;
  #runErrors: string[] = [];
  #log: string[] = [];
  #bitrateKbps = 0;
  #fps = 0;
  #closed = false;
  readonly #now: () => number;

  constructor(private readonly options: RelayRunnerOptions) {
    this.#now = options.now ?? Date.now;
    this.#context = initialContext(false, options.ingestLive, this.#now());
    if (options.enabled) this.dispatch({ type: "enable" });
  }

  get id(): string {
    return this.options.id;
  }

  get context(): Readonly<RelayContext> {
    return this.#context;
  }

  get bitrateKbps(): number {
    return this.#flowing() ? this.#bitrateKbps : 0;
  }

  get fps(): number {
    return this.#flowing() ? this.#fps : 0;
  }

  #flowing(): boolean {
    return this.#context.state === "live" || this.#context.state === "holding";
  }

  get pid(): number | undefined {
    return this.#child?.running ? this.#child.pid : undefined;
  }

  /** Recent output of the relay, redacted, oldest first. */
  get logLines(): string[] {
    return [...this.#log];
  }

  dispatch(event: RelayEvent): void {
    if (this.#closed) return;
    const before = this.#context;
    const policy = this.options.policy?.();
    const result = transition(before, event, { now: this.#now(), backoff: policy?.backoff, maxFailures: policy?.maxFailures, random: this.options.random ?? Math.random });
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
    this.options.onChange(this);
  }

  /** Stops the relay for good (bridge shutdown): resolves when ffmpeg has exited. */
  async shutdown(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#holdTimer);
    clearTimeout(this.#stableTimer);
    clearInterval(this.#watchdog);
    const child = this.#child;
    this.options.detachInput?.();
    if (child?.running) await child.stop({ signal: "SIGINT", endInput: true, graceMs: this.options.stopGraceMs ?? 1500 });
  }

  #carryOut(effect: RelayEffect): void {
    switch (effect.type) {
      case "spawn":
        void this.#spawn();
        return;
      case "kill":
        // The end of its input (and SIGINT where there are signals) ends ffmpeg's copy loop cleanly;
        // while it still connects or probes, end it now.
        this.options.detachInput?.();
        if (this.#lastBlock === null) void this.#child?.kill();
        else void this.#child?.stop({ signal: "SIGINT", endInput: true, graceMs: this.options.stopGraceMs ?? 1500 });
        return;
      case "scheduleRetry":
        clearTimeout(this.#retryTimer);
        this.#retryTimer = setTimeout(() => this.dispatch({ type: "retryDue" }), effect.delayMs);
        return;
      case "cancelRetry":
        clearTimeout(this.#retryTimer);
        return;
      case "startHold":
        clearTimeout(this.#holdTimer);
        this.#holdTimer = setTimeout(() => this.dispatch({ type: "holdExpired" }), effect.delayMs);
        return;
      case "cancelHold":
        clearTimeout(this.#holdTimer);
        return;
    }
  }

  async #spawn(): Promise<void> {
    let plan: RelayPlan;
    try {
      plan = await this.options.plan();
    } catch (error) {
      this.#keep(`cannot start: ${(error as Error).message}`);
      this.dispatch({ type: "exited", error: this.options.redact((error as Error).message) });
      return;
    }
    this.#lastBlock = null;
    this.#runErrors = [];
    this.#bitrateKbps = 0;
    this.#fps = 0;
    this.#lastGrowthAt = this.#now();
    const parser = new ProgressParser();
    const child = spawnChild({
      command: plan.command,
      args: plan.args,
      onLine: (line, stream) => {
        if (stream === "stdout") {
          const block = parser.push(line);
          if (block && this.#child === child) this.#onProgress(block);
          return;
        }
        const clean = this.options.redact(line);
        this.#keep(clean);
        if (isErrorLine(clean)) {
          this.#runErrors.push(clean);
          if (this.#runErrors.length > 20) this.#runErrors.shift();
        }
      },
    });
    this.#child = child;
    if (child.pid !== undefined) this.options.onProcess?.("start", child.pid);
    if (child.stdin) this.options.attachInput?.(child.stdin);
    const exit = await child.exited;
    if (child.pid !== undefined) this.options.onProcess?.("end", child.pid);
    if (this.#child !== child || this.#closed) return;
    this.#child = undefined;
    this.options.detachInput?.();
    const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
    this.#keep(`relay exited (${how})`);
    const explained = exit.requested ? null : this.options.explainFailure?.();
    // The explainer reads the platform's side only: lines about the relay's input are not its fault.
    const input = plan.args[plan.args.indexOf("-i") + 1];
    const failure = exit.requested ? null : explainRelayFailure(this.#runErrors, input && this.options.redact(input));
    const error = exit.requested ? null : (explained ?? failure?.message ?? pickErrorLine(this.#runErrors) ?? `ffmpeg exited (${how})`);
    // An untrusted certificate or the platform's refusal would be the same on the next try: fail at once.
    const repeatable = explained ? /certificate|verif/i.test(explained) : (failure?.repeatable ?? false);
    this.dispatch({ type: "exited", error, repeatable });
  }

  #onProgress(block: ProgressBlock): void {
    const previous = this.#lastBlock;
    this.#lastBlock = block;
    if (!previous || block.totalSize > previous.totalSize) this.#lastGrowthAt = this.#now();
    const bitrate = bitrateBetween(previous, block);
    const fps = block.fps;
    const changed = bitrate !== this.#bitrateKbps || fps !== this.#fps;
    this.#bitrateKbps = bitrate;
    this.#fps = fps;
    if (this.#context.state === "starting" && showsMedia(block)) {
      this.dispatch({ type: "progress" });
      return;
    }
    if (changed && this.#flowing()) this.options.onChange(this);
  }

  /** Stable and watchdog timers follow the state: they run only while media flows (live or holding). */
  #syncTimers(): void {
    const live = this.#context.state === "live" || this.#context.state === "holding";
    if (live && !this.#stableTimer && this.#context.failures > 0) {
      this.#stableTimer = setTimeout(() => {
        this.#stableTimer = undefined;
        this.dispatch({ type: "stable" });
      }, this.options.stableMs ?? 30_000);
    } else if (!live && this.#stableTimer) {
      clearTimeout(this.#stableTimer);
      this.#stableTimer = undefined;
    }
    if (live && !this.#watchdog) {
      const stallMs = this.options.policy?.().stallMs ?? 10_000;
      this.#watchdog = setInterval(() => {
        if (this.#now() - this.#lastGrowthAt > stallMs) {
          this.#lastGrowthAt = this.#now();
          this.dispatch({ type: "stalled", error: `no media reached the platform for ${Math.round(stallMs / 1000)} s: restarting the relay` });
        }
      }, Math.min(1000, stallMs / 2));
    } else if (!live && this.#watchdog) {
      clearInterval(this.#watchdog);
      this.#watchdog = undefined;
    }
  }

  #keep(line: string): void {
    this.#log.push(`${new Date(this.#now()).toISOString()} ${line}`);
    if (this.#log.length > LOG_LINES) this.#log.splice(0, this.#log.length - LOG_LINES);
  }
}
