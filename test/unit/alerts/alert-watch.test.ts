// Which changes of the status are alerts: a platform failing, one live again after trouble, OBS gone
// past the threshold (not a blip), OBS back after that.

import { describe, expect, it } from "vitest";
import { AlertWatch, INGEST_LOST_MS } from "../../../bridge/alerts/alert-watch.js";
import type { DestinationView, RelayState, StatusView } from "../../../contract/api.js";

const T0 = Date.parse("2026-01-01T20:00:00Z");

function status(live: boolean, states: Record<string, RelayState>, lastError: string | null = null): Pick<StatusView, "ingest" | "destinations"> {
  const destinations = Object.entries(states).map(
    ([id, state]): DestinationView => ({ id, name: id.toUpperCase(), url: "rtmp://x/app", hasKey: true, enabled: state !== "off", state, since: null, bitrateKbps: 0, fps: 0, restarts: 0, lastError, transport: "auto" }),
  );
  return { ingest: { live, name: live ? "obs" : "", since: null, bitrateKbps: 0 }, destinations };
}

describe("AlertWatch", () => {
  it("knows the first status without alerting it, even a destination already failed", () => {
    const watch = new AlertWatch();
    expect(watch.observe(status(false, { yt: "failed" }), T0)).toEqual([]);
  });

  it("alerts a destination that goes failed, with its facts, once", () => {
    const watch = new AlertWatch();
    watch.observe(status(true, { yt: "live", tw: "live" }), T0);
    watch.observe(status(true, { yt: "retrying", tw: "live" }, "Connection refused"), T0 + 1);
    const alerts = watch.observe(status(true, { yt: "failed", tw: "live" }, "Connection refused"), T0 + 2);
    expect(alerts).toEqual([{ event: "destination_failed", at: T0 + 2, destination: { id: "yt", name: "YT", state: "failed", lastError: "Connection refused" } }]);
    expect(watch.observe(status(true, { yt: "failed", tw: "live" }, "Connection refused"), T0 + 3)).toEqual([]);
  });

  it("alerts a destination live again after retrying or failing, not a first start or a hold", () => {
    const watch = new AlertWatch();
    watch.observe(status(true, { yt: "starting" }), T0);
    expect(watch.observe(status(true, { yt: "live" }), T0 + 1)).toEqual([]);
    watch.observe(status(true, { yt: "retrying" }), T0 + 2);
    watch.observe(status(true, { yt: "starting" }), T0 + 3);
    expect(watch.observe(status(true, { yt: "live" }), T0 + 4).map((alert) => alert.event)).toEqual(["destination_recovered"]);
    // OBS drops and comes back within the threshold: the platform was held, nothing failed.
    watch.observe(status(false, { yt: "holding" }), T0 + 5);
    expect(watch.observe(status(true, { yt: "live" }), T0 + 6)).toEqual([]);
  });

  it("forgets the trouble of a destination switched off: switched on later, its start is no recovery", () => {
    const watch = new AlertWatch();
    watch.observe(status(true, { yt: "live" }), T0);
    watch.observe(status(true, { yt: "failed" }), T0 + 1);
    watch.observe(status(true, { yt: "off" }), T0 + 2);
    watch.observe(status(true, { yt: "starting" }), T0 + 3);
    expect(watch.observe(status(true, { yt: "live" }), T0 + 4)).toEqual([]);
  });

  it("says nothing of an OBS blip shorter than the threshold", () => {
    const watch = new AlertWatch();
    watch.observe(status(true, {}), T0);
    watch.observe(status(false, {}), T0 + 1_000);
    expect(watch.nextCheckAt()).toBe(T0 + 1_000 + INGEST_LOST_MS);
    expect(watch.check(T0 + 1_000 + INGEST_LOST_MS - 1)).toEqual([]);
    expect(watch.observe(status(true, {}), T0 + 3_000)).toEqual([]);
    expect(watch.nextCheckAt()).toBeNull();
  });

  it("alerts OBS gone past the threshold once, and OBS back after that", () => {
    const watch = new AlertWatch();
    watch.observe(status(true, {}), T0);
    watch.observe(status(false, {}), T0 + 1_000);
    const lost = watch.check(T0 + 1_000 + INGEST_LOST_MS);
    expect(lost).toEqual([{ event: "ingest_lost", at: T0 + 1_000 + INGEST_LOST_MS, goneMs: INGEST_LOST_MS }]);
    expect(watch.check(T0 + 60_000)).toEqual([]);
    expect(watch.nextCheckAt()).toBeNull();
    expect(watch.observe(status(true, {}), T0 + 70_000)).toEqual([{ event: "ingest_back", at: T0 + 70_000 }]);
  });

  it("a status seen after the threshold tells the loss itself (no timer needed)", () => {
    const watch = new AlertWatch();
    watch.observe(status(true, {}), T0);
    watch.observe(status(false, {}), T0);
    expect(watch.observe(status(false, {}), T0 + INGEST_LOST_MS).map((alert) => alert.event)).toEqual(["ingest_lost"]);
  });

  it("never alerts the ingest when OBS was not live when the bridge started", () => {
    const watch = new AlertWatch();
    watch.observe(status(false, {}), T0);
    expect(watch.check(T0 + 10 * INGEST_LOST_MS)).toEqual([]);
    expect(watch.observe(status(true, {}), T0 + 10 * INGEST_LOST_MS)).toEqual([]);
  });
});
