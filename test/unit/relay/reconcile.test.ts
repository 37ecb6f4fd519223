// The engine's one decision: what each relay is told after a change of the config or the ingest.

import { describe, expect, it } from "vitest";
import type { Destination } from "../../../bridge/config/schema.js";
import { reconcile, type AppliedRelay } from "../../../bridge/relay/reconcile.js";
import { initialContext, transition, type RelayContext } from "../../../bridge/relay/lifecycle.js";

const destination = (id: string, fields: Partial<Destination> = {}): Destination => ({
  id,
  name: id,
  url: `rtmp://127.0.0.1:1936/live`,
  key: `${id}-key`,
  enabled: false,
  transport: "auto",
  ...fields,
});

const applied = (entries: Array<[Destination, string | null, boolean?]>) =>
  new Map<string, AppliedRelay>(entries.map(([d, reads, enabled]) => [d.id, { destination: d, reads, enabled: enabled ?? d.enabled }]));

describe("reconcile", () => {
  it("adds a runner for a new destination with the stream it reads, and removes a deleted one's", () => {
    const yt = destination("yt", { enabled: true });
    const old = destination("old");
    const steps = reconcile({ destinations: [yt], applied: applied([[old, "main"]]), readsOf: () => "main", heldMs: () => 0 });
    expect(steps).toEqual([
      { type: "remove", id: "old" },
      { type: "add", destination: yt, reads: "main" },
    ]);
  });

  it("tells nothing when nothing changed", () => {
    const yt = destination("yt", { enabled: true });
    expect(reconcile({ destinations: [yt], applied: applied([[yt, "main"]]), readsOf: () => "main", heldMs: () => 0 })).toEqual([]);
  });

  it("switches a relay when the wish in the config changes, and only that relay", () => {
    const yt = destination("yt");
    const tw = destination("tw", { enabled: true });
    const steps = reconcile({
      destinations: [{ ...yt, enabled: true }, tw],
      applied: applied([[yt, "main"], [tw, "main"]]),
      readsOf: () => "main",
      heldMs: () => 0,
    });
    expect(steps).toEqual([{ type: "dispatch", id: "yt", event: { type: "enable" } }]);
  });

  it("holds relays on the stand-in for as long as the stream that went down allows", () => {
    const yt = destination("yt", { enabled: true });
    const steps = reconcile({ destinations: [yt], applied: applied([[yt, "main"]]), readsOf: () => null, heldMs: (stream) => (stream === "main" ? 30_000 : 0) });
    expect(steps).toEqual([{ type: "dispatch", id: "yt", event: { type: "ingestDown", holdMs: 30_000 } }]);
  });

  it("retargets a relay kept on the stand-in to the stream it now reads, then tells it the ingest is up", () => {
    const yt = destination("yt", { enabled: true });
    const steps = reconcile({ destinations: [yt], applied: applied([[yt, null]]), readsOf: () => "main", heldMs: () => 0 });
    expect(steps).toEqual([
      { type: "retarget", id: "yt", reads: "main" },
      { type: "dispatch", id: "yt", event: { type: "ingestUp" } },
    ]);
  });

  it("moves a relay from one live stream to another without holding it", () => {
    const yt = destination("yt", { enabled: true, source: "cam2" });
    const steps = reconcile({ destinations: [yt], applied: applied([[destination("yt", { enabled: true }), "main"]]), readsOf: () => "main-cam2", heldMs: () => 30_000 });
    expect(steps).toEqual([
      { type: "dispatch", id: "yt", event: { type: "ingestDown", holdMs: 0 } },
      { type: "retarget", id: "yt", reads: "main-cam2" },
      { type: "dispatch", id: "yt", event: { type: "ingestUp" } },
    ]);
  });

  it.each([
    ["url", { url: "rtmp://127.0.0.1:1937/live" }],
    ["key", { key: "new-key" }],
    ["transport", { transport: "stunnel" as const }],
  ])("reconnects a relay whose %s changed while it has a stream, then applies the wish", (_field, change) => {
    const yt = destination("yt", { enabled: true });
    const steps = reconcile({ destinations: [{ ...yt, ...change, enabled: false }], applied: applied([[yt, "main"]]), readsOf: () => "main", heldMs: () => 0 });
    expect(steps).toEqual([
      { type: "dispatch", id: "yt", event: { type: "ingestDown" } },
      { type: "dispatch", id: "yt", event: { type: "ingestUp" } },
      { type: "dispatch", id: "yt", event: { type: "disable" } },
    ]);
  });

  it("does not reconnect a relay without a stream when its URL changes (its next start reads the new one), only re-arms it", () => {
    const yt = destination("yt", { enabled: true });
    const steps = reconcile({ destinations: [{ ...yt, url: "rtmp://127.0.0.1:1937/live" }], applied: applied([[yt, null]]), readsOf: () => null, heldMs: () => 0 });
    expect(steps).toEqual([{ type: "dispatch", id: "yt", event: { type: "enable" } }]);
  });

  it.each([
    ["url", { url: "rtmp://127.0.0.1:1937/live" }, "main"],
    ["key", { key: "fixed-key" }, "main"],
    ["key, without a stream", { key: "fixed-key" }, null],
    ["quality", { encode: { video: { bitrateKbps: 3000, encoder: "auto" }, audio: { bitrateKbps: 160 }, crop: "none" } }, "main"],
  ] as const)("re-arms a relay that gave up when its %s is fixed", (_what, change, reads) => {
    const yt = destination("yt", { enabled: true });
    const steps = reconcile({ destinations: [{ ...yt, ...change } as Destination], applied: applied([[yt, reads]]), readsOf: () => reads, heldMs: () => 0 });
    // Carried out on a failed relay, the steps start it again (or make it wait for OBS).
    let context: RelayContext = { ...initialContext(true, reads !== null, 0), state: "failed", failures: 6, lastError: "refused" };
    for (const step of steps) if (step.type === "dispatch") context = transition(context, step.event, { now: 1, random: () => 0 }).context;
    expect(context.state).toBe(reads === null ? "waiting" : "starting");
    expect(context.failures).toBe(0);
  });

  it("does not re-arm on a change that reaches the same place (a new name)", () => {
    const yt = destination("yt", { enabled: true });
    expect(reconcile({ destinations: [{ ...yt, name: "YouTube" }], applied: applied([[yt, "main"]]), readsOf: () => "main", heldMs: () => 0 })).toEqual([]);
  });

  it("compares the wish with what the relay was told, not with the config it was told it in", () => {
    const yt = destination("yt", { enabled: true });
    // The runner was told "off" last (e.g. a hand edit turned it off, then the API on again).
    const steps = reconcile({ destinations: [yt], applied: applied([[yt, "main", false]]), readsOf: () => "main", heldMs: () => 0 });
    expect(steps).toEqual([{ type: "dispatch", id: "yt", event: { type: "enable" } }]);
  });
});
