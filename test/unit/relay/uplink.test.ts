// The uplink's decisions, second by second, on literal samples: when it is full, who gives way, who
// comes back and when, and how a flapping link is kept from flapping the platforms.

import { describe, expect, it } from "vitest";
import { decideUplink, initialUplink, SETTLE_MS, type UplinkPolicy, type UplinkSample, type UplinkState } from "../../../bridge/relay/uplink.js";

const policy: UplinkPolicy = { configuredKbps: 0, probeInitialMs: 10_000, probeMaxMs: 40_000 };

/** A destination on air keeping up (2500 kbit/s sent of 2500). */
const ok = (id: string, priority = 5, extra: Partial<UplinkSample> = {}): UplinkSample => ({ id, priority, giveWay: true, onAir: true, sentKbps: 2500, wantKbps: 2500, behindMs: 100, ...extra });
/** A destination on air held back by the link. */
const held = (id: string, priority = 5, sentKbps = 1300): UplinkSample => ok(id, priority, { sentKbps, behindMs: 3_000 });
/** A destination that gave way (its relay stopped). */
const away = (id: string, priority = 5): UplinkSample => ok(id, priority, { onAir: false, sentKbps: null, behindMs: null });

function step(state: UplinkState, samples: UplinkSample[], now: number, with_: UplinkPolicy = policy) {
  return decideUplink(state, samples, with_, now);
}

