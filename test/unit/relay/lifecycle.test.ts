import { describe, expect, it } from "vitest";
import { initialContext, MAX_FAILURES, transition, type RelayContext, type RelayEvent } from "../../../bridge/relay/lifecycle.js";
import type { RelayState } from "../../../contract/api.js";

const NOW = 1_000_000;
const opts = { now: NOW, random: () => 0.5 };
const ctx = (state: RelayState, changes: Partial<RelayContext> = {}): RelayContext => ({
  ...initialContext(state !== "off", false, 0),
  state,
  ...changes,
});
const effects = (result: ReturnType<typeof transition>) => result.effects.map((effect) => effect.type);

type Row = [RelayState, Partial<RelayContext>, RelayEvent, RelayState, string[]];

// Every row of the table in bridge/relay/lifecycle.ts.
const TABLE: Row[] = [
  ["off", { ingestLive: true }, { type: "enable" }, "starting", ["spawn"]],
  ["off", { ingestLive: false }, { type: "enable" }, "waiting", []],
  ["off", {}, { type: "ingestUp" }, "off", []],
  ["off", { ingestLive: true }, { type: "ingestDown" }, "off", []],
  ["waiting", {}, { type: "ingestUp" }, "starting", ["spawn"]],
  ["waiting", {}, { type: "disable" }, "off", []],
  ["waiting", {}, { type: "ingestDown" }, "waiting", []],
  ["waiting", {}, { type: "enable" }, "waiting", []],
  ["starting", { ingestLive: true }, { type: "progress" }, "starting", []],
  ["starting", { ingestLive: true, mediaSince: NOW - 100 }, { type: "progress" }, "starting", []],
  ["starting", { ingestLive: true, mediaSince: NOW - 500 }, { type: "progress" }, "live", []],
  ["starting", { ingestLive: true }, { type: "exited", error: "untrusted", repeatable: true }, "failed", []],
  ["starting", { ingestLive: true, mediaSince: NOW - 100 }, { type: "exited", error: "End of file" }, "retrying", ["scheduleRetry"]],
  ["starting", { ingestLive: true, mediaSince: NOW - 100, earlyDrops: 1 }, { type: "exited", error: "End of file" }, "failed", []],
  ["live", { ingestLive: true }, { type: "exited", error: "refused", repeatable: true }, "failed", []],
  ["starting", { ingestLive: true }, { type: "exited", error: "boom" }, "retrying", ["scheduleRetry"]],
  ["starting", { ingestLive: true }, { type: "stalled", error: "stuck" }, "starting", ["kill"]],
  ["starting", { ingestLive: true }, { type: "disable" }, "stopping", ["kill"]],
  ["starting", { ingestLive: true }, { type: "ingestDown" }, "stopping", ["kill"]],
  ["starting", { ingestLive: true }, { type: "enable" }, "starting", []],
  ["starting", { ingestLive: true }, { type: "ingestUp" }, "starting", []],
  ["live", { ingestLive: true }, { type: "exited", error: "boom" }, "retrying", ["scheduleRetry"]],
  ["live", { ingestLive: true }, { type: "stalled", error: "stuck" }, "live", ["kill"]],
  ["live", { ingestLive: true, failures: 3 }, { type: "stable" }, "live", []],
  ["live", { ingestLive: true }, { type: "disable" }, "stopping", ["kill"]],
  ["live", { ingestLive: true }, { type: "ingestDown" }, "stopping", ["kill"]],
  ["live", { ingestLive: true }, { type: "ingestDown", holdMs: 0 }, "stopping", ["kill"]],
  ["live", { ingestLive: true }, { type: "ingestDown", holdMs: 30_000 }, "holding", ["startHold"]],
  ["starting", { ingestLive: true }, { type: "ingestDown", holdMs: 30_000 }, "stopping", ["kill"]],
  ["holding", { holdUntil: NOW + 5_000 }, { type: "ingestUp" }, "live", ["cancelHold"]],
  ["holding", { holdUntil: NOW }, { type: "holdExpired" }, "stopping", ["kill"]],
  ["holding", { enabled: true }, { type: "disable" }, "stopping", ["cancelHold", "kill"]],
  ["holding", {}, { type: "exited", error: "boom" }, "retrying", ["cancelHold", "scheduleRetry"]],
  ["holding", {}, { type: "stalled", error: "stuck" }, "holding", ["kill"]],
  ["holding", {}, { type: "progress" }, "holding", []],
  ["holding", {}, { type: "stable" }, "holding", []],
  ["holding", {}, { type: "enable" }, "holding", []],
  ["holding", {}, { type: "ingestDown", holdMs: 30_000 }, "holding", []],
  ["live", { ingestLive: true }, { type: "progress" }, "live", []],
  ["stopping", { enabled: true, ingestLive: true }, { type: "exited", error: null }, "starting", ["spawn"]],
  ["stopping", { enabled: true, ingestLive: false }, { type: "exited", error: null }, "waiting", []],
  ["stopping", { enabled: false, ingestLive: true }, { type: "exited", error: null }, "off", []],
  ["stopping", { enabled: false }, { type: "enable" }, "stopping", []],
  ["stopping", { enabled: true }, { type: "disable" }, "stopping", []],
  ["stopping", {}, { type: "ingestUp" }, "stopping", []],
  ["stopping", {}, { type: "ingestDown" }, "stopping", []],
  ["retrying", { ingestLive: true }, { type: "retryDue" }, "starting", ["cancelRetry", "spawn"]],
  ["retrying", { ingestLive: false }, { type: "retryDue" }, "waiting", ["cancelRetry"]],
  ["retrying", { ingestLive: true }, { type: "retryNow" }, "starting", ["cancelRetry", "spawn"]],
  ["retrying", {}, { type: "disable" }, "off", ["cancelRetry"]],
  ["retrying", { ingestLive: true }, { type: "ingestDown" }, "waiting", ["cancelRetry"]],
  ["retrying", {}, { type: "enable" }, "retrying", []],
  ["retrying", {}, { type: "ingestUp" }, "retrying", []],
  ["failed", { ingestLive: true }, { type: "enable" }, "starting", ["spawn"]],
  ["failed", { ingestLive: false }, { type: "enable" }, "waiting", []],
  ["failed", { ingestLive: true }, { type: "retryNow" }, "starting", ["spawn"]],
  ["failed", {}, { type: "disable" }, "off", []],
  ["failed", {}, { type: "ingestUp" }, "failed", []],
  ["failed", {}, { type: "ingestDown" }, "failed", []],
];

