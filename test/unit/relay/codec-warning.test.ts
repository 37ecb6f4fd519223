import { describe, expect, it } from "vitest";
import { destinationSchema, type Destination } from "../../../bridge/config/schema.js";
import { destinationQuality } from "../../../bridge/relay/destination-quality.js";
import { destinationView } from "../../../bridge/relay/destination-view.js";
import { fitToPlatform } from "../../../page/fit-quality.js";
import { warningText } from "../../../page/describe.js";
import { renderDestinationKey } from "../../../presentation/key-image.js";
import { readsEnhancedRtmp, parseFfmpegVersion } from "../../../bridge/ffmpeg/version.js";
import type { IngestView } from "../../../contract/api.js";

const make = (platform: string, extra: object = {}): Destination =>
  destinationSchema.parse({ id: platform, name: platform, platform, url: "rtmp://example.invalid/app", key: "secret_key_123", ...extra });
const hevc = { video: { width: 1280, height: 720, fps: 30 }, codec: "hevc", bitrateKbps: 3_000 };
const facts = (readsEnhancedRtmp: boolean | undefined, source = hevc) => ({ source, encoders: undefined, behind: false, readsEnhancedRtmp });
const ingest: IngestView = { live: true, name: "obs", since: null, bitrateKbps: 3_000, video: { codec: "hevc", width: 1280, height: 720, fps: 30 } };

describe("a codec the platform or this ffmpeg cannot take", () => {
  it("codec_not_accepted when a copy sends HEVC to an H.264-only platform; none for YouTube, a re-encode, H.264, or an unknown platform", () => {
    const twitch = destinationQuality(make("twitch"), facts(true));
    expect(twitch.warning).toMatchObject({ code: "codec_not_accepted", codec: "hevc" });
    expect(twitch.warning?.message).toMatch(/^Twitch does not take HEVC \(it takes H\.264\): re-encode this destination to H\.264/);
    expect(destinationQuality(make("youtube"), facts(true)).warning).toBeUndefined();
    expect(destinationQuality(make("twitch", { encode: { video: { bitrateKbps: 2500 } } }), facts(true)).warning).toBeUndefined();
    expect(destinationQuality(make("twitch"), facts(true, { ...hevc, codec: "h264" })).warning).toBeUndefined();
    expect(destinationQuality(make("custom"), facts(true)).warning).toBeUndefined();
  });

  it("codec_unreadable on every destination when this ffmpeg is older than 6.1, re-encoded or not", () => {
    for (const destination of [make("youtube"), make("twitch", { encode: { video: { bitrateKbps: 2500 } } })]) {
      const quality = destinationQuality(destination, facts(false, { ...hevc, codec: "av1" }));
      expect(quality.warning).toMatchObject({ code: "codec_unreadable", codec: "av1" });
      expect(quality.warning?.message).toMatch(/ffmpeg 6\.1 or newer; Debian 12 ships 5\.1/);
    }
    expect(destinationQuality(make("youtube"), facts(undefined)).warning).toBeUndefined();
  });

  it("knows which ffmpeg reads Enhanced RTMP: 6.1 and newer, or libavformat 60.16 for a git build", () => {
    const version = (text: string) => readsEnhancedRtmp(parseFfmpegVersion(text));
    expect(version("ffmpeg version 5.1.6-0+deb12u1 Copyright")).toBe(false);
    expect(version("ffmpeg version 6.0 Copyright")).toBe(false);
    expect(version("ffmpeg version 6.1.1-3ubuntu5 Copyright")).toBe(true);
    expect(version("ffmpeg version 7.1.5-0+deb13u1 Copyright")).toBe(true);
    expect(version("ffmpeg version N-113000-gabc\nlibavformat    60. 16.100 / 60. 16.100")).toBe(true);
    expect(version("ffmpeg version N-110000-gabc\nlibavformat    60.  3.100 / 60.  3.100")).toBe(false);
    expect(readsEnhancedRtmp(null)).toBeUndefined();
  });

  it("the page says it in the streamer's language and offers a re-encode to H.264; the key says it", () => {
    const view = destinationView(make("twitch"), { relay: undefined, input: "obs", source: undefined, skips: 0, redact: (text) => text, quality: destinationQuality(make("twitch"), facts(true)) });
    expect(view).toMatchObject({ warningCode: "codec_not_accepted", warningCodec: "hevc" });
    expect(warningText(view, "en")).toBe("Twitch does not take HEVC: re-encode this destination to H.264, or set OBS's encoder to H.264");
    expect(warningText(view, "fr")).toMatch(/^Twitch ne prend pas le HEVC/);
    const fix = fitToPlatform(view, ingest);
    expect(fix).toMatchObject({ platform: "Twitch", reencode: true });
    const encode = fix!.patch.encode;
    if (encode === "copy") throw new Error("a platform that does not take the codec needs a re-encode, not a copy");
    expect(encode.video.bitrateKbps).toBeLessThanOrEqual(6000);
    const key = renderDestinationKey(view, { reachable: true, now: Date.now(), lang: "en" });
    expect(key).toContain("HEVC");
    expect(key).toContain("not taken");
  });
});
