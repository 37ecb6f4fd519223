import { describe, expect, it } from "vitest";
import { OBS_RECONNECT, ReconnectSchedule } from "../../../bridge/obs/reconnect.js";

describe("OBS reconnect backoff", () => {
  it("doubles from 1 s up to 15 s, then stays there", () => {
    const schedule = new ReconnectSchedule();
    const delays = Array.from({ length: 7 }, () => schedule.failed(0.5));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 15_000, 15_000, 15_000]);
    expect(schedule.failures).toBe(7);
  });

  it("jitters within ±20 % and never past the cap", () => {
    const low = new ReconnectSchedule().failed(0);
    const high = new ReconnectSchedule().failed(0.999);
    expect(low).toBe(800);
    expect(high).toBeGreaterThan(1_190);
    expect(high).toBeLessThanOrEqual(1_200);
    const capped = new ReconnectSchedule();
    for (let i = 0; i < 10; i += 1) expect(capped.failed(0.999)).toBeLessThanOrEqual(OBS_RECONNECT.maxMs);
  });

  it("starts from the shortest delay again after a good connection", () => {
    const schedule = new ReconnectSchedule();
    schedule.failed(0.5);
    schedule.failed(0.5);
    schedule.reset();
    expect(schedule.failed(0.5)).toBe(1_000);
  });
});
