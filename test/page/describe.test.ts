// The page's own words: state badges and sentences, OBS, keyframes and warnings, in English and French.

import { describe, expect, it } from "vitest";
import { describeKeyframes, describeObs, describeState, stateLabel, warningText } from "../../page/describe.js";
import { RELAY_STATES } from "../../contract/api.js";
import { initialObsState, obsConnected } from "../../bridge/obs/obs-state.js";

describe("state words", () => {
  it("has a badge word and a sentence for every state", () => {
    for (const state of RELAY_STATES) {
      expect(stateLabel(state)).toMatch(/^[A-Z]+$/);
      expect(describeState(state, 4).length).toBeGreaterThan(5);
    }
  });
  it("says the countdown while retrying", () => {
    expect(describeState("retrying", 4)).toContain("4 s");
    expect(describeState("retrying", null)).not.toMatch(/\d/);
  });
});

describe("OBS on the page", () => {
  const obs = { ...obsConnected(initialObsState(true), "29.0.2").view };
  it("says whether OBS is linked, connected, streaming or reconnecting", () => {
    expect(describeObs(undefined).state).toBe("off");
    expect(describeObs({ ...initialObsState(true).view, error: "OBS refused the password" })).toEqual({ state: "down", text: "OBS not connected", detail: "OBS refused the password" });
    expect(describeObs({ ...obs, pointsAtRelay: false })).toMatchObject({ state: "idle", detail: expect.stringContaining("Set up OBS for Relay") });
    expect(describeObs({ ...obs, streaming: true, reconnecting: true, outputState: "reconnecting" }).state).toBe("reconnecting");
    const live = describeObs({ ...obs, streaming: true, outputState: "started", bitrateKbps: 2500, skippedFrames: 3, totalFrames: 300, congestion: 0.5 });
    expect(live).toMatchObject({ state: "live", text: "OBS streaming · 2.5 Mb/s · congestion 50 % · dropped 3 of 300 frames (1.0 %)" });
  });

  it("says where OBS's keyframe interval is, by OBS's output mode", () => {
    expect(describeKeyframes(8, "Advanced")?.text).toContain("Settings → Output → Streaming → Keyframe Interval 2 s");
    expect(describeKeyframes(8, "Simple")?.text).toContain("Output Mode “Advanced”");
    expect(describeKeyframes(2, "Simple")).toEqual({ text: "Keyframe every 2 s", warn: false });
  });
});

describe("in French", () => {
  const obs = { ...obsConnected(initialObsState(true), "29.0.2").view };
  it("says states, OBS and keyframes in French, with a decimal comma", () => {
    expect(stateLabel("retrying", "fr")).toBe("RELANCE");
    expect(describeState("retrying", 4, null, "fr")).toBe("Échec ; nouvel essai dans 4 s.");
    expect(describeState("holding", null, 12, "fr")).toContain("encore 12 s");
    const live = describeObs({ ...obs, streaming: true, outputState: "started", bitrateKbps: 2500, skippedFrames: 3, totalFrames: 300, congestion: 0.5 }, "fr");
    expect(live.text).toBe("OBS diffuse · 2,5 Mb/s · congestion 50 % · 3 images perdues sur 300 (1,0 %)");
    expect(describeKeyframes(8.5, "Simple", "fr")?.text).toMatch(/^Image clé toutes les 8,5 s : les plateformes demandent 2 s\. Dans OBS/);
  });
});

describe("destination warnings on the page", () => {
  const noKey = { warning: "No stream key: the platform would get an empty stream name.", warningCode: "no_stream_key" };

  it("says a warning it knows by its code in the page's language", () => {
    expect(warningText(noKey, "fr")).toMatch(/^Pas de clé de stream : /);
    expect(warningText(noKey, "en")).toMatch(/^No stream key: /);
  });

  it("shows the bridge's own words for a warning it does not know, and nothing without one", () => {
    expect(warningText({ warning: "Something new to fix", warningCode: "something_new" }, "fr")).toBe("Something new to fix");
    expect(warningText({ warning: "Something new to fix" }, "fr")).toBe("Something new to fix");
    expect(warningText({}, "fr")).toBe("");
  });
});

describe("platform badges", () => {
  it("read at 4.5:1 at least for every preset, Kick's light green with black text", async () => {
    const { badgeColors, contrast } = await import("../../page/describe.js");
    const { PLATFORM_PRESETS } = await import("../../contract/platforms.js");
    const rgb = (hex: string) => [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));
    for (const preset of PLATFORM_PRESETS) {
      const colors = badgeColors(preset.color);
      expect(contrast(rgb(colors.background), rgb(colors.text)), preset.id).toBeGreaterThanOrEqual(4.5);
    }
    expect(badgeColors("#53fc18")).toEqual({ background: "#53fc18", text: "#000000" });
  });
});
