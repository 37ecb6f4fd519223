// Destination key presses against a mocked client: act on key-down, hold to retry, alert on failure.

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DestinationPresses, LONG_PRESS_MS } from "../../src/actions/destination-press.js";
import { destinationView, fakeClient, fakeKey } from "./support/fake-client.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("DestinationPresses", () => {
  it("toggles on key-down, without waiting for the key to come up", async () => {
    const client = fakeClient([destinationView("yt", "off")]);
    const presses = new DestinationPresses({ client });
    const key = fakeKey();
    await presses.keyDown(key, { destination: "yt" });
    expect(client.calls).toEqual([["yt", "toggle"]]);
    await presses.keyUp(key);
    expect(client.calls).toHaveLength(1);
    expect(key.alerts).toBe(0);
  });

  it("sends start or stop for keys that can only do one thing", async () => {
    const client = fakeClient([destinationView("yt", "live")]);
    const presses = new DestinationPresses({ client });
    await presses.keyDown(fakeKey(), { destination: "yt", press: "start" });
    await presses.keyDown(fakeKey(), { destination: "yt", press: "stop" });
    expect(client.calls).toEqual([
      ["yt", "start"],
      ["yt", "stop"],
    ]);
  });

  it("alerts when no destination is chosen, without calling the bridge", async () => {
    const client = fakeClient();
    const warn = vi.fn();
    const key = fakeKey();
    await new DestinationPresses({ client, warn }).keyDown(key, {});
    expect(key.alerts).toBe(1);
    expect(client.calls).toEqual([]);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/before a destination was chosen/));
  });

  it("alerts and says why when the bridge refuses or cannot be reached", async () => {
    const client = fakeClient([destinationView("yt", "off")]);
    client.failWith("Nothing answers at http://127.0.0.1:8787");
    const warn = vi.fn();
    const key = fakeKey();
    await new DestinationPresses({ client, warn }).keyDown(key, { destination: "yt" });
    expect(key.alerts).toBe(1);
    expect(warn).toHaveBeenCalledWith('Could not toggle destination "yt": Nothing answers at http://127.0.0.1:8787');
  });

  for (const state of ["retrying", "failed"] as const) {
    it(`retries a ${state} destination when the key is held ${LONG_PRESS_MS} ms`, async () => {
      const client = fakeClient([destinationView("yt", state)]);
      const presses = new DestinationPresses({ client });
      const key = fakeKey();
      await presses.keyDown(key, { destination: "yt" });
      expect(client.calls).toEqual([]);
      await vi.advanceTimersByTimeAsync(LONG_PRESS_MS - 1);
      expect(client.calls).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(client.calls).toEqual([["yt", "retry"]]);
      await presses.keyUp(key);
      expect(client.calls).toEqual([["yt", "retry"]]);
    });

    it(`does the usual press on a ${state} destination when released sooner`, async () => {
      const client = fakeClient([destinationView("yt", state)]);
      const presses = new DestinationPresses({ client });
      const key = fakeKey();
      await presses.keyDown(key, { destination: "yt", press: "start" });
      await vi.advanceTimersByTimeAsync(200);
      await presses.keyUp(key);
      expect(client.calls).toEqual([["yt", "start"]]);
      await vi.advanceTimersByTimeAsync(LONG_PRESS_MS * 2);
      expect(client.calls).toEqual([["yt", "start"]]);
    });
  }

  it("alerts when the retry fails", async () => {
    const client = fakeClient([destinationView("yt", "failed")]);
    client.failWith("Destination \"yt\" cannot be retried now");
    const key = fakeKey();
    await new DestinationPresses({ client }).keyDown(key, { destination: "yt" });
    await vi.advanceTimersByTimeAsync(LONG_PRESS_MS);
    expect(key.alerts).toBe(1);
  });

  it("forgets a held key that goes away", async () => {
    const client = fakeClient([destinationView("yt", "failed")]);
    const presses = new DestinationPresses({ client });
    const key = fakeKey();
    await presses.keyDown(key, { destination: "yt" });
    presses.cancel(key.id);
    await vi.advanceTimersByTimeAsync(LONG_PRESS_MS * 2);
    await presses.keyUp(key);
    expect(client.calls).toEqual([]);
  });

  it("keeps keys apart: holding one does not swallow another's press", async () => {
    const client = fakeClient([destinationView("yt", "failed"), destinationView("tw", "off")]);
    const presses = new DestinationPresses({ client });
    const held = fakeKey("a");
    const other = fakeKey("b");
    await presses.keyDown(held, { destination: "yt" });
    await presses.keyDown(other, { destination: "tw" });
    await presses.keyUp(other);
    await vi.advanceTimersByTimeAsync(LONG_PRESS_MS);
    expect(client.calls).toEqual([
      ["tw", "toggle"],
      ["yt", "retry"],
    ]);
  });
});
