// A destination's priority and its giving way: defaults for an old file, checked in the API's bodies.

import { describe, expect, it } from "vitest";
import { configSchema, givesWay, priorityOf } from "../../../bridge/config/schema.js";
import { parseDestinationInput, parseDestinationPatch } from "../../../bridge/config/destination-input.js";
import { addDestination, patchDestination } from "../../../bridge/config/destination-edits.js";

const url = "rtmp://127.0.0.1:1936/live";

describe("destination priority", () => {
  it("reads a file without priority as 5 that gives way, and keeps the file as it was", () => {
    const config = configSchema.parse({ destinations: [{ id: "a", name: "A", url }] });
    const [destination] = config.destinations;
    expect(priorityOf(destination!)).toBe(5);
    expect(givesWay(destination!)).toBe(true);
    expect("priority" in destination!).toBe(false);
  });

  it("refuses a priority outside 1..9 or not whole, naming the key", () => {
    for (const priority of [0, 10, 2.5, "1"]) {
      const result = configSchema.safeParse({ destinations: [{ id: "a", name: "A", url, priority }] });
      expect(result.success).toBe(false);
      expect(result.error!.issues[0]!.path).toEqual(["destinations", 0, "priority"]);
      expect(result.error!.issues[0]!.message).toMatch(/1 \(most important\)/);
    }
  });

  it("takes priority and giveWay on create and in a patch", () => {
    const config = configSchema.parse({});
    const created = addDestination(config, parseDestinationInput({ name: "Main", url, priority: 1, giveWay: false }));
    expect(created).toMatchObject({ priority: 1, giveWay: false });
    patchDestination(config, created.id, parseDestinationPatch({ priority: 7, giveWay: true }));
    expect(config.destinations[0]).toMatchObject({ priority: 7, giveWay: true });
    expect(() => parseDestinationPatch({ priority: 12 })).toThrow(/priority: must be 1 \(most important\) to 9/);
    expect(() => parseDestinationPatch({ giveWay: "no" })).toThrow(/giveWay: must be true or false/);
  });

  it("adds no field for a destination created without them", () => {
    const config = configSchema.parse({});
    const created = addDestination(config, parseDestinationInput({ name: "Other", url }));
    expect("priority" in created || "giveWay" in created).toBe(false);
  });
});
