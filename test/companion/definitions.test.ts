import { describe, expect, it } from "vitest";
import { RELAY_STATES } from "../../contract/api.js";
import {
  ACTION_IDS,
  definitionsKey,
  destinationChoices,
  destinationInState,
  FEEDBACK_IDS,
  keyImageSize,
  presetDefinitions,
  stateChoices,
} from "../../companion/definitions.js";
import { destinationView, statusView } from "../../rig/status-views.js";

describe("Companion definitions", () => {
  it("offers every relay state, holding included, once each", () => {
    const ids = stateChoices().map((choice) => choice.id);
    expect(ids).toEqual(expect.arrayContaining([...RELAY_STATES, "holding"]));
    expect(new Set(ids).size).toBe(ids.length);
    expect(stateChoices().find((choice) => choice.id === "holding")?.label).toMatch(/OBS dropped/);
  });

  it("lists destinations by id, labelled by name", () => {
    expect(destinationChoices([{ id: "youtube", name: "YouTube" }, { id: "twitch", name: "twitch" }])).toEqual([
      { id: "youtube", label: "YouTube (youtube)" },
      { id: "twitch", label: "twitch" },
    ]);
  });

  it("changes its key exactly when an id or a name changes", () => {
    const before = definitionsKey([{ id: "youtube", name: "YouTube" }]);
    expect(definitionsKey([{ id: "youtube", name: "YouTube", state: "live" } as never])).toBe(before);
    expect(definitionsKey([{ id: "youtube", name: "YouTube main" }])).not.toBe(before);
    expect(definitionsKey([{ id: "youtube", name: "YouTube" }, { id: "kick", name: "Kick" }])).not.toBe(before);
    expect(definitionsKey([])).not.toBe(before);
  });

  it("answers the state feedback from the latest status (false while the bridge is away)", () => {
    const status = statusView([destinationView({ id: "youtube", state: "live" }), destinationView({ id: "kick", state: "holding" as never })]);
    expect(destinationInState(status, "youtube", "live")).toBe(true);
    expect(destinationInState(status, "youtube", "off")).toBe(false);
    expect(destinationInState(status, "kick", "holding")).toBe(true);
    expect(destinationInState(status, "nope", "live")).toBe(false);
    expect(destinationInState(undefined, "youtube", "live")).toBe(false);
  });

  it("sizes the key image to the button's image area", () => {
    expect(keyImageSize({ width: 72, height: 72 })).toBe(72);
    expect(keyImageSize({ width: 72, height: 58 })).toBe(58);
    expect(keyImageSize({ width: 144, height: 116 })).toBe(116);
    expect(keyImageSize(undefined)).toBe(72);
    expect(keyImageSize({ width: 0, height: 0 })).toBe(72);
    expect(keyImageSize({ width: 8, height: 8 })).toBe(16);
    expect(keyImageSize({ width: 4000, height: 3000 })).toBe(512);
  });

  it("makes one preset per destination: press toggles, the key image follows", () => {
    const presets = presetDefinitions([{ id: "youtube-main", name: "YouTube" }]);
    expect(presets.destination_youtube_main).toMatchObject({
      type: "button",
      category: "Destinations",
      name: "YouTube",
      style: { show_topbar: false },
      feedbacks: [{ feedbackId: FEEDBACK_IDS.key, options: { destination: "youtube-main" } }],
      steps: [{ down: [{ actionId: ACTION_IDS.toggle, options: { destination: "youtube-main" } }], up: [] }],
    });
    expect(Object.keys(presets).sort()).toEqual(["all_start", "all_stop", "destination_youtube_main", "obs_stream"]);
    expect(presets.obs_stream).toMatchObject({ feedbacks: [{ feedbackId: FEEDBACK_IDS.obsStreaming }], steps: [{ down: [{ actionId: ACTION_IDS.obsStart }] }, { down: [{ actionId: ACTION_IDS.obsStop }] }] });
    expect(presets.all_stop).toMatchObject({ steps: [{ down: [{ actionId: ACTION_IDS.allStop }] }] });
    expect(presetDefinitions([{ id: "a-b", name: "First" }, { id: "a_b", name: "Second" }]).destination_a_b).toMatchObject({ name: "First" });
  });
});
