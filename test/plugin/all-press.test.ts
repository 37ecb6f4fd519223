// The "all" key against a mocked client: start all, stop all when any is on, a chosen list, alerts.

import { describe, expect, it, vi } from "vitest";
import { planAllPress, pressAll } from "../../src/actions/all-press.js";
import { destinationView, fakeClient, fakeKey } from "./support/fake-client.js";

const views = [destinationView("yt", "off"), destinationView("tw", "live"), destinationView("fb", "off")];

describe("planAllPress", () => {
  it("stops everything when any chosen destination is on, else starts everything", () => {
    expect(planAllPress(views, {})).toEqual({ verb: "stop", ids: ["yt", "tw", "fb"] });
    expect(planAllPress(views, { destinations: ["yt", "fb"] })).toEqual({ verb: "start", ids: ["yt", "fb"] });
    expect(planAllPress([destinationView("yt", "failed")], {})).toEqual({ verb: "stop", ids: ["yt"] });
  });

  it("honours a key pinned to start or stop, and ignores ids the bridge does not have", () => {
    expect(planAllPress(views, { press: "start" })).toEqual({ verb: "start", ids: ["yt", "tw", "fb"] });
    expect(planAllPress(views, { press: "stop", destinations: ["fb", "gone"] })).toEqual({ verb: "stop", ids: ["fb"] });
    expect(planAllPress(views, { destinations: ["gone"] })).toEqual({ verb: "start", ids: [] });
  });
});

describe("pressAll", () => {
  it("sends the verb to each destination", async () => {
    const client = fakeClient(views);
    const key = fakeKey();
    expect(await pressAll(client, key, {})).toBe(true);
    expect(client.calls).toEqual([
      ["yt", "stop"],
      ["tw", "stop"],
      ["fb", "stop"],
    ]);
    expect(key.alerts).toBe(0);
  });

  it("decides on a fresh listing, not on the last event", async () => {
    const client = fakeClient(views);
    client.current = { reachable: false, status: undefined, problem: "gone" };
    expect(await pressAll(client, fakeKey(), {})).toBe(true);
    expect(client.listDestinations).toHaveBeenCalledOnce();
  });

  it("alerts when the bridge cannot be reached, when nothing matches, and when any destination refuses", async () => {
    const unreachable = fakeClient(views);
    unreachable.failWith("Nothing answers");
    const warn = vi.fn();
    const key = fakeKey();
    expect(await pressAll(unreachable, key, {}, warn)).toBe(false);
    expect(key.alerts).toBe(1);
    expect(warn).toHaveBeenCalledWith("Could not list the destinations: Nothing answers");

    const empty = fakeClient(views);
    expect(await pressAll(empty, key, { destinations: ["gone"] }, warn)).toBe(false);
    expect(key.alerts).toBe(2);
    expect(empty.calls).toEqual([]);
    expect(warn).toHaveBeenLastCalledWith("No destination to start: the bridge has none of gone");

    const partial = fakeClient(views);
    partial.command = vi.fn(async (id: string) => {
      if (id === "tw") throw new Error("Destination \"tw\" is being deleted");
      return views[0]!;
    });
    expect(await pressAll(partial, key, {}, warn)).toBe(false);
    expect(partial.command).toHaveBeenCalledTimes(3);
    expect(key.alerts).toBe(3);
    expect(warn).toHaveBeenLastCalledWith('Could not stop tw: Destination "tw" is being deleted');
  });
});
