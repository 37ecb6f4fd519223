// Keeps one long-running program (nginx, stunnel) up: prepares its config, starts it (one supervised
// run at a time), waits until it answers, restarts it with backoff when it dies, and reports its state.
// Knows no program itself: each one's module gives its spec.

import { EventEmitter } from "node:events";
import type { ServiceState, ServiceView } from "../../contract/api.js";
import type { Logger } from "../log/logger.js";
import type { StopOptions } from "./child-process.js";
import { backoffDelay, SERVICE_BACKOFF, type BackoffPolicy } from "./backoff.js";
import { realClock, type Clock, type TimerHandle } from "./clock.js";
import { RecentLines } from "./recent-lines.js";
import { startRun, type PidRecorder, type SpawnFunction, type SupervisedRun } from "./supervised-run.js";

/** A program cannot be started at all (missing binary or module): retrying would not help. */
export class ServiceUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ServiceUnavailableError";
  }
}

/** Failures in a row after which a service shows `failed` (it keeps being retried at the longest delay). */
export const SERVICE_MAX_TRIES = 5;

/** Lines of a service's output kept for its error messages. */
export const SERVICE_RECENT_LINES = 20;

export interface ServiceSpec {
  name: string;
  /** Finds the binary and renders the config; throws ServiceUnavailableError when it cannot. */
  prepare(): Promise<{ command: string; args: string[]; cwd?: string }>;
  /**
   * Resolves once the program serves (e.g. its stat page answers). The supervisor rejects it for
   * the program when it exits first or `readyTimeout` passes.
   */
  ready(run: SupervisedRun): Promise<void>;
  /** How long `ready` may take, and what to say when it takes longer. */
  readyTimeout?: { ms: number; reason: string };
  stop: StopOptions;
  /** Every line the program prints, as printed (for a log that redacts, or to react to a line). */
  onLine?(line: string): void;
  /** Which lines are worth keeping for explanations (all unless given: nginx leaves out its chatter). */
  keepLine?(line: string): boolean;
  /** Applied to kept lines (they reach error messages). */
  redact?(text: string): string;
  backoff?: BackoffPolicy;
  /** A readable reason from the program's last lines (e.g. "port 1935 is already taken"), or null. */
  explain?(lines: readonly string[]): string | null;
  /** Where each run's pid is recorded while it runs. */
  pids?: { registry: PidRecorder; label: string; program: string };
}

/** What the supervisor runs on: real spawn, clock and randomness unless a test passes fakes. */
export interface ServiceSupervisorOptions {
  spawn?: SpawnFunction;
  clock?: Clock;
  /** The backoff's jitter, in [0, 1). */
  random?: () => number;
}

export interface ServiceEvents {
  state: [ServiceView];
  /** The program is up (first start or a restart): dependents may start again. */
  up: [];
  /** The program died or was stopped. */
  down: [];
}

export class ServiceSupervisor extends EventEmitter<ServiceEvents> {
  #state: ServiceState = "stopped";
  #error: string | undefined;
  #run: SupervisedRun | undefined;
  /** The last run's output (kept after it ended, for its explanation). */
  #output: RecentLines | undefined;
  #attempt = 0;
  #retryTimer: TimerHandle | undefined;
  #wanted = false;
  readonly #clock: Clock;

  constructor(
    private readonly spec: ServiceSpec,
    private readonly log: Logger,
    private readonly options: ServiceSupervisorOptions = {},
  ) {
    super();
    this.#clock = options.clock ?? realClock;
  }

  get view(): ServiceView {
    return this.#error ? { state: this.#state, error: this.#error } : { state: this.#state };
  }

  get pid(): number | undefined {
    return this.#run?.running ? this.#run.pid : undefined;
  }

  /** The current (or last) run's recent output, redacted, oldest first. */
  get recentLines(): string[] {
    return this.#output?.texts() ?? [];
  }

