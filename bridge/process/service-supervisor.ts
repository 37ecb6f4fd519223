// Keeps one long-running program (nginx, stunnel) up: prepares its config, starts it, waits until it
// answers, restarts it with backoff when it dies, and reports its state. Knows no program itself.

import { EventEmitter } from "node:events";
import type { ServiceState, ServiceView } from "../shared/api.js";
import type { Logger } from "../log/logger.js";
import { spawnChild, type Child, type StopOptions } from "./child-process.js";
import { backoffDelay, SERVICE_BACKOFF, type BackoffPolicy } from "./backoff.js";

/** A program cannot be started at all (missing binary or module): retrying would not help. */
export class ServiceUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ServiceUnavailableError";
  }
}

export interface ServiceSpec {
  name: string;
  /** Finds the binary and renders the config; throws ServiceUnavailableError when it cannot. */
  prepare(): Promise<{ command: string; args: string[]; cwd?: string }>;
  /** Resolves once the program serves (e.g. its stat page answers); rejects on timeout. */
  ready(child: Child): Promise<void>;
  stop: StopOptions;
  /** Every line the program prints (already a candidate for the log: redact before keeping). */
  onLine?(line: string): void;
  backoff?: BackoffPolicy;
  /** A readable reason from the program's last lines (e.g. "port 1935 is already taken"), or null. */
  explain?(lines: readonly string[]): string | null;
  /** Told of each process started and ended (pid files). */
  track?(event: "start" | "end", pid: number): void;
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
  #child: Child | undefined;
  #attempt = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #wanted = false;
  #recentLines: string[] = [];

  constructor(
    private readonly spec: ServiceSpec,
    private readonly log: Logger,
  ) {
    super();
  }

  get view(): ServiceView {
    return this.#error ? { state: this.#state, error: this.#error } : { state: this.#state };
  }

  get pid(): number | undefined {
    return this.#child?.running ? this.#child.pid : undefined;
  }

  /** Starts the program and keeps it up until stop(). Resolves after the first attempt. */
  async start(): Promise<void> {
    this.#wanted = true;
    this.#attempt = 0;
    await this.#launch();
  }

  async stop(): Promise<void> {
    this.#wanted = false;
    clearTimeout(this.#retryTimer);
    const child = this.#child;
    this.#child = undefined;
    if (child?.running) await child.stop(this.spec.stop);
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
    this.#recentLines = [];
    const child = spawnChild({
      ...plan,
      onLine: (line) => {
        this.#recentLines.push(line);
        if (this.#recentLines.length > 20) this.#recentLines.shift();
        this.spec.onLine?.(line);
      },
    });
    this.#child = child;
    const pid = child.pid;
    if (pid !== undefined) this.spec.track?.("start", pid);
    void child.exited.then((exit) => {
      if (pid !== undefined) this.spec.track?.("end", pid);
      if (this.#child !== child) return;
      this.#child = undefined;
      this.emit("down");
      if (exit.requested || !this.#wanted) return;
      const raw = `${this.spec.name} exited (${exit.signal ?? `code ${exit.code}`})${this.#lastLine()}`;
      const explained = this.spec.explain?.(this.#recentLines);
      const why = explained ? `${this.spec.name}: ${explained}` : raw;
      this.log.warn(why);
      this.#scheduleRetry(why);
    });
    try {
      await this.spec.ready(child);
    } catch (error) {
      if (this.#child !== child) return;
      const explained = this.spec.explain?.(this.#recentLines);
      const why = explained ? `${this.spec.name}: ${explained}` : `${this.spec.name} did not start: ${(error as Error).message}${this.#lastLine()}`;
      this.log.error(why);
      this.#child = undefined;
      await child.kill();
      this.#scheduleRetry(why);
      return;
    }
    if (this.#child !== child) return;
    this.#attempt = 0;
    this.#set("running", undefined);
    this.log.info(`${this.spec.name} is running (pid ${child.pid})`);
    this.emit("up");
  }

  #scheduleRetry(why: string): void {
    if (!this.#wanted) return;
    this.#attempt += 1;
    const delay = backoffDelay(this.#attempt, this.spec.backoff ?? SERVICE_BACKOFF);
    this.#set(this.#attempt > 5 ? "failed" : "restarting", why);
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => void this.#launch(), delay);
  }

  #lastLine(): string {
    const lines = this.#recentLines.filter((line) => line.trim() !== "");
    return lines.length ? `: ${lines.slice(-3).join(" | ")}` : "";
  }

  #set(state: ServiceState, error: string | undefined): void {
    if (state === this.#state && error === this.#error) return;
    this.#state = state;
    this.#error = error;
    this.emit("state", this.view);
  }
}
