import { describe, expect, it } from "vitest";
import { applyPreset, blankValues, fieldOfError, messageForField, toCreateInput, toPatch, valuesFromView } from "../../bridge/http/page/destination-form-model.js";
import { destinationView } from "./memory-bridge-api.js";

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
    expect(toCreateInput(values)).toEqual({ name: "YouTube", url: "rtmp://a.rtmp.youtube.com/live2", transport: "direct", platform: "youtube", key: "abc-123" });
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
