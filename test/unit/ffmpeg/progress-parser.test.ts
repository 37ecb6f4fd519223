import { describe, expect, it } from "vitest";
import { bitrateBetween, isErrorLine, ProgressParser, showsMedia } from "../../../bridge/ffmpeg/progress-parser.js";

// Captured from `ffmpeg -progress pipe:1 -stats_period 0.5 … -c copy -f flv rtmp://…` (ffmpeg 5.1).
const CAPTURED = `frame=1
fps=0.00
stream_0_0_q=-1.0
bitrate=4464.0kbits/s
total_size=558
out_time_us=1000
out_time_ms=1000
out_time=00:00:00.001000
dup_frames=0
drop_frames=0
speed=N/A
progress=continue
frame=36
fps=0.00
stream_0_0_q=-1.0
bitrate=2574.4kbits/s
total_size=391303
out_time_us=1216000
out_time_ms=1216000
out_time=00:00:01.216000
dup_frames=0
drop_frames=0
speed=2.37x
progress=continue
frame=89
fps=39.00
total_size=951303
out_time_us=2940000
speed=1.3x
progress=end`;

describe("ProgressParser", () => {
  const blocks = (() => {
    const parser = new ProgressParser();
    return CAPTURED.split("\n").map((line) => parser.push(line)).filter((block) => block !== null);
  })();

  it("returns one block per progress= line with its numbers", () => {
    expect(blocks).toHaveLength(3);
    expect(blocks[1]).toEqual({ frame: 36, fps: 0, totalSize: 391303, outTimeUs: 1216000, speed: 2.37, end: false });
    expect(blocks[2]!.end).toBe(true);
    expect(blocks[0]!.speed).toBe(0);
  });

  it("ignores log lines mixed in", () => {
    const parser = new ProgressParser();
    expect(parser.push("[flv @ 0x55] Failed to update header with correct duration.")).toBeNull();
    expect(parser.push("Press [q] to stop, [?] for help")).toBeNull();
    parser.push("frame=3");
    expect(parser.push("progress=continue")?.frame).toBe(3);
  });

  it("sees media once a video frame, or more than the header, was written", () => {
    expect(showsMedia(blocks[0]!)).toBe(true);
    expect(showsMedia({ frame: 0, fps: 0, totalSize: 13, outTimeUs: 0, speed: 0, end: false })).toBe(false);
    // Audio handed to the muxer but held back for the first keyframe: nothing reached the platform yet.
    expect(showsMedia({ frame: 0, fps: 0, totalSize: 537, outTimeUs: 640_000, speed: 0, end: false })).toBe(false);
    // Audio-only ingest: the bytes grow.
    expect(showsMedia({ frame: 0, fps: 0, totalSize: 48_000, outTimeUs: 2_000_000, speed: 0, end: false })).toBe(true);
  });

  it("measures the bitrate between blocks in media time", () => {
    // (951303 - 391303) bytes over 1.724 s of media ≈ 2599 kbit/s
    expect(bitrateBetween(blocks[1]!, blocks[2]!)).toBe(2599);
    expect(bitrateBetween(null, blocks[1]!)).toBe(2574);
    expect(bitrateBetween(blocks[2]!, blocks[2]!)).toBe(0);
  });
});

describe("isErrorLine", () => {
  it("keeps what explains a failure", () => {
    for (const line of [
      "rtmp://host/app/•••: Connection refused",
      "[rtmp @ 0x1] Server error: Authentication failed",
      "[tls @ 0x2] error:0A000086:SSL routines::certificate verify failed",
      "Error writing trailer of rtmp://x/app/•••: Broken pipe",
      "[tcp @ 0x3] Connection to tcp://h:1935 failed: Connection timed out",
    ]) expect(isErrorLine(line)).toBe(true);
  });
  it("skips progress and chatter", () => {
    expect(isErrorLine("total_size=100")).toBe(false);
    expect(isErrorLine("Press [q] to stop, [?] for help")).toBe(false);
  });
});

describe("pickErrorLine", () => {
  it("prefers the certificate reason over the connection error that follows it", async () => {
    const { pickErrorLine } = await import("../../../bridge/ffmpeg/progress-parser.js");
    expect(
      pickErrorLine([
        "[tls @ 0x1] Peer certificate failed verification",
        "[rtmps @ 0x2] Cannot open connection tls://localhost:12443",
        "rtmps://localhost:12443/app/•••: Input/output error",
      ]),
    ).toBe("[tls @ 0x1] Peer certificate failed verification");
    expect(pickErrorLine(["Press [q] to stop", "rtmp://h/app/•••: Connection refused"])).toBe("rtmp://h/app/•••: Connection refused");
    expect(pickErrorLine(["nothing to see"])).toBeNull();
  });
});
