import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { classifyTag, encodeTag, FLV_HEADER, FlvReader, makeTag, TagType } from "../../../bridge/media/flv.js";

const fixture = readFileSync(new URL("../../fixtures/two-gops.flv", import.meta.url));

describe("FLV tags", () => {
  it("reads ffmpeg's FLV: metadata, codec headers, then media from a keyframe", () => {
    const tags = new FlvReader().push(fixture);
    expect(tags.slice(0, 3).map((tag) => tag.kind)).toEqual(["metadata", "videoHeader", "audioHeader"]);
    // The encoder's audio starts a frame before its first picture.
    expect(tags.slice(3, 5).map((tag) => `${tag.kind}@${tag.timestamp}`)).toEqual(["audio@0", "keyframe@46"]);
    const keyframes = tags.filter((tag) => tag.kind === "keyframe").map((tag) => tag.timestamp);
    expect(keyframes).toEqual([46, 1046]);
    expect(tags.filter((tag) => tag.kind === "video")).toHaveLength(18);
    expect(tags.filter((tag) => tag.kind === "audio").length).toBeGreaterThan(40);
  });

  it("reads the same tags whatever the chunks the bytes arrive in", () => {
    const whole = new FlvReader().push(fixture);
    const reader = new FlvReader();
    const pieces = [];
    for (let offset = 0; offset < fixture.length; offset += 777) pieces.push(...reader.push(fixture.subarray(offset, offset + 777)));
    expect(pieces.map((tag) => [tag.type, tag.timestamp, tag.data.length])).toEqual(whole.map((tag) => [tag.type, tag.timestamp, tag.data.length]));
  });

  it("refuses bytes that are not FLV", () => {
    expect(() => new FlvReader().push(Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))).toThrow(/not an FLV stream/);
  });

  it("writes a tag back byte for byte, with 32-bit timestamps", () => {
    const [first] = new FlvReader().push(fixture).filter((tag) => tag.kind === "keyframe");
    const bytes = encodeTag(first!, 0x12345678);
    const [again] = new FlvReader().push(Buffer.concat([FLV_HEADER, bytes]));
    expect(again!.timestamp).toBe(0x12345678);
    expect(again!.data.equals(first!.data)).toBe(true);
    expect(bytes.readUInt32BE(bytes.length - 4)).toBe(first!.data.length + 11);
  });

  it("classifies legacy and Enhanced RTMP video, AAC and other audio", () => {
    expect(classifyTag(TagType.video, Buffer.from([0x17, 0x00]))).toBe("videoHeader");
    expect(classifyTag(TagType.video, Buffer.from([0x17, 0x01]))).toBe("keyframe");
    expect(classifyTag(TagType.video, Buffer.from([0x27, 0x01]))).toBe("video");
    expect(classifyTag(TagType.video, Buffer.from([0x17, 0x02]))).toBe("other"); // end of sequence
    expect(classifyTag(TagType.video, Buffer.from([0x57, 0x00]))).toBe("other"); // video info frame
    // Enhanced RTMP (HEVC 'hvc1'): bit 7 set, frame type in bits 4-6, packet type in bits 0-3.
    expect(classifyTag(TagType.video, Buffer.from([0x90, 0x68, 0x76, 0x63, 0x31]))).toBe("videoHeader");
    expect(classifyTag(TagType.video, Buffer.from([0x91, 0x68, 0x76, 0x63, 0x31]))).toBe("keyframe");
    expect(classifyTag(TagType.video, Buffer.from([0xa3, 0x68, 0x76, 0x63, 0x31]))).toBe("video");
    expect(classifyTag(TagType.audio, Buffer.from([0xaf, 0x00, 0x12, 0x10]))).toBe("audioHeader");
    expect(classifyTag(TagType.audio, Buffer.from([0xaf, 0x01, 0x21]))).toBe("audio");
    expect(classifyTag(TagType.audio, Buffer.from([0x2f, 0xff]))).toBe("audio"); // MP3
    expect(classifyTag(TagType.video, Buffer.alloc(0))).toBe("other");
    expect(makeTag(TagType.script, 0, Buffer.from("\x02\x00\x0aonMetaData", "latin1")).kind).toBe("metadata");
  });
});
