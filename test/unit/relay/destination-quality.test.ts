import { describe, expect, it } from "vitest";
import { destinationSchema, type Destination } from "../../../bridge/config/schema.js";
import { destinationQuality, encodePlanFor } from "../../../bridge/relay/destination-quality.js";
import { destinationView } from "../../../bridge/relay/destination-view.js";
import type { EncoderView } from "../../../contract/api.js";

const destination = (extra: object = {}): Destination =>
  destinationSchema.parse({ id: "twitch", name: "Twitch", platform: "twitch", url: "rtmp://live.twitch.tv/app", key: "live_secret_key_123", ...extra });
const x264Only: EncoderView[] = [
  { family: "x264", codec: "libx264", works: true },
  { family: "nvenc", codec: "h264_nvenc", works: false, error: "Cannot load libcuda.so.1" },
];
const source1440 = { video: { width: 2560, height: 1440, fps: 60 }, bitrateKbps: 8_200 };

describe("a destination's quality as its view shows it", () => {
  it("a copy above its platform's limits: over_platform_limit with the figures", () => {
    const quality = destinationQuality(destination(), { source: source1440, encoders: x264Only, behind: false });
    expect(quality.encodeLabel).toBeUndefined();
    expect(quality.warning?.code).toBe("over_platform_limit");
    expect(quality.warning?.figures).toEqual([
      { what: "bitrate", sent: 8200, max: 6000 },
      { what: "height", sent: 1440, max: 1080 },
    ]);
    expect(quality.warning?.message).toBe(
      "Twitch takes at most 6000 kbit/s, 1080p, 60 fps: this sends 8200 kbit/s, 1440p. It may refuse or throttle it: give this destination its own quality (Edit → Quality), or Fit to Twitch",
    );
  });

  it("a landscape stream to a vertical platform is over its limits, said with the picture's size", () => {
    const instagram = destinationSchema.parse({ id: "ig", name: "Instagram", platform: "instagram", url: "rtmps://edgetee-upload.instagram.com:443/rtmp/", key: "IG-secret" });
    const quality = destinationQuality(instagram, { source: { video: { width: 1280, height: 720, fps: 30 }, bitrateKbps: 3000 }, encoders: x264Only, behind: false });
    expect(quality.warning?.code).toBe("over_platform_limit");
    expect(quality.warning?.figures).toEqual([{ what: "landscape", sent: 1280, max: 720 }]);
    expect(quality.warning?.message).toMatch(/vertical \(9:16\): this sends a landscape picture \(1280×720\)/);
    // Its own 9:16 cut fits.
    const cut = destinationSchema.parse({ ...instagram, encode: { video: { bitrateKbps: 3000 }, crop: "vertical" } });
    expect(destinationQuality(cut, { source: { video: { width: 1280, height: 720, fps: 30 }, bitrateKbps: 3000 }, encoders: x264Only, behind: false }).warning).toBeUndefined();
  });

  it("a re-encode above its platform's limits is told to change its quality, not to get one", () => {
    const quality = destinationQuality(destination({ encode: { video: { bitrateKbps: 9000 } } }), { source: source1440, encoders: x264Only, behind: false });
    expect(quality.warning?.message).toMatch(/change this destination's quality \(Edit → Quality\), or Fit to Twitch$/);
  });

  it("a re-encode that fits says what it sends and with which encoder, and warns of nothing", () => {
    const quality = destinationQuality(destination({ encode: { video: { bitrateKbps: 6000, maxHeight: 1080, encoder: "nvenc" } } }), { source: source1440, encoders: x264Only, behind: false });
    expect(quality.encodeLabel).toBe("1080p · 6M");
    expect(quality.encoder).toBe("libx264");
    expect(quality.encodeNote).toBe("nvenc does not work with this ffmpeg (Cannot load libcuda.so.1): using x264");
    expect(quality.warning).toBeUndefined();
  });

  it("a height asked above the source's is kept at the source's and said so", () => {
    const quality = destinationQuality(destination({ encode: { video: { bitrateKbps: 3000, maxHeight: 1080 } } }), { source: { video: { width: 1280, height: 720, fps: 30 }, bitrateKbps: 4000 }, encoders: x264Only, behind: false });
    expect(quality.encodeLabel).toBe("720p · 3M");
    expect(quality.encodeNote).toBe("1080p asked, the source is 720p: kept at 720p");
  });

  it("an encoder slower than real time: encoder_behind, with the advice", () => {
    const quality = destinationQuality(destination({ encode: { video: { bitrateKbps: 3000 } } }), { source: source1440, encoders: x264Only, behind: true });
    expect(quality.warning?.code).toBe("encoder_behind");
    expect(quality.warning?.message).toMatch(/lower this destination's height or frame rate, or use a hardware encoder/);
  });

  it("nothing known of the source yet: the label from the settings, no warning", () => {
    const quality = destinationQuality(destination({ encode: { video: { bitrateKbps: 4500, maxHeight: 720, fps: 60 } } }), { source: undefined, encoders: undefined, behind: false });
    expect(quality.encodeLabel).toBe("720p60 · 4.5M");
    expect(quality.warning).toBeUndefined();
  });

  it("the missing stream key comes before a quality warning; the view carries code and figures", () => {
    const view = destinationView(destination({ key: "" }), { relay: undefined, input: null, source: undefined, skips: 0, redact: (text) => text, quality: destinationQuality(destination(), { source: source1440, encoders: x264Only, behind: false }) });
    expect(view.warningCode).toBe("no_stream_key");
    const over = destinationView(destination(), { relay: undefined, input: null, source: undefined, skips: 0, redact: (text) => text, quality: destinationQuality(destination(), { source: source1440, encoders: x264Only, behind: false }) });
    expect(over.warningCode).toBe("over_platform_limit");
    expect(over.warningFigures).toHaveLength(2);
    expect(JSON.stringify(over)).not.toContain("live_secret_key_123");
  });

  it("plans a relay's re-encode with the encoder resolved and the source when known", () => {
    expect(encodePlanFor(destination(), source1440, x264Only)).toBeUndefined();
    expect(encodePlanFor(destination({ encode: "copy" }), source1440, x264Only)).toBeUndefined();
    const plan = encodePlanFor(destination({ encode: { video: { bitrateKbps: 3000, encoder: "auto" } } }), source1440, [...x264Only, { family: "qsv", codec: "h264_qsv", works: true }]);
    expect(plan).toMatchObject({ family: "qsv", source: { width: 2560, height: 1440, fps: 60 } });
    expect(encodePlanFor(destination({ encode: { video: { bitrateKbps: 3000 } } }), { bitrateKbps: 0 }, x264Only)?.source).toBeUndefined();
  });
});

describe("a destination's session time in its view", () => {
  const relay = (state: "live" | "holding" | "retrying", mediaSince: number | null) => ({
    context: { state, enabled: true, ingestLive: state === "live", failures: 0, restarts: 0, retryAt: null, holdUntil: state === "holding" ? 2_000_000 : null, lastError: null, since: 1_900_000, mediaSince, earlyDrops: 0 },
    bitrateKbps: 6000,
    fps: 30,
  });
  const parts = (snapshot: ReturnType<typeof relay>) => ({ relay: snapshot, input: null, source: undefined, skips: 0, redact: (text: string) => text });

  it("says when the platform's session began, held or live, beside the state's own start", () => {
    const live = destinationView(destination(), parts(relay("live", 1_000_000)));
    expect(live.since).toBe(new Date(1_900_000).toISOString());
    expect(live.sessionSince).toBe(new Date(1_000_000).toISOString());
    expect(destinationView(destination(), parts(relay("holding", 1_000_000))).sessionSince).toBe(new Date(1_000_000).toISOString());
  });

  it("has none when no session is up", () => {
    expect(destinationView(destination(), parts(relay("retrying", null))).sessionSince).toBeUndefined();
  });
});
