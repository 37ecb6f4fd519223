// The API's edits of the destinations, on a config draft: refused edits throw the core's errors.

import { describe, expect, it } from "vitest";
import { configSchema } from "../../../bridge/config/schema.js";
import { addDestination, patchDestination, removeDestination, setWish } from "../../../bridge/config/destination-edits.js";
import { RelayError } from "../../../bridge/domain/errors.js";

const draft = () => configSchema.parse({ destinations: [{ id: "youtube", name: "YouTube", url: "rtmp://127.0.0.1:1936/live", key: "k" }] });

function refusal(edit: () => unknown): RelayError {
  try {
    edit();
  } catch (error) {
    if (error instanceof RelayError) return error;
    throw error;
  }
  throw new Error("the edit was not refused");
}

describe("destination edits", () => {
  it("adds a destination off, with an id from its name that does not clash", () => {
    const config = draft();
    const created = addDestination(config, { name: "YouTube", url: "rtmp://127.0.0.1:1937/live" });
    expect(created).toMatchObject({ id: "youtube-2", enabled: false, key: "", transport: "auto" });
    expect(config.destinations).toHaveLength(2);
  });

  it("refuses a taken id as a conflict naming the field", () => {
    const error = refusal(() => addDestination(draft(), { id: "youtube", name: "Other", url: "rtmp://127.0.0.1:1937/live" }));
    expect([error.kind, error.code, error.field]).toEqual(["conflict", "duplicate_id", "id"]);
  });

  it("refuses a 101st destination as a limit", () => {
    const config = draft();
    for (let i = 1; i < 100; i++) addDestination(config, { name: `D${i}`, url: "rtmp://127.0.0.1:1937/live" });
    const error = refusal(() => addDestination(config, { name: "One too many", url: "rtmp://127.0.0.1:1937/live" }));
    expect([error.kind, error.code]).toEqual(["limit", "too_many_destinations"]);
    expect(error.message).toMatch(/delete one/);
  });

  it("patches only the fields given", () => {
    const config = draft();
    patchDestination(config, "youtube", { name: "YT", key: undefined });
    expect(config.destinations[0]).toMatchObject({ name: "YT", key: "k" });
  });

  it("toggles from the wish in the draft, so two toggles flip twice", () => {
    const config = draft();
    expect(setWish(config, "youtube", "toggle")).toBe(true);
    expect(setWish(config, "youtube", "toggle")).toBe(false);
    expect(setWish(config, "youtube", true)).toBe(true);
  });

  it("answers an unknown destination as not found, for every edit", () => {
    for (const edit of [() => patchDestination(draft(), "nope", {}), () => removeDestination(draft(), "nope"), () => setWish(draft(), "nope", true)]) {
      const error = refusal(edit);
      expect([error.kind, error.message]).toEqual(["not_found", 'Destination "nope" does not exist']);
    }
  });

  it("removes a destination", () => {
    const config = draft();
    removeDestination(config, "youtube");
    expect(config.destinations).toEqual([]);
  });
});
