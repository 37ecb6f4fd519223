// What running a relay with ffmpeg means, apart from any process handling: its output (progress
// blocks on stdout, warnings and errors on stderr), when it counts as ready (media reached the
// platform), the stall watchdog's measure (the output's size stops growing), how it is stopped, and
// why a run failed. The relay runner glues this to the lifecycle and the generic process layer.

import type { StopOptions } from "../process/child-process.js";
import { explainRelayFailure } from "./explain-failure.js";
import { bitrateBetween, isErrorLine, pickErrorLine, ProgressParser, showsMedia, type ProgressBlock } from "./progress-parser.js";

/** The ffmpeg command of one relay run. */
export interface RelayPlan {
  command: string;
  args: string[];
}

/** Lines of a relay's output (its stderr and the runner's own notes) kept for the status. */
export const RELAY_LOG_LINES = 200;

/** Error lines of one run that its failure is explained from (the last ones). */
export const RELAY_ERROR_LINES = 20;

/** Grace between the stop request and killing the tree, unless the runner is told otherwise. */
export const RELAY_STOP_GRACE_MS = 1_500;

/** Which output lines a relay keeps: stderr (warnings, errors); stdout is `-progress`, read but not kept. */
export function keepsRelayLine(_line: string, stream: "stdout" | "stderr"): boolean {
  return stream === "stderr";
}

/**
 * How a relay is stopped: the end of its input (and SIGINT where there are signals) ends ffmpeg's
 * copy loop cleanly, everywhere; "kill" while it still connects or probes (no progress yet), where a
 * clean end has nothing to flush and could wait on the network.
 */
export function relayStop(progressSeen: boolean, graceMs = RELAY_STOP_GRACE_MS): { kill: true } | { kill: false; options: StopOptions } {
  return progressSeen ? { kill: false, options: relayStopOptions(graceMs) } : { kill: true };
}

/** The graceful stop: end stdin, SIGINT, the tree killed after `graceMs`. */
export function relayStopOptions(graceMs = RELAY_STOP_GRACE_MS): StopOptions {
  return { signal: "SIGINT", endInput: true, graceMs };
}

/** What one progress block changed. */
export interface ProgressUpdate {
  block: ProgressBlock;
  /** Media reached the platform (a relay that is starting is now live, or nearly). */
  showsMedia: boolean;
  /** Bitrate or frame rate differ from the last block's. */
  numbersChanged: boolean;
}

/** The span over which a relay's speed is averaged: it is behind when that average is below BEHIND_SPEED. */
export const BEHIND_WINDOW_MS = 5_000;

/** Slower than this share of real time is behind (a live input cannot be caught up with). */
const BEHIND_SPEED = 0.9;

/**
 * One run of a relay as ffmpeg reports it: reads its stdout, keeps its numbers, measures the
 * output's growth for the stall watchdog and its speed against real time over the last seconds.
 */
/** Frames per second of media between two progress samples (from the start when they are one), to 0.1. */
export function framesPerMediaSecond(first: { frame: number; outUs: number }, last: { frame: number; outUs: number }): number {
  const [frames, us] = last === first || last.outUs <= first.outUs ? [last.frame, last.outUs] : [last.frame - first.frame, last.outUs - first.outUs];
  return us > 0 && frames > 0 ? Math.round((frames * 1e6 * 10) / us) / 10 : 0;
}

/** The frame rate shown is measured over this much of the last progress (real time). */
export const FPS_WINDOW_MS = 5_000;

export class RelayProgress {
  readonly #parser = new ProgressParser();
  #last: ProgressBlock | null = null;
  #lastGrowthAt: number;
  #bitrateKbps = 0;
  #fps = 0;
  /** (time, media time written) of the last BEHIND_WINDOW_MS, and the one sample before them. */
  readonly #samples: Array<{ at: number; outUs: number; bytes: number }> = [];
  /** (time, frames, media time) of the last FPS_WINDOW_MS, and the one sample before them. */
  readonly #frames: Array<{ at: number; frame: number; outUs: number }> = [];

  /** `startedAt`: the run's start, when the watchdog's measure begins. */
  constructor(startedAt: number) {
    this.#lastGrowthAt = startedAt;
  }