describe("relay lifecycle", () => {
  it.each(TABLE)("%s %j + %j → %s %j", (state, changes, event, next, expected) => {
    const result = transition(ctx(state, changes), event, opts);
    expect(result.refused).toBeUndefined();
    expect(result.context.state).toBe(next);
    expect(effects(result)).toEqual(expected);
  });

  const REFUSED: Array<[RelayState, RelayEvent]> = [
    ["off", { type: "disable" }],
    ["off", { type: "progress" }],
    ["off", { type: "exited", error: null }],
    ["off", { type: "retryDue" }],
    ["waiting", { type: "progress" }],
    ["waiting", { type: "retryNow" }],
    ["starting", { type: "stable" }],
    ["starting", { type: "retryDue" }],
    ["stopping", { type: "progress" }],
    ["retrying", { type: "exited", error: null }],
    ["failed", { type: "progress" }],
  ];
  it.each(REFUSED)("refuses %s + %j by name and changes nothing", (state, event) => {
    const before = ctx(state);
    const result = transition(before, event, opts);
    expect(result.refused).toMatch(new RegExp(`${event.type} means nothing while ${state}`));
    expect(result.context).toEqual(before);
    expect(result.effects).toEqual([]);
  });

  it("tracks the ingest flag on every event that carries it", () => {
    expect(transition(ctx("off"), { type: "ingestUp" }, opts).context.ingestLive).toBe(true);
    expect(transition(ctx("failed", { ingestLive: true }), { type: "ingestDown" }, opts).context.ingestLive).toBe(false);
  });

  it("backs off more after each failure, then gives up as failed with the last error", () => {
    let context = ctx("starting", { ingestLive: true, enabled: true });
    const delays: number[] = [];
    for (let i = 1; i < MAX_FAILURES; i += 1) {
      const failed = transition(context, { type: "exited", error: `refused ${i}` }, opts);
      expect(failed.context.state).toBe("retrying");
      const effect = failed.effects[0];
      if (effect?.type !== "scheduleRetry") throw new Error("expected a retry");
      delays.push(effect.delayMs);
      expect(failed.context.retryAt).toBe(NOW + effect.delayMs);
      context = transition(failed.context, { type: "retryDue" }, opts).context;
      expect(context.state).toBe("starting");
      expect(context.restarts).toBe(i);
    }
    for (let i = 1; i < delays.length; i += 1) expect(delays[i]!).toBeGreaterThan(delays[i - 1]!);
    const gaveUp = transition(context, { type: "exited", error: "Server error: invalid stream key" }, opts);
    expect(gaveUp.context.state).toBe("failed");
    expect(gaveUp.context.lastError).toBe("Server error: invalid stream key");
    expect(gaveUp.effects).toEqual([]);
    expect(gaveUp.context.retryAt).toBeNull();
  });

  it("is live only once media kept flowing from one progress report to the next (a platform that drops at once never shows live)", () => {
    const first = transition(ctx("starting", { ingestLive: true }), { type: "progress" }, opts).context;
    expect(first).toMatchObject({ state: "starting", mediaSince: NOW });
    expect(transition(first, { type: "progress" }, { ...opts, now: NOW + 399 }).context.state).toBe("starting");
    expect(transition(first, { type: "progress" }, { ...opts, now: NOW + 400 }).context.state).toBe("live");
  });

  it("a platform that takes the stream and drops it at once, twice in a row: failed, saying it refuses the key", () => {
    let context = ctx("starting", { ingestLive: true, enabled: true });
    context = transition(context, { type: "progress" }, opts).context;
    const first = transition(context, { type: "exited", error: "The platform closed the connection" }, opts).context;
    expect(first).toMatchObject({ state: "retrying", earlyDrops: 1, mediaSince: null });
    context = transition(first, { type: "retryDue" }, opts).context;
    expect(context).toMatchObject({ state: "starting", mediaSince: null });
    context = transition(context, { type: "progress" }, opts).context;
    const second = transition(context, { type: "exited", error: "The platform closed the connection" }, opts).context;
    expect(second.state).toBe("failed");
    expect(second.lastError).toMatch(/dropped it at once, 2 times in a row: it refuses this stream key/);
    // A failure before any media breaks the row.
    const broken = transition({ ...first, state: "starting" }, { type: "exited", error: "refused" }, opts).context;
    expect(broken).toMatchObject({ state: "retrying", earlyDrops: 0 });
  });

  it("a repeatable refusal fails at once, without a retry", () => {
    const result = transition(ctx("starting", { ingestLive: true }), { type: "exited", error: "certificate not trusted", repeatable: true }, opts);
    expect(result.context).toMatchObject({ state: "failed", lastError: "certificate not trusted", retryAt: null });
    expect(result.effects).toEqual([]);
  });

  it("a stable live run forgets earlier failures; going live clears the error", () => {
    const live = transition(ctx("starting", { ingestLive: true, failures: 4, lastError: "x", mediaSince: NOW - 1000 }), { type: "progress" }, opts).context;
    expect(live.lastError).toBeNull();
    expect(live.failures).toBe(4);
    expect(transition(live, { type: "stable" }, opts).context.failures).toBe(0);
  });

  it("a stall keeps its reason for the exit that follows", () => {
    const stalled = transition(ctx("live", { ingestLive: true }), { type: "stalled", error: "no media for 10 s" }, opts).context;
    const after = transition(stalled, { type: "exited", error: null }, opts).context;
    expect(after.state).toBe("retrying");
    expect(after.lastError).toBe("no media for 10 s");
  });

  it("enabling afresh resets counters; since moves only when the state changes", () => {
    const on = transition(ctx("off", { restarts: 5, failures: 2, lastError: "old", since: 5 }), { type: "enable" }, opts).context;
    expect(on).toMatchObject({ restarts: 0, failures: 0, lastError: null, enabled: true, since: NOW });
    const same = transition(ctx("waiting", { since: 7 }), { type: "ingestDown" }, opts).context;
    expect(same.since).toBe(7);
  });
});

describe("holding", () => {
  it("keeps the platform's session until holdUntil, then ends it", () => {
    const held = transition(ctx("live", { ingestLive: true, enabled: true }), { type: "ingestDown", holdMs: 30_000 }, opts);
    expect(held.context).toMatchObject({ state: "holding", holdUntil: NOW + 30_000, ingestLive: false, since: NOW });
    expect(held.effects).toEqual([{ type: "startHold", delayMs: 30_000 }]);
    const back = transition(held.context, { type: "ingestUp" }, { ...opts, now: NOW + 4_000 });
    expect(back.context).toMatchObject({ state: "live", holdUntil: null, ingestLive: true });
    const expired = transition(held.context, { type: "holdExpired" }, { ...opts, now: NOW + 30_000 });
    const ended = transition(expired.context, { type: "exited", error: null }, opts);
    expect(ended.context.state).toBe("waiting");
  });

  it("refuses a retry while holding: nothing failed", () => {
    expect(transition(ctx("holding"), { type: "retryNow" }, opts).refused).toMatch(/retryNow means nothing while holding/);
  });
});
