// Reconnect delays: quick first, doubling, capped, jittered within bounds.

import { describe, expect, it } from "vitest";
import { backoffDelay, RECONNECT_BACKOFF } from "../../client/reconnect-backoff.js";

describe("backoffDelay", () => {
  it("starts at the initial delay and doubles up to the cap", () => {
    const middle = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 10, 1000].map((attempt) => backoffDelay(attempt, RECONNECT_BACKOFF, middle))).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it("stays within the jitter around the base, and never above the cap", () => {
    for (const random of [() => 0, () => 0.999999]) {
      expect(backoffDelay(0, RECONNECT_BACKOFF, random)).toBeGreaterThanOrEqual(200);
      expect(backoffDelay(0, RECONNECT_BACKOFF, random)).toBeLessThanOrEqual(300);
      expect(backoffDelay(20, RECONNECT_BACKOFF, random)).toBeLessThanOrEqual(5000);
      expect(backoffDelay(20, RECONNECT_BACKOFF, random)).toBeGreaterThanOrEqual(4000);
    }
  });
});
