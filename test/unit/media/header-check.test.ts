// A truncated H.264 sequence header is told from a whole one, on literal bytes.

import { describe, expect, it } from "vitest";
import { avcHeaderProblem } from "../../../bridge/media/header-check.js";
import { fixtureTags } from "../../../rig/rtmp-publisher.js";

describe("avcHeaderProblem", () => {
  it("takes the whole header of a real stream, and other codecs as they are", async () => {
    const header = (await fixtureTags()).find((tag) => tag.kind === "videoHeader")!;
    expect(avcHeaderProblem(header.data)).toBeNull();
    expect(avcHeaderProblem(Buffer.from([0x1c, 0x00, 0x00]))).toBeNull(); // HEVC over legacy FLV: not looked into
    expect(avcHeaderProblem(Buffer.from([0x90, 0x68, 0x76, 0x63, 0x31]))).toBeNull(); // Enhanced RTMP
  });

  it("finds a header cut short anywhere: 6 bytes, inside the SPS, before or inside the PPS", async () => {
    const header = (await fixtureTags()).find((tag) => tag.kind === "videoHeader")!.data;
    expect(avcHeaderProblem(Buffer.from([0x17, 0x00, 0x00, 0x00, 0x00, 0x01]))).toMatch(/sequence header of 6 bytes is cut short/);
    for (const length of [12, 14, header.length - 5, header.length - 1]) {
      expect(avcHeaderProblem(header.subarray(0, length)), `cut at ${length}`).toMatch(/cut short/);
    }
  });
});

describe("the test rig's made-up sequence headers", () => {
  it("are whole and say the size they were made for, absurd ones too", async () => {
    const { readAvcHeader } = await import("../../../bridge/media/stream-format.js");
    const { avcSequenceHeader } = await import("../../../rig/rtmp-publisher.js");
    for (const [width, height] of [[320, 240], [1440, 816], [16_777_216, 720]] as const) {
      const header = avcSequenceHeader(width, height);
      expect(avcHeaderProblem(header)).toBeNull();
      expect(readAvcHeader(header)).toMatchObject({ width, height, profile: 66, level: 30 });
    }
  });
});
