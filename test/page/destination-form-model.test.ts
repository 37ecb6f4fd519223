import { describe, expect, it } from "vitest";
import { applyPreset, blankValues, fieldOfError, formProblems, messageForField, savesWithoutKey, toCreateInput, toEncode, toPatch, transportApplies, valuesFromView } from "../../page/destination-form-model.js";
import { fitToPlatform } from "../../page/fit-quality.js";
import { warningText } from "../../page/describe.js";
import { destinationView } from "../../rig/status-views.js";

describe("presets in the form", () => {
  it("fills name, server URL and transport from the preset", () => {
    expect(blankValues("twitch")).toMatchObject({ platform: "twitch", name: "Twitch", url: "rtmp://live.twitch.tv/app", transport: "direct" });
  });
  it("replaces values that came from the previous preset", () => {
    const next = applyPreset(blankValues("twitch"), "youtube");
    expect(next).toMatchObject({ name: "YouTube", url: "rtmp://a.rtmp.youtube.com/live2", transport: "direct" });
  });
  it("keeps what the person typed", () => {
    const typed = { ...blankValues("twitch"), name: "Main channel", url: "rtmp://my.server/app" };
    expect(applyPreset(typed, "youtube")).toMatchObject({ platform: "youtube", name: "Main channel", url: "rtmp://my.server/app" });
  });
  it("leaves the name empty for a custom server", () => {
    expect(blankValues("custom")).toMatchObject({ name: "", url: "" });
  });
});

describe("bodies sent to the bridge", () => {
  it("trims, and sends a key only when one was typed", () => {
    const values = { ...blankValues("youtube"), name: " YouTube ", key: " abc-123 " };
    expect(toCreateInput(values)).toEqual({ name: "YouTube", url: "rtmp://a.rtmp.youtube.com/live2", transport: "direct", platform: "youtube", key: "abc-123", priority: 5 });
    expect(toCreateInput({ ...values, key: "" })).not.toHaveProperty("key");
  });
  it("keeps the stored key on edit unless a new one is typed or it is cleared", () => {
    const values = valuesFromView(destinationView({ id: "yt", name: "YouTube", platform: "youtube", hasKey: true }));
    expect(values.key).toBe("");
    expect(toPatch(values)).not.toHaveProperty("key");
    expect(toPatch({ ...values, key: "new" }).key).toBe("new");
    expect(toPatch({ ...values, clearKey: true }).key).toBe("");
  });
});

describe("fieldOfError", () => {
  it("finds the input an error names", () => {
    expect(fieldOfError("url")).toBe("url");
    expect(fieldOfError("destinations.2.url")).toBe("url");
    expect(fieldOfError("key")).toBe("key");
    expect(fieldOfError("id")).toBe("name");
  });
  it("sends anything else to the form as a whole", () => {
    expect(fieldOfError(undefined)).toBeNull();
    expect(fieldOfError("source")).toBeNull();
  });
});

describe("messageForField", () => {
  it("drops the field name the bridge puts in front, since the message sits by the field", () => {
    expect(messageForField("url: must start with rtmp:// or rtmps:// (got http://)", "url")).toBe("Must start with rtmp:// or rtmps:// (got http://)");
    expect(messageForField("Something else", "url")).toBe("Something else");
    expect(messageForField("url: x", undefined)).toBe("url: x");
  });
});

describe("the quality section", () => {
  it("sends copy by default, and a re-encode with only the fields chosen", () => {
    const values = blankValues("twitch");
    expect(values.quality).toBe("copy");
    expect(toCreateInput(values)).not.toHaveProperty("encode");
    expect(toPatch(values).encode).toBe("copy");
    const own = { ...values, quality: "own" as const, videoKbps: "4500", maxHeight: "720", fps: "60", encoder: "nvenc" as const, crop: "none" as const };
    expect(toEncode(own)).toEqual({ video: { bitrateKbps: 4500, maxHeight: 720, fps: 60, encoder: "nvenc" }, audio: { bitrateKbps: 160 }, crop: "none" });
    expect(toEncode({ ...own, maxHeight: "", fps: "" })).toEqual({ video: { bitrateKbps: 4500, encoder: "nvenc" }, audio: { bitrateKbps: 160 }, crop: "none" });
    // Text that is not a number goes as typed: the bridge's answer names the field.
    expect(toEncode({ ...own, videoKbps: "fast" })).toMatchObject({ video: { bitrateKbps: "fast" } });
  });

  it("shows a destination's re-encode, and the bridge's errors beside the field they name", () => {
    const view = { ...destinationView({ id: "tw", name: "Twitch", platform: "twitch" }), encode: { video: { bitrateKbps: 3000, maxHeight: 720, encoder: "auto" as const }, audio: { bitrateKbps: 128 }, crop: "vertical" as const } };
    expect(valuesFromView(view)).toMatchObject({ quality: "own", videoKbps: "3000", maxHeight: "720", fps: "", encoder: "auto", audioKbps: "128", crop: "vertical" });
    expect(fieldOfError("encode.video.bitrateKbps")).toBe("videoKbps");
    expect(fieldOfError("encode.audio.bitrateKbps")).toBe("audioKbps");
    expect(fieldOfError("encode.video.encoder")).toBe("encoder");
    expect(fieldOfError("encode")).toBe("quality");
  });
});