describe("uplink", () => {
  it("is not full while every relay keeps up, or when one alone is held back (its platform's problem)", () => {
    const start = initialUplink(policy);
    expect(step(start, [ok("a"), ok("b"), ok("c")], 1000)).toMatchObject({ state: { full: false }, actions: [] });
    expect(step(start, [ok("a"), held("b"), ok("c")], 1000)).toMatchObject({ state: { full: false }, actions: [] });
  });

  it("is full when relays are held back together: the least important gives way, then the next after settling", () => {
    let state = initialUplink(policy);
    const three = [held("main", 1), held("second", 3), held("third", 7)];
    // Carrying 3900 with 4500 wanted: the least important gives way, and what is left fits.
    let decided = step(state, three.map((sample) => ({ ...sample, wantKbps: 1500 })), 1000);
    expect(decided.state).toMatchObject({ full: true, estimateKbps: 3900 });
    expect(decided.actions).toEqual([{ type: "giveWay", id: "third" }]);
    state = decided.state;
    // Settling: no decision however it looks.
    expect(step(state, [held("main", 1), held("second", 3), away("third", 7)], 1000 + SETTLE_MS - 1).actions).toEqual([]);
    decided = step(state, [held("main", 1, 2000), held("second", 3, 2000), away("third", 7)], 1000 + SETTLE_MS);
    expect(decided.actions).toEqual([{ type: "giveWay", id: "second" }]);
    state = decided.state;
    // The one left is never paused, held back or not.
    decided = step(state, [held("main", 1, 2500), away("second", 3), away("third", 7)], 1000 + 2 * SETTLE_MS);
    expect(decided.actions).toEqual([]);
  });

  it("gives way with as many as it takes for the rest to fit what the uplink carries", () => {
    const decided = step(initialUplink(policy), [held("main", 1), held("b", 2), held("c", 3)], 1000);
    expect(decided.state.estimateKbps).toBe(3900);
    expect(decided.actions).toEqual([{ type: "giveWay", id: "c" }, { type: "giveWay", id: "b" }]);
  });

  it("breaks ties by the order listed: the last gives way first, the first comes back first", () => {
    const decided = step(initialUplink(policy), [held("a"), held("b"), held("c")].map((sample) => ({ ...sample, wantKbps: 1500 })), 1000);
    expect(decided.actions).toEqual([{ type: "giveWay", id: "c" }]);
  });

  it("never pauses a destination forced on", () => {
    const samples = [held("main", 1), held("forced", 9), ok("other", 5, { behindMs: 2500, sentKbps: 1000 })].map((sample) => ({ ...sample, wantKbps: 1000, giveWay: sample.id !== "forced" }));
    const decided = step(initialUplink(policy), samples, 1000);
    expect(decided.actions).toEqual([{ type: "giveWay", id: "other" }]);
  });

  it("one held back counts as full when the destinations on air want more than the uplink figure given", () => {
    const withFigure = { ...policy, configuredKbps: 4000 };
    const decided = step(initialUplink(withFigure), [ok("main", 1), held("b", 5, 1500)], 1000, withFigure);
    expect(decided.state.full).toBe(true);
    expect(decided.actions).toEqual([{ type: "giveWay", id: "b" }]);
  });

  it("comes back by priority, each when its probe is due", () => {
    let state = step(initialUplink(policy), [held("main", 1), held("b", 2), held("c", 3)], 0).state; // c and b gave way
    expect([...state.gaveWay.keys()]).toEqual(["c", "b"]);
    // Calm, but the estimate (4000) has no room for a second 2500: wait for the probe.
    const calm = [ok("main", 1), away("b", 2), away("c", 3)];
    expect(step(state, calm, SETTLE_MS).actions).toEqual([]);
    const probe = state.probeAt!;
    let decided = step(state, calm, probe);
    expect(decided.actions).toEqual([{ type: "comeBack", id: "b" }]);
    // The link is wide now: b keeps up, the estimate grows, and c comes back after its own delay.
    state = decided.state;
    const wide = [ok("main", 1), ok("b", 2), away("c", 3)];
    expect(step(state, wide, probe + SETTLE_MS - 1).actions).toEqual([]);
    decided = step(state, wide, state.probeAt!);
    expect(decided.actions).toEqual([{ type: "comeBack", id: "c" }]);
    expect(decided.state.gaveWay.size).toBe(0);
  });

  it("never comes back before its probe delay, even when the uplink figure says there is room", () => {
    const roomy = { ...policy, configuredKbps: 20_000 };
    const state: UplinkState = { ...initialUplink(roomy), gaveWay: new Map([["b", 0]]), probeAt: 10_000 };
    expect(step(state, [ok("main", 1), away("b", 2)], 9_999, roomy).actions).toEqual([]);
    const decided = step(state, [ok("main", 1), away("b", 2)], 10_000, roomy);
    expect(decided.actions).toEqual([{ type: "comeBack", id: "b" }]);
    expect(decided.state.probeAt).toBeNull();
  });

  it("a flapping link doubles the probe delay at each give-way soon after a coming back, up to the most, and a calm resets it", () => {
    let state = step(initialUplink(policy), [held("main", 1), held("b", 2)], 0).state;
    expect(state.probeDelayMs).toBe(10_000);
    const delays: number[] = [];
    const comeBacks: number[] = [];
    let now = 0;
    for (let round = 0; round < 4; round += 1) {
      now = state.probeAt!;
      const back = step(state, [ok("main", 1), away("b", 2)], now);
      expect(back.actions).toEqual([{ type: "comeBack", id: "b" }]);
      comeBacks.push(now);
      now += SETTLE_MS;
      const again = step(back.state, [held("main", 1), held("b", 2)], now);
      expect(again.actions).toEqual([{ type: "giveWay", id: "b" }]);
      state = again.state;
      delays.push(state.probeDelayMs);
    }
    expect(delays).toEqual([20_000, 40_000, 40_000, 40_000]);
    // Never back sooner than the delay after giving way.
    for (let index = 1; index < comeBacks.length; index += 1) expect(comeBacks[index]! - comeBacks[index - 1]!).toBeGreaterThanOrEqual(SETTLE_MS + 20_000);
    // A long calm (b on air all along) brings the delay back to its start.
    const lastBack = state.probeAt!;
    state = step(state, [ok("main", 1), away("b", 2)], lastBack).state;
    expect(step(state, [ok("main", 1), ok("b", 2)], lastBack + 3 * 40_000 - 1).state.probeDelayMs).toBe(40_000);
    const calm = step(state, [ok("main", 1), ok("b", 2)], lastBack + 3 * 40_000);
    expect(calm.state.probeDelayMs).toBe(10_000);
  });

  it("forgets a destination that is switched off or loses its stream", () => {
    const state = step(initialUplink(policy), [held("main", 1), held("b", 2)], 0).state;
    expect(state.gaveWay.has("b")).toBe(true);
    expect(step(state, [ok("main", 1)], 1000).state.gaveWay.size).toBe(0);
  });
});
