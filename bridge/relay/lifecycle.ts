// The lifecycle of one destination's relay, as a pure transition function: (context, event) →
// (context, effects). The runner carries out the effects; nothing here touches a process or a timer.
//
//  state      event                 next state                                   effects
//  ---------  --------------------  -------------------------------------------  ---------------------
//  off        enable                starting if ingest live, else waiting        spawn (if starting)
//  waiting    ingestUp              starting                                     spawn
//  waiting    disable               off
//  starting   progress (first)      starting, media seen at `now`
//  starting   progress (later)      live once media kept flowing confirmMs,
//                                   else starting
//  starting   exited, repeatable    failed at once (certificate, refusal)
//  starting   exited after media    retrying; failed at the maxEarlyDrops-th     scheduleRetry
//                                   drop in a row (the platform refuses it)
//  starting   exited                retrying, or failed after maxFailures        scheduleRetry
//  starting   stalled               starting (the kill ends in `exited`)         kill
//  starting   disable | ingestDown  stopping                                     kill
//  live       exited, repeatable    failed at once
//  live       exited                retrying, or failed after maxFailures        scheduleRetry
//  live       stalled               live (the kill ends in `exited`)             kill
//  live       stable                live, failure count reset
//  live       disable               stopping                                     kill
//  live       ingestDown (held)     holding until now + holdMs: the platform       startHold
//                                   keeps its session, fed the stand-in
//  live       ingestDown            stopping                                     kill
//  holding    ingestUp              live (OBS is back, same session)             cancelHold
//  holding    holdExpired           stopping (the session ends, then waiting)    kill
//  holding    disable               stopping                                     cancelHold, kill
//  holding    exited                retrying, or failed after maxFailures        cancelHold, scheduleRetry
//  holding    stalled               holding (the kill ends in `exited`)          kill
//  stopping   exited                starting if enabled and ingest live,         spawn (if starting)
//                                   waiting if enabled, else off
//  stopping   enable | disable      stopping (the wish is kept for `exited`)
//  retrying   retryDue | retryNow   starting if ingest live, else waiting        cancelRetry, spawn
//  retrying   disable               off                                          cancelRetry
//  retrying   ingestDown            waiting                                      cancelRetry
//  failed     enable | retryNow     starting if ingest live, else waiting        spawn (if starting)
//  failed     disable               off
//  any        ingestUp | ingestDown ingest flag updated (plus the rows above)
//  other pairs are refused by name (`refused`), the context is unchanged.

import type { RelayState } from "../../contract/api.js";
import { backoffDelay, RELAY_BACKOFF, type BackoffPolicy } from "../process/backoff.js";

export interface RelayContext {
  state: RelayState;
  /** The user's wish (persisted in the config). */
  enabled: boolean;
  /** The ingest stream this relay reads is being published. */
  ingestLive: boolean;
  /** Failures since the relay last ran stable; drives the backoff and giving up. */
  failures: number;
  /** Times the relay was started again after a failure, since it was enabled. */
  restarts: number;
  /** When the next try is due (epoch ms), while retrying. */
  retryAt: number | null;
  /** When the stand-in ends and the platform's session with it (epoch ms), while holding. */
  holdUntil: number | null;
  lastError: string | null;
  /** When the current state began (epoch ms). */
  since: number;
  /** When this run's first media reached the platform (epoch ms); null before, and for each new run. */
  mediaSince: number | null;
  /** Runs in a row the platform took media from and then dropped before it counted as live. */
  earlyDrops: number;
}

export type RelayEvent =
  | { type: "enable" }
  | { type: "disable" }
  | { type: "retryNow" }
  | { type: "ingestUp" }
  /** The ingest stream ended or stalled; `holdMs` > 0 when the stand-in keeps the platform that long. */
  | { type: "ingestDown"; holdMs?: number }
  | { type: "holdExpired" }
  | { type: "progress" }
  | { type: "stable" }
  | { type: "stalled"; error: string }
  /** `repeatable`: the same try would fail the same way (untrusted certificate, the platform's refusal). */
  | { type: "exited"; error: string | null; repeatable?: boolean }
  | { type: "retryDue" };

