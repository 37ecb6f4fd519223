import { describe, expect, it } from "vitest";
import { decodeAmf0, encodeAmf0 } from "../../../bridge/media/rtmp/amf0.js";
import { ChunkReader, MessageType, controlMessage, userControlMessage, writeChunks, type RtmpMessage } from "../../../bridge/media/rtmp/chunk-stream.js";
import { readMediaTag } from "../../../bridge/media/rtmp/media-tag.js";

describe("AMF0", () => {
  it("round-trips the values RTMP commands carry", () => {
    const values = ["connect", 1, { app: "live", fpad: false, capabilities: 15, nested: { a: null } }, null, undefined, [1, "two"], true];
    expect(decodeAmf0(encodeAmf0(values))).toEqual(values);
  });
  it("reads an onStatus as nginx-rtmp sends it (literal bytes)", () => {
    const bytes = Buffer.concat([
      Buffer.from([0x02, 0x00, 0x08]), Buffer.from("onStatus"),
      Buffer.from([0x00, 0, 0, 0, 0, 0, 0, 0, 0]),
      Buffer.from([0x05]),
      Buffer.from([0x03, 0x00, 0x04]), Buffer.from("code"), Buffer.from([0x02, 0x00, 0x14]), Buffer.from("NetStream.Play.Start"),
      Buffer.from([0x00, 0x00, 0x09]),
    ]);
    expect(decodeAmf0(bytes)).toEqual(["onStatus", 0, null, { code: "NetStream.Play.Start" }]);
  });
  it("reads an ECMA array (onMetaData) and a date", () => {
    const ecma = Buffer.concat([Buffer.from([0x08, 0, 0, 0, 1, 0x00, 0x05]), Buffer.from("width"), encodeAmf0([1280]), Buffer.from([0, 0, 9])]);
    expect(decodeAmf0(ecma)).toEqual([{ width: 1280 }]);
    const date = new Date(1_700_000_000_000);
    expect(decodeAmf0(encodeAmf0([date]))).toEqual([date]);
  });
  it("refuses truncated input instead of inventing values", () => {
    expect(() => decodeAmf0(encodeAmf0(["connect"]).subarray(0, 5))).toThrow(/truncated/);
  });
});

const message = (overrides: Partial<RtmpMessage> = {}): RtmpMessage => ({
  chunkStreamId: 6,
  typeId: MessageType.video,
  streamId: 1,
  timestamp: 1234,
  payload: Buffer.alloc(300, 7),
  ...overrides,
});

describe("chunk stream", () => {
  it("reassembles a message cut into 128-byte chunks, however the bytes arrive", () => {
    const original = message();
    const bytes = writeChunks(original, 128);
    for (const step of [1, 7, 128, bytes.length]) {
      const reader = new ChunkReader();
      const got: RtmpMessage[] = [];
      for (let i = 0; i < bytes.length; i += step) got.push(...reader.push(bytes.subarray(i, i + step)));
      expect(got).toEqual([original]);
      expect(reader.bytesRead).toBe(bytes.length);
    }
  });
  it("follows the peer's Set Chunk Size", () => {
    const reader = new ChunkReader();
    const big = message({ payload: Buffer.alloc(5000, 1) });
    const got = reader.push(Buffer.concat([writeChunks(controlMessage(MessageType.setChunkSize, 4096), 128), writeChunks(big, 4096)]));
    expect(reader.chunkSize).toBe(4096);
    expect(got.at(-1)).toEqual(big);
  });
  it("applies type 1, 2 and 3 headers as deltas on the chunk stream's state", () => {
    // fmt 0 at t=1000 (len 2, video), fmt 1 delta 33 (len 1, audio), fmt 2 delta 40, fmt 3 repeats the delta.
    const bytes = Buffer.from([
      0x06, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x02, 0x09, 0x01, 0x00, 0x00, 0x00, 0x17, 0x01,
      0x46, 0x00, 0x00, 0x21, 0x00, 0x00, 0x01, 0x08, 0xaf,
      0x86, 0x00, 0x00, 0x28, 0xaf,
      0xc6, 0xaf,
    ]);
    const got = new ChunkReader().push(bytes);
    expect(got.map((one) => [one.typeId, one.timestamp, one.streamId, one.payload.length])).toEqual([
      [9, 1000, 1, 2],
      [8, 1033, 1, 1],
      [8, 1073, 1, 1],
      [8, 1113, 1, 1],
    ]);
  });
  it("reads extended timestamps", () => {
    const late = message({ timestamp: 0x1234567, payload: Buffer.alloc(200, 2) });
    expect(new ChunkReader().push(writeChunks(late, 128))).toEqual([late]);
  });
  it("encodes control and user control messages on chunk stream 2", () => {
    const ping = userControlMessage(7, 99);
    expect(ping.payload).toEqual(Buffer.from([0, 7, 0, 0, 0, 99]));
    expect(writeChunks(ping, 128)[0]).toBe(0x02);
  });
});

describe("media tags", () => {
  it("tells keyframes, inter frames and AVC/AAC configuration records apart", () => {
    expect(readMediaTag(9, Buffer.from([0x17, 0x00]))).toEqual({ kind: "video", keyframe: false, sequenceHeader: true });
    expect(readMediaTag(9, Buffer.from([0x17, 0x01]))).toEqual({ kind: "video", keyframe: true, sequenceHeader: false });
    expect(readMediaTag(9, Buffer.from([0x27, 0x01]))).toEqual({ kind: "video", keyframe: false, sequenceHeader: false });
    expect(readMediaTag(8, Buffer.from([0xaf, 0x00]))).toEqual({ kind: "audio", keyframe: false, sequenceHeader: true });
    expect(readMediaTag(8, Buffer.from([0xaf, 0x01]))).toEqual({ kind: "audio", keyframe: false, sequenceHeader: false });
    expect(readMediaTag(18, Buffer.from([0x02]))).toBeNull();
    expect(readMediaTag(9, Buffer.alloc(0))).toBeNull();
  });
});