describe("Fit to the platform, and its warning", () => {
  const ingest = { live: true, name: "obs", since: null, bitrateKbps: 8200, video: { codec: "h264", width: 2560, height: 1440, fps: 60 } };
  const over = {
    ...destinationView({ id: "tw", name: "Twitch", platform: "twitch" }),
    warning: "Twitch takes at most …",
    warningCode: "over_platform_limit",
    warningFigures: [
      { what: "bitrate" as const, sent: 8200, max: 6000 },
      { what: "height" as const, sent: 1440, max: 1080 },
    ],
  };

  it("fits the encode to the platform's limits from the stream it reads", () => {
    expect(fitToPlatform(over, ingest)).toEqual({ platform: "Twitch", patch: { encode: { video: { bitrateKbps: 6000, maxHeight: 1080, encoder: "auto" }, audio: { bitrateKbps: 160 }, crop: "none" } } });
    expect(fitToPlatform({ ...over, warningCode: undefined }, ingest)).toBeNull();
    expect(fitToPlatform(over, { ...ingest, live: false })).toBeNull();
  });

  it("says the figures in the page's language", () => {
    expect(warningText(over, "en")).toBe(
      "Twitch takes at most 6000 kbit/s, 1080p, 60 fps: this sends 8200 kbit/s, 1440p. It may refuse or throttle it: give this destination its own quality (Edit → Quality), or Fit to Twitch",
    );
    expect(warningText(over, "fr")).toContain("Twitch prend au plus 6\u202f000 kbit/s, 1080p, 60 i/s : cette destination envoie 8\u202f200 kbit/s, 1440p");
    expect(warningText({ ...over, warningCode: "encoder_behind" }, "fr")).toMatch(/^L'encodeur va moins vite/);
  });
});

describe("the form's own checks", () => {
  it("finds every problem at once: the name, the server URL, numbers out of range", () => {
    const values = { ...blankValues("custom"), name: " ", url: "http://example.com/live", quality: "own" as const, videoKbps: "5", audioKbps: "9999" };
    expect(formProblems(values).map((problem) => problem.field)).toEqual(["name", "url", "videoKbps", "audioKbps"]);
    expect(formProblems({ ...blankValues("twitch") })).toEqual([]);
    expect(formProblems({ ...blankValues("custom"), name: "Mine", url: "rtmps://host:443/app" })).toEqual([]);
  });

  it("offers the transport for rtmps:// servers only", () => {
    expect(transportApplies("rtmps://live-api-s.facebook.com:443/rtmp/")).toBe(true);
    expect(transportApplies("rtmp://live.twitch.tv/app")).toBe(false);
  });

  it("says a destination would be saved without a key: none typed, none kept, none in the URL", () => {
    expect(savesWithoutKey(blankValues("twitch"), false)).toBe(true);
    expect(savesWithoutKey({ ...blankValues("twitch"), key: "live_1" }, false)).toBe(false);
    expect(savesWithoutKey({ ...blankValues("custom"), url: "rtmp://my.server/app/streamkey" }, false)).toBe(false);
    expect(savesWithoutKey(blankValues("twitch"), true)).toBe(false);
    expect(savesWithoutKey({ ...blankValues("twitch"), clearKey: true }, true)).toBe(true);
  });
});

describe("the warning of a destination that has its own quality", () => {
  it("tells it to change its quality, not to get one", () => {
    const own = {
      ...destinationView({ id: "tw", name: "Twitch", platform: "twitch" }),
      warning: "…",
      warningCode: "over_platform_limit",
      warningFigures: [{ what: "bitrate" as const, sent: 9000, max: 6000 }],
      encode: { video: { bitrateKbps: 9000, encoder: "auto" as const }, audio: { bitrateKbps: 160 }, crop: "none" as const },
    };
    expect(warningText(own, "en")).toMatch(/: change this destination's quality \(Edit → Quality\), or Fit to Twitch$/);
    expect(warningText(own, "fr")).toMatch(/changez sa qualité/);
    const landscape = { ...destinationView({ id: "ig", name: "Instagram", platform: "instagram" }), warning: "…", warningCode: "over_platform_limit", warningFigures: [{ what: "landscape" as const, sent: 1280, max: 720 }] };
    expect(warningText(landscape, "en")).toBe(
      "Instagram takes at most 6000 kbit/s, 1280p, 60 fps, vertical (9:16): this sends a landscape picture (1280×720). It may refuse or throttle it: give this destination its own quality (Edit → Quality), or Fit to Instagram",
    );
  });
});
