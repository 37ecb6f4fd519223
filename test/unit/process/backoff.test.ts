// The relays' retry delay: grows, is capped, jitters.

import { describe, expect, it } from "vitest";
import { backoffDelay, RELAY_BACKOFF } from "../../../bridge/process/backoff.js";

describe("backoff", () => {
  it("grows, is capped, and jitters within its spread", () => {
    expect(backoffDelay(1, RELAY_BACKOFF, 0.5)).toBe(1000);
    expect(backoffDelay(2, RELAY_BACKOFF, 0.5)).toBe(2000);
    expect(backoffDelay(20, RELAY_BACKOFF, 0.5)).toBe(30_000);
    expect(backoffDelay(1, RELAY_BACKOFF, 0)).toBe(800);
    expect(backoffDelay(1, RELAY_BACKOFF, 0.999)).toBeLessThanOrEqual(1200);
  });
});
