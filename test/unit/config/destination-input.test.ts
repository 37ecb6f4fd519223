// A destination from the API: ids derived from names, patches that never change the id.

import { describe, expect, it } from "vitest";
import { deriveId, parseDestinationPatch } from "../../../bridge/config/destination-input.js";

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
});