export type RelayEffect =
  | { type: "spawn" }
  | { type: "kill" }
  | { type: "scheduleRetry"; delayMs: number }
  | { type: "cancelRetry" }
  | { type: "startHold"; delayMs: number }
  | { type: "cancelHold" };

export interface Transition {
  context: RelayContext;
  effects: RelayEffect[];
  /** Set when the event means nothing in this state. */
  refused?: string;
}

export interface LifecycleOptions {
  now: number;
  /** Failures in a row before the relay gives up (`failed`). */
  maxFailures?: number;
  backoff?: BackoffPolicy;
  /** The backoff's jitter, in [0, 1): drawn by the caller, so the transition stays pure. */
  random: () => number;
  /** How long media must keep flowing before the relay is live (one progress report to the next). */
  confirmMs?: number;
  /** Drops right after media started, in a row, that mean the platform refuses the stream. */
  maxEarlyDrops?: number;
}

export const MAX_FAILURES = 6;
/** A platform that takes the publish and drops it a moment later must not show as live. */
export const CONFIRM_MS = 400;
export const MAX_EARLY_DROPS = 2;

/** A fresh context for a destination. */
export function initialContext(enabled: boolean, ingestLive: boolean, now: number): RelayContext {
  return { state: "off", enabled, ingestLive, failures: 0, restarts: 0, retryAt: null, holdUntil: null, lastError: null, since: now, mediaSince: null, earlyDrops: 0 };
}

