// "All destinations": the plan from the bridge's list, the chosen ids and the mode, and the outcome of
// commanding each (every one tried, failures gathered), against a client written here.

import { describe, expect, it } from "vitest";
import { commandAll, planAll, type AllDestinationsClient } from "../../../client/all-destinations.js";
import { destinationView } from "../../../rig/status-views.js";

const views = [destinationView({ id: "yt", enabled: false }), destinationView({ id: "tw", enabled: true }), destinationView({ id: "fb", enabled: false })];

function client(refuse: Record<string, string> = {}, listing: () => Promise<typeof views> = async () => views): AllDestinationsClient & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    listDestinations: listing,
    async command(id, verb) {
      calls.push(`${verb} ${id}`);
      if (refuse[id]) throw new Error(refuse[id]);
      return {};
    },
  };
}

describe("planAll", () => {
  it("toggles to stop when any target is on, else to start; start and stop as told", () => {
    expect(planAll(views, [], "toggle")).toEqual({ verb: "stop", ids: ["yt", "tw", "fb"] });
    expect(planAll(views, ["fb", "yt"], "toggle")).toEqual({ verb: "start", ids: ["yt", "fb"] });
    expect(planAll(views, [], "start")).toEqual({ verb: "start", ids: ["yt", "tw", "fb"] });
    expect(planAll(views, ["yt"], "stop")).toEqual({ verb: "stop", ids: ["yt"] });
    expect(planAll(views, ["gone"], "toggle")).toEqual({ verb: "start", ids: [] });
  });
});

describe("commandAll", () => {
  it("commands every target and is done when all accept", async () => {
    const bridge = client();
    expect(await commandAll(bridge, [], "stop")).toEqual({ kind: "done", plan: { verb: "stop", ids: ["yt", "tw", "fb"] } });
    expect(bridge.calls).toEqual(["stop yt", "stop tw", "stop fb"]);
  });

  it("tries every target even when some refuse, and names each failure", async () => {
    const bridge = client({ yt: "Destination \"yt\" has no stream key", fb: "Nothing answers" });
    const outcome = await commandAll(bridge, [], "start");
    expect(bridge.calls).toEqual(["start yt", "start tw", "start fb"]);
    expect(outcome).toMatchObject({ kind: "failed", failures: ['yt: Destination "yt" has no stream key', "fb: Nothing answers"], message: 'Could not start yt: Destination "yt" has no stream key; fb: Nothing answers' });
  });

  it("commands nothing when the list cannot be had, and keeps its error", async () => {
    const down = new Error("Nothing answers at http://127.0.0.1:8787: is the Relay bridge running?");
    const bridge = client({}, async () => {
      throw down;
    });
    const outcome = await commandAll(bridge, [], "stop");
    expect(outcome).toEqual({ kind: "unlisted", error: down, message: `Could not list the destinations: ${down.message}` });
    expect(bridge.calls).toEqual([]);
  });

  it("says when nothing matches", async () => {
    expect(await commandAll(client({}, async () => []), [], "start")).toMatchObject({ kind: "nothing", message: "No destination to start: the bridge has none" });
    expect(await commandAll(client(), ["gone", "old"], "stop")).toMatchObject({ kind: "nothing", message: "No destination to stop: the bridge has none of gone, old" });
  });
});
