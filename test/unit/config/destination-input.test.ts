// A destination from the API: ids derived from names, patches that never change the id.

import { describe, expect, it } from "vitest";
import { deriveId, parseDestinationInput, parseDestinationPatch } from "../../../bridge/config/destination-input.js";
import { configSchema } from "../../../bridge/config/schema.js";
import { addDestination, patchDestination } from "../../../bridge/config/destination-edits.js";
import { RelayError } from "../../../bridge/domain/errors.js";

function refusal(parse: () => unknown): RelayError {
  try {
    parse();
  } catch (error) {
    if (error instanceof RelayError) return error;
    throw error;
  }
  throw new Error("the input was accepted");
}

describe("destination input", () => {
  it("derives unique slug ids from names", () => {
    expect(deriveId("YouTube Main!", new Set())).toBe("youtube-main");
    expect(deriveId("YouTube", new Set(["youtube", "youtube-2"]))).toBe("youtube-3");
    expect(deriveId("🎥", new Set())).toBe("destination");
  });
  it("never lets a patch change the id", () => {
    expect(() => parseDestinationPatch({ id: "other" })).toThrow(/id: cannot be changed/);
    expect(parseDestinationPatch({ enabled: true })).toEqual({ enabled: true });
  });

  it("refuses control characters in a name, naming the field", () => {
    for (const name of ["A\u0000B", "Line\nforged", "Tab\there", "Bell\u0007", "C1\u0085", "Sep\u2028x"]) {
      const error = refusal(() => parseDestinationInput({ name, url: "rtmp://127.0.0.1:1936/live" }));
      expect([error.code, error.field], JSON.stringify(name)).toEqual(["invalid_field", "name"]);
      expect(error.message).toMatch(/control characters/);
      expect(refusal(() => parseDestinationPatch({ name })).field).toBe("name");
    }
    expect(parseDestinationInput({ name: "Twitch – « FR » ✓", url: "rtmp://127.0.0.1:1936/live" }).name).toBe("Twitch – « FR » ✓");
  });

  it("takes null or \"\" as no source, in a POST and in a PATCH that removes one", () => {
    const config = configSchema.parse({});
    const created = addDestination(config, parseDestinationInput({ name: "A", url: "rtmp://127.0.0.1:1936/live", source: null }));
    expect("source" in created).toBe(false);
    expect("source" in addDestination(config, parseDestinationInput({ name: "B", url: "rtmp://127.0.0.1:1936/live", source: "" }))).toBe(false);
    patchDestination(config, "a", parseDestinationPatch({ source: "camera2" }));
    expect(config.destinations[0]!.source).toBe("camera2");
    for (const none of [null, ""]) {
      patchDestination(config, "a", parseDestinationPatch({ source: "camera2" }));
      patchDestination(config, "a", parseDestinationPatch({ source: none }));
      expect("source" in config.destinations[0]!).toBe(false);
      expect(configSchema.safeParse(config).success).toBe(true);
    }
    // Absent leaves it; a bad name is still refused by name.
    patchDestination(config, "a", parseDestinationPatch({ source: "camera2" }));
    patchDestination(config, "a", parseDestinationPatch({ name: "A2" }));
    expect(config.destinations[0]!.source).toBe("camera2");
    expect(refusal(() => parseDestinationPatch({ source: "a b" })).field).toBe("source");
  });
});
