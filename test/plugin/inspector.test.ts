// What the property inspector gets: dropdown items and the bridge's reachability, pushed on change.

import { describe, expect, it, vi } from "vitest";
import { asksForDestinations, InspectorFeed, inspectorMessage } from "../../src/inspector.js";
import { destinationView, statusWith } from "./support/fake-client.js";

const reachable = (names: Array<[string, string]>) => ({
  reachable: true,
  status: statusWith(names.map(([id, name]) => destinationView(id, "off", { name }))),
  problem: undefined,
});

describe("inspectorMessage", () => {
  it("lists destinations by name, adding the id where two share one", () => {
    expect(inspectorMessage(reachable([["yt", "YouTube"], ["tw1", "Twitch"], ["tw2", "Twitch"]]))).toEqual({
      event: "getDestinations",
      items: [
        { value: "yt", label: "YouTube" },
        { value: "tw1", label: "Twitch (tw1)" },
        { value: "tw2", label: "Twitch (tw2)" },
      ],
      reachable: true,
      connecting: false,
      problem: null,
    });
  });

  it("says why the bridge cannot be reached, and whether it is still connecting", () => {
    expect(inspectorMessage({ reachable: false, status: undefined, problem: "Nothing answers at http://x" })).toMatchObject({ items: [], reachable: false, connecting: false, problem: "Nothing answers at http://x" });
    expect(inspectorMessage({ reachable: false, status: undefined, problem: "Connecting…", connecting: true })).toMatchObject({ connecting: true });
  });

  it("recognises the inspector's request", () => {
    expect(asksForDestinations({ event: "getDestinations" })).toBe(true);
    expect(asksForDestinations({ event: "getDestinations", isRefresh: true })).toBe(true);
    expect(asksForDestinations({ event: "other" })).toBe(false);
    expect(asksForDestinations(null)).toBe(false);
    expect(asksForDestinations("getDestinations")).toBe(false);
  });
});

describe("InspectorFeed", () => {
  it("answers every request, and pushes only changes while an inspector is open", async () => {
    const send = vi.fn(async () => undefined);
    const feed = new InspectorFeed(send);
    const one = reachable([["yt", "YouTube"]]);
    await feed.update(one);
    expect(send).not.toHaveBeenCalled();
    feed.appeared();
    await feed.answer(one);
    await feed.answer(one);
    expect(send).toHaveBeenCalledTimes(2);
    await feed.update(reachable([["yt", "YouTube"]]));
    expect(send).toHaveBeenCalledTimes(2);
    await feed.update(reachable([["yt", "YouTube"], ["tw", "Twitch"]]));
    expect(send).toHaveBeenCalledTimes(3);
    feed.disappeared();
    await feed.update(reachable([]));
    expect(send).toHaveBeenCalledTimes(3);
  });
});
