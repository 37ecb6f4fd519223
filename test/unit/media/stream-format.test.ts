import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FlvReader } from "../../../bridge/media/flv.js";
import { GopCache } from "../../../bridge/media/gop-cache.js";
import { formatKey, readAacHeader, readAvcHeader, readStreamFormat } from "../../../bridge/media/stream-format.js";

const fixture = readFileSync(new URL("../../fixtures/two-gops.flv", import.meta.url));
// The AVC sequence header x264 wrote for a 1920×1080 High profile picture (1088 coded rows, cropped).
const HD_AVC_HEADER = Buffer.from("170000000001640028ffe1001b67640028acd940780227e5c044000003000400000300f03c60c65801000668ebe3cb22c0fdf8f800", "hex");

describe("stream format", () => {
  it("reads size, frame rate, profile and audio from a stream's headers", () => {
    const cache = new GopCache();
    for (const tag of new FlvReader().push(fixture)) cache.push(tag);
    const format = readStreamFormat(cache.headers);
    expect(format).toEqual({
      video: { codec: "h264", width: 96, height: 64, fps: 10, profile: 77, level: 10 },
      audio: { codec: "aac", sampleRate: 22050, channels: 1 },
    });
    expect(formatKey(format)).toBe("h264 96x64@10p77l10 22050/1");
  });

  it("crops the coded picture as the SPS says (1088 coded rows → 1080)", () => {
    expect(readAvcHeader(HD_AVC_HEADER)).toEqual({ profile: 100, level: 40, width: 1920, height: 1080 });
  });

  it("reads AAC's sample rate and channels", () => {
    expect(readAacHeader(Buffer.from([0xaf, 0x00, 0x11, 0x90]))).toEqual({ codec: "aac", sampleRate: 48000, channels: 2 });
    expect(readAacHeader(Buffer.from([0xaf, 0x01, 0x11, 0x90]))).toBeNull();
  });

  it("falls back on metadata alone, and says nothing of what it does not know", () => {
    expect(readStreamFormat({})).toEqual({});
    expect(readAvcHeader(Buffer.from([0x17, 0x00, 0, 0, 0]))).toBeNull();
  });
});