  /** Reads a stdout line; returns an update when it closed a progress block. */
  push(line: string, now: number): ProgressUpdate | null {
    const block = this.#parser.push(line);
    if (!block) return null;
    const previous = this.#last;
    this.#last = block;
    if (!previous || block.totalSize > previous.totalSize) this.#lastGrowthAt = now;
    const bitrate = bitrateBetween(previous, block);
    this.#frames.push({ at: now, frame: block.frame, outUs: block.outTimeUs });
    while (this.#frames.length > 2 && this.#frames[1]!.at <= now - FPS_WINDOW_MS) this.#frames.shift();
    const fps = framesPerMediaSecond(this.#frames[0]!, this.#frames.at(-1)!);
    const numbersChanged = bitrate !== this.#bitrateKbps || fps !== this.#fps;
    this.#bitrateKbps = bitrate;
    this.#fps = fps;
    this.#samples.push({ at: now, outUs: block.outTimeUs, bytes: block.totalSize });
    while (this.#samples.length > 2 && this.#samples[1]!.at <= now - BEHIND_WINDOW_MS) this.#samples.shift();
    return { block, showsMedia: showsMedia(block), numbersChanged };
  }

  /** A progress block came: ffmpeg is past connecting and probing. */
  get progressSeen(): boolean {
    return this.#last !== null;
  }

  get bitrateKbps(): number {
    return this.#bitrateKbps;
  }

  /**
   * Frames per second of media over the last FPS_WINDOW_MS: the stream's own rate. Not ffmpeg's `fps`,
   * which counts frames per second of real time since the start, so the cached burst a relay starts
   * with reads as 43.6 on a 30 fps stream for seconds.
   */
  get fps(): number {
    return this.#fps;
  }

  /** Bytes the relay has sent to its platform in this run (a hold keeps the run: the session's total). */
  get sentBytes(): number {
    return this.#last?.totalSize ?? 0;
  }

  /**
   * Media time written per second of real time over the last BEHIND_WINDOW_MS (1 = keeping up with a
   * live input); null before a second of samples. Not ffmpeg's own `speed`: that one averages the whole run.
   */
  get speed(): number | null {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (!first || !last || last.at - first.at < 1_000) return null;
    return (last.outUs - first.outUs) / 1000 / (last.at - first.at);
  }

  /**
   * What reached the network per second of real time over the last seconds, kbit/s: the bytes ffmpeg
   * wrote (its `total_size`), not media time (null before a second of samples).
   */
  get sentKbps(): number | null {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (!first || !last || last.at - first.at < 1_000) return null;
    return Math.max(0, Math.round(((last.bytes - first.bytes) * 8) / (last.at - first.at)));
  }

  /** The media time ffmpeg has written, milliseconds (null before it says). */
  get outMs(): number | null {
    const last = this.#samples.at(-1);
    return last && last.outUs > 0 ? last.outUs / 1000 : null;
  }

  /** Slower than real time: on average below BEHIND_SPEED over the whole last BEHIND_WINDOW_MS. */
  get behind(): boolean {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (!first || !last || last.at - first.at < BEHIND_WINDOW_MS) return false;
    return (this.speed ?? 1) < BEHIND_SPEED;
  }

  /**
   * True when the output has not grown for more than `stallMs` at `now`. The measure then starts
   * over, so one stall is reported once per `stallMs`.
   */
  stalled(now: number, stallMs: number): boolean {
    if (now - this.#lastGrowthAt <= stallMs) return false;
    this.#lastGrowthAt = now;
    return true;
  }
}

/** The watchdog's message for a relay whose output stopped growing. */
export function stallMessage(stallMs: number): string {
  return `no media reached the platform for ${Math.round(stallMs / 1000)} s: restarting the relay`;
}

/** How often the watchdog looks: every second, more often for short limits. */
export function watchdogPeriodMs(stallMs: number): number {
  return Math.min(1000, stallMs / 2);
}

/** Why a run ended, for the lifecycle's `exited` event. */
export interface RelayExitVerdict {
  /** null when the bridge asked for the end. */
  error: string | null;
  /** The same try would fail the same way (untrusted certificate, the platform's refusal). */
  repeatable: boolean;
}

export interface RelayExitFacts {
  /** The bridge asked for the stop. */
  requested: boolean;
  /** "code 1", "signal SIGKILL". */
  reason: string;
  /** The run's output lines (redacted); its error lines are picked from them. */
  lines: readonly string[];
  /** The run's arguments, redacted: the input URL is read from them. */
  args: readonly string[];
  /** A better reason from elsewhere (stunnel's certificate error), or null. */
  outside: string | null;
}

/** The error lines of a run that explain it, the last RELAY_ERROR_LINES of them. */
export function relayErrorLines(lines: readonly string[]): string[] {
  return lines.filter(isErrorLine).slice(-RELAY_ERROR_LINES);
}

/**
 * Why a relay's run failed, in the streamer's words: the outside reason, else a known cause from
 * ffmpeg's error lines (explain-failure.ts), else its most telling error line, else its exit.
 */
export function explainRelayExit(facts: RelayExitFacts): RelayExitVerdict {
  if (facts.requested) return { error: null, repeatable: false };
  const errors = relayErrorLines(facts.lines);
  // The explainer reads the platform's side only: lines about the relay's input are not its fault.
  const inputAt = facts.args.indexOf("-i");
  const input = inputAt >= 0 ? facts.args[inputAt + 1] : undefined;
  const failure = explainRelayFailure(errors, input);
  const error = facts.outside ?? failure?.message ?? pickErrorLine(errors) ?? `ffmpeg exited (${facts.reason})`;
  // An untrusted certificate or the platform's refusal would be the same on the next try: fail at once.
  const repeatable = facts.outside ? /certificate|verif/i.test(facts.outside) : (failure?.repeatable ?? false);
  return { error, repeatable };
}