export function transition(context: RelayContext, event: RelayEvent, options: LifecycleOptions): Transition {
  const { now } = options;
  const ctx: RelayContext = {
    ...context,
    ingestLive: event.type === "ingestUp" ? true : event.type === "ingestDown" ? false : context.ingestLive,
  };
  const to = (state: RelayState, changes: Partial<RelayContext> = {}, effects: RelayEffect[] = []): Transition => ({
    context: {
      ...ctx,
      ...changes,
      state,
      since: state === context.state ? context.since : now,
      retryAt: state === "retrying" ? (changes.retryAt ?? ctx.retryAt) : null,
      holdUntil: state === "holding" ? (changes.holdUntil ?? ctx.holdUntil) : null,
      // Media seen belongs to one run: any state but starting, live and holding forgets it.
      mediaSince:
        state === "starting" || state === "live" || state === "holding"
          ? changes.mediaSince !== undefined
            ? changes.mediaSince
            : ctx.mediaSince
          : null,
    },
    effects,
  });
  const begin = (changes: Partial<RelayContext> = {}, effects: RelayEffect[] = []) =>
    ctx.ingestLive ? to("starting", { mediaSince: null, ...changes }, [...effects, { type: "spawn" }]) : to("waiting", changes, effects);
  const refuse = (): Transition => ({ context: ctx, effects: [], refused: `${event.type} means nothing while ${context.state}` });
  const fail = (error: string | null, repeatable = false): Transition => {
    const failures = ctx.failures + 1;
    const lastError = error ?? ctx.lastError ?? "the relay ended unexpectedly";
    if (repeatable) return to("failed", { failures, lastError, earlyDrops: 0 });
    // The platform took media, then dropped the stream before it counted as live.
    const earlyDrops = context.state === "starting" && ctx.mediaSince !== null ? ctx.earlyDrops + 1 : 0;
    if (earlyDrops >= (options.maxEarlyDrops ?? MAX_EARLY_DROPS)) {
      const refused =
        `The platform took the stream and dropped it at once, ${earlyDrops} times in a row: it refuses this stream key ` +
        `or server URL. Check both on the platform's page, then switch it on again. (${lastError})`;
      return to("failed", { failures, lastError: refused, earlyDrops: 0 });
    }
    if (failures >= (options.maxFailures ?? MAX_FAILURES)) return to("failed", { failures, lastError, earlyDrops });
    const delayMs = backoffDelay(failures, options.backoff ?? RELAY_BACKOFF, options.random());
    return to("retrying", { failures, lastError, earlyDrops, retryAt: now + delayMs }, [{ type: "scheduleRetry", delayMs }]);
  };

  switch (context.state) {
    case "off":
      if (event.type === "enable") return begin({ enabled: true, failures: 0, restarts: 0, lastError: null, earlyDrops: 0 });
      if (event.type === "ingestUp" || event.type === "ingestDown") return to("off");
      return refuse();

    case "waiting":
      if (event.type === "ingestUp") return begin();
      if (event.type === "disable") return to("off", { enabled: false });
      if (event.type === "ingestDown" || event.type === "enable") return to("waiting", { enabled: true });
      return refuse();

    case "starting":
    case "live":
      if (event.type === "progress") {
        if (context.state === "live") return to("live");
        if (ctx.mediaSince === null) return to("starting", { mediaSince: now });
        if (now - ctx.mediaSince < (options.confirmMs ?? CONFIRM_MS)) return to("starting");
        return to("live", { lastError: null, earlyDrops: 0 });
      }
      if (event.type === "stable") return context.state === "live" ? to("live", { failures: 0 }) : refuse();
      if (event.type === "exited") return fail(event.error, event.repeatable === true);
      if (event.type === "stalled") return to(context.state, { lastError: event.error }, [{ type: "kill" }]);
      if (event.type === "disable") return to("stopping", { enabled: false }, [{ type: "kill" }]);
      if (event.type === "ingestDown") {
        const holdMs = event.holdMs ?? 0;
        if (context.state === "live" && holdMs > 0) return to("holding", { holdUntil: now + holdMs }, [{ type: "startHold", delayMs: holdMs }]);
        return to("stopping", {}, [{ type: "kill" }]);
      }
      if (event.type === "enable" || event.type === "ingestUp") return to(context.state, { enabled: true });
      return refuse();

    case "holding":
      if (event.type === "ingestUp") return to("live", {}, [{ type: "cancelHold" }]);
      if (event.type === "holdExpired") return to("stopping", {}, [{ type: "kill" }]);
      if (event.type === "disable") return to("stopping", { enabled: false }, [{ type: "cancelHold" }, { type: "kill" }]);
      if (event.type === "exited") {
        const failed = fail(event.error, event.repeatable === true);
        return { ...failed, effects: [{ type: "cancelHold" }, ...failed.effects] };
      }
      if (event.type === "stalled") return to("holding", { lastError: event.error }, [{ type: "kill" }]);
      if (event.type === "progress" || event.type === "stable" || event.type === "enable" || event.type === "ingestDown") return to("holding");
      return refuse();

    case "stopping":
      if (event.type === "exited") return ctx.enabled ? begin() : to("off");
      if (event.type === "enable") return to("stopping", { enabled: true });
      if (event.type === "disable") return to("stopping", { enabled: false });
      if (event.type === "ingestUp" || event.type === "ingestDown") return to("stopping");
      return refuse();

    case "retrying":
      if (event.type === "retryDue" || event.type === "retryNow") {
        return begin({ restarts: ctx.restarts + 1 }, [{ type: "cancelRetry" }]);
      }
      if (event.type === "disable") return to("off", { enabled: false }, [{ type: "cancelRetry" }]);
      if (event.type === "ingestDown") return to("waiting", { failures: 0 }, [{ type: "cancelRetry" }]);
      if (event.type === "enable" || event.type === "ingestUp") return to("retrying");
      return refuse();

    case "failed":
      if (event.type === "enable" || event.type === "retryNow") {
        return begin({ enabled: true, failures: 0, earlyDrops: 0, restarts: ctx.restarts + 1 });
      }
      if (event.type === "disable") return to("off", { enabled: false });
      if (event.type === "ingestUp" || event.type === "ingestDown") return to("failed");
      return refuse();
  }
}