  /** Starts the program and keeps it up until stop(). Resolves after the first attempt. */
  async start(): Promise<void> {
    this.#wanted = true;
    this.#attempt = 0;
    await this.#launch();
  }

  async stop(): Promise<void> {
    this.#wanted = false;
    this.#clock.clearTimeout(this.#retryTimer);
    const run = this.#run;
    this.#run = undefined;
    if (run?.running) await run.stop(this.spec.stop);
    this.#set("stopped", undefined);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async #launch(): Promise<void> {
    if (!this.#wanted) return;
    this.#set(this.#attempt === 0 ? "starting" : "restarting", this.#error);
    let plan: Awaited<ReturnType<ServiceSpec["prepare"]>>;
    try {
      plan = await this.spec.prepare();
    } catch (error) {
      if (error instanceof ServiceUnavailableError) {
        this.log.error(error.message);
        this.#set("missing", error.message);
        return;
      }
      this.#scheduleRetry((error as Error).message);
      return;
    }
    if (!this.#wanted) return; // stopped while preparing
    const output = new RecentLines({ limit: SERVICE_RECENT_LINES, redact: this.spec.redact, now: () => this.#clock.now() });
    this.#output = output;
    const run = startRun({
      ...plan,
      output,
      keep: this.spec.keepLine ? (line) => this.spec.keepLine!(line) : undefined,
      onLine: this.spec.onLine ? (line) => this.spec.onLine!(line) : undefined,
      pids: this.spec.pids,
      spawn: this.options.spawn,
    });
    this.#run = run;
    void run.exited.then((exit) => {
      if (this.#run !== run) return;
      this.#run = undefined;
      this.emit("down");
      if (exit.requested || !this.#wanted) return;
      const raw = `${this.spec.name} exited (${exit.signal ?? `code ${exit.code}`})${output.tail()}`;
      const why = this.#explained(output) ?? raw;
      this.log.warn(why);
      this.#scheduleRetry(why);
    });
    try {
      await this.#ready(run);
    } catch (error) {
      if (this.#run !== run) return;
      const why = this.#explained(output) ?? `${this.spec.name} did not start: ${(error as Error).message}${output.tail()}`;
      this.log.error(why);
      this.#run = undefined;
      await run.kill();
      this.#scheduleRetry(why);
      return;
    }
    if (this.#run !== run) return;
    this.#attempt = 0;
    this.#set("running", undefined);
    this.log.info(`${this.spec.name} is running (pid ${run.pid})`);
    this.emit("up");
  }

  /** The spec's `ready`, failed early when the program exits or the timeout passes. */
  #ready(run: SupervisedRun): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timeout = this.spec.readyTimeout;
      const timer = timeout ? this.#clock.setTimeout(() => reject(new Error(timeout.reason)), timeout.ms) : undefined;
      const settle = (error?: Error) => {
        this.#clock.clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      void run.exited.then(() => settle(new Error(`${this.spec.name} stopped at start (see its log lines)`)));
      this.spec.ready(run).then(
        () => settle(),
        (error: unknown) => settle(error instanceof Error ? error : new Error(String(error))),
      );
    });
  }

  #explained(output: RecentLines): string | null {
    const explained = this.spec.explain?.(output.texts());
    return explained ? `${this.spec.name}: ${explained}` : null;
  }

  #scheduleRetry(why: string): void {
    if (!this.#wanted) return;
    this.#attempt += 1;
    const delay = backoffDelay(this.#attempt, this.spec.backoff ?? SERVICE_BACKOFF, (this.options.random ?? Math.random)());
    this.#set(this.#attempt > SERVICE_MAX_TRIES ? "failed" : "restarting", why);
    this.#clock.clearTimeout(this.#retryTimer);
    this.#retryTimer = this.#clock.setTimeout(() => void this.#launch(), delay);
  }

  #set(state: ServiceState, error: string | undefined): void {
    if (state === this.#state && error === this.#error) return;
    this.#state = state;
    this.#error = error;
    this.emit("state", this.view);
  }
}
