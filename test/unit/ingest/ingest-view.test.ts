import { describe, expect, it } from "vitest";
import { ingestView } from "../../../bridge/ingest/ingest-view.js";
import type { StreamFormat } from "../../../bridge/media/stream-format.js";

// nginx-rtmp 1.2.2's stat page for ffmpeg 7.1's HEVC at 320×180: the codec read from the wrong bits.
const misread = { name: "obs", clientId: "7", since: Date.parse("2026-01-01T10:00:00Z"), bitrateKbps: 310, video: { codec: "Jpeg", width: 320, height: 180, fps: 25 }, audio: { codec: "AAC" } };

describe("the ingest's view", () => {
  it("names the video codec the data plane read from the headers, not nginx's misreading", () => {
    const formats: Record<string, StreamFormat> = { obs: { video: { codec: "hevc", width: 320, height: 180, fps: 30 } } };
    const view = ingestView({ streams: [misread], label: (name) => name, keyframeMs: () => 1000, format: (name) => formats[name] });
    expect(view.video).toEqual({ codec: "hevc", width: 320, height: 180, fps: 25 });
    expect(view.streams?.[0]?.video?.codec).toBe("hevc");
    expect(view.audio).toEqual({ codec: "AAC" });
  });

  it("keeps nginx's figures while the headers are not read, and has no video for audio alone", () => {
    expect(ingestView({ streams: [misread], label: (name) => name, keyframeMs: () => undefined, format: () => undefined }).video?.codec).toBe("Jpeg");
    const radio = { ...misread, video: undefined };
    expect(ingestView({ streams: [radio], label: (name) => name, keyframeMs: () => undefined, format: () => ({ audio: { codec: "aac", sampleRate: 48000, channels: 2 } }) }).video).toBeUndefined();
  });
});
