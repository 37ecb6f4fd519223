// When subscribers hear of changes: states at once and batched, numbers at most once a period.

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ChangeBatcher } from "../../../bridge/relay/change-batcher.js";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("ChangeBatcher", () => {
  it("emits several urgent changes of one turn once, on the next turn", async () => {
    const emit = vi.fn();
    const batch = new ChangeBatcher(emit, 1_000);
    batch.urgent();
    batch.urgent();
    expect(emit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(0);
    expect(emit).toHaveBeenCalledTimes(1);
  });

  it("emits numbers at most once a period", async () => {
    const emit = vi.fn();
    const batch = new ChangeBatcher(emit, 1_000);
    for (let i = 0; i < 10; i++) {
      batch.numbers();
      await vi.advanceTimersByTimeAsync(150);
    }
    expect(emit).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(emit).toHaveBeenCalledTimes(2);
  });

  it("lets an urgent change carry pending numbers with it", async () => {
    const emit = vi.fn();
    const batch = new ChangeBatcher(emit, 1_000);
    batch.numbers();
    batch.urgent();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(emit).toHaveBeenCalledTimes(1);
  });

  it("emits no numbers after stop", async () => {
    const emit = vi.fn();
    const batch = new ChangeBatcher(emit, 1_000);
    batch.numbers();
    batch.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(emit).not.toHaveBeenCalled();
  });
});
