import { describe, expect, it } from "vitest";
import { streamKeyWarning, urlCarriesKey } from "../../../bridge/config/stream-key-warning.js";

describe("a destination without a stream key", () => {
  it("is warned about, in words that say what to do", () => {
    expect(streamKeyWarning("rtmps://live-api-s.facebook.com:443/rtmp/", "")).toEqual({ code: "no_stream_key", message: expect.stringMatching(/^No stream key: .*Paste the stream key/) });
    expect(streamKeyWarning("rtmp://a.rtmp.youtube.com/live2", "")).not.toBeNull();
  });
  it("is fine where the URL carries its own key, and with a key", () => {
    expect(urlCarriesKey("rtmp://host/app/streamkey")).toBe(true);
    expect(urlCarriesKey("rtmp://host/app?key=1")).toBe(true);
    expect(urlCarriesKey("rtmp://host/app/")).toBe(false);
    expect(streamKeyWarning("rtmp://host/app/streamkey", "")).toBeNull();
    expect(streamKeyWarning("rtmp://a.rtmp.youtube.com/live2", "k")).toBeNull();
  });
});
