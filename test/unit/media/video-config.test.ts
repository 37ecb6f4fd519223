import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FlvReader, type FlvTag } from "../../../bridge/media/flv.js";
import { GopCache } from "../../../bridge/media/gop-cache.js";
import { formatKey, readStreamFormat } from "../../../bridge/media/stream-format.js";
import { readAv1SequenceHeader, readVideoConfig, readVideoTagHead } from "../../../bridge/media/video-config.js";

// What ffmpeg 7.1 wrote (Debian 13): one second of a 320×180 test picture at 25 fps with AAC, cut after
// the first keyframe and the frame after it; and the header of x265 at 426×240 (coded 432 wide, cropped).
const tags = (name: string): FlvTag[] => new FlvReader().push(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)));

describe("Enhanced RTMP video", () => {
  it("names the codec and packet type of each tag, FourCC or legacy id", () => {
    const [, header, , colour, keyframe, frame] = tags("hevc-320x180.flv");
    expect(readVideoTagHead(header!.data)).toEqual({ codec: "hevc", sent: "hvc1", enhanced: true, packetType: 0 });
    expect(readVideoTagHead(colour!.data)).toMatchObject({ codec: "hevc", packetType: 4 });
    expect(readVideoTagHead(keyframe!.data)).toMatchObject({ codec: "hevc", packetType: 1 });
    expect(readVideoTagHead(frame!.data)).toMatchObject({ codec: "hevc", packetType: 1 });
    expect(readVideoTagHead(Buffer.from([0x17, 0x00]))).toEqual({ codec: "h264", sent: "id 7", enhanced: false, packetType: 0 });
    expect(readVideoTagHead(Buffer.from([0x1c, 0x01]))).toMatchObject({ codec: "hevc", packetType: 1 });
    expect(readVideoTagHead(Buffer.from([0x22, 0x00]))).toMatchObject({ codec: null, sent: "id 2" });
    expect(readVideoTagHead(Buffer.from("9676703039", "hex"))).toMatchObject({ codec: null, packetType: 6, sent: "multitrack" });
    expect(readVideoTagHead(Buffer.from("9378797a", "hex"))).toBeNull();
  });

  it("classifies every packet type: sequence start, coded frames (X), metadata, end, multitrack", () => {
    for (const name of ["hevc-320x180.flv", "av1-320x180.flv", "vp9-320x180.flv"]) {
      const video = tags(name).filter((tag) => tag.type === 9);
      expect(video.map((tag) => tag.kind), name).toEqual(["videoHeader", "other", "keyframe", "video"]);
    }
    const kind = (hex: string) => new FlvReader().push(Buffer.concat([Buffer.from("464c5601050000000900000000", "hex"), tagBytes(hex)]))[0]!.kind;
    expect(kind("9368766331")).toBe("keyframe"); // CodedFramesX, key
    expect(kind("a368766331")).toBe("video"); // CodedFramesX, inter
    expect(kind("9268766331")).toBe("other"); // SequenceEnd
    expect(kind("9568766331")).toBe("other"); // MPEG2TSSequenceStart: not a picture
    expect(kind("9661763031")).toBe("other"); // Multitrack: not carried
  });

  it("reads HEVC's size from its SPS, cropped by the conformance window", () => {
    expect(readVideoConfig(tags("hevc-320x180.flv")[1]!.data)).toEqual({ codec: "hevc", width: 320, height: 180, fps: 0, profile: 1, level: 60 });
    expect(readVideoConfig(tags("hevc-426x240-header.flv")[0]!.data)).toMatchObject({ codec: "hevc", width: 426, height: 240 });
  });

  it("reads AV1's size from the sequence header OBU of its record, and VP9's profile and level", () => {
    expect(readVideoConfig(tags("av1-320x180.flv")[1]!.data)).toEqual({ codec: "av1", width: 320, height: 180, fps: 0, profile: 0, level: 0 });
    expect(readVideoConfig(tags("vp9-320x180.flv")[1]!.data)).toEqual({ codec: "vp9", width: 0, height: 0, fps: 0, profile: 0, level: 11 });
    // libaom's SequenceStart as ffmpeg 7.1 sends it: no record at all (the keyframe carries the header).
    expect(readVideoConfig(Buffer.from("9061763031", "hex"))).toEqual({ codec: "av1", width: 0, height: 0, fps: 0 });
  });

  it("reads AV1's frame rate from its timing info", () => {
    // seq_profile 0, not still, not reduced; timing info 1001/60000 without equal interval nor decoder
    // model; one operating point; 11-bit sizes 1919 and 1079.
    const bits = "000" + "0" + "0" + "1" + (1001).toString(2).padStart(32, "0") + (60000).toString(2).padStart(32, "0") + "0" + "0" +
      "0" + "00000" + "000000000000" + "00101" + "1010" + "1010" + (1919).toString(2).padStart(11, "0") + (1079).toString(2).padStart(11, "0");
    const bytes = Buffer.from(bits.padEnd(Math.ceil(bits.length / 8) * 8, "0").match(/.{8}/g)!.map((byte) => parseInt(byte, 2)));
    const read = readAv1SequenceHeader(bytes);
    expect(read).toMatchObject({ width: 1920, height: 1080 });
    expect(read.fps).toBeCloseTo(59.94, 2);
  });

  it("gives the stream's format with the codec, the size from the record or else the metadata, and a key per codec", () => {
    const formats = ["hevc", "av1", "vp9"].map((codec) => {
      const cache = new GopCache();
      for (const tag of tags(`${codec}-320x180.flv`)) cache.push(tag);
      expect(cache.gop[0]?.kind, codec).toBe("keyframe");
      return readStreamFormat(cache.headers);
    });
    expect(formats.map((format) => format.video)).toEqual([
      { codec: "hevc", width: 320, height: 180, fps: 25, profile: 1, level: 60 },
      { codec: "av1", width: 320, height: 180, fps: 25, profile: 0, level: 0 },
      { codec: "vp9", width: 320, height: 180, fps: 25, profile: 0, level: 11 },
    ]);
    expect(new Set(formats.map(formatKey)).size).toBe(3);
  });

  it("names the codec from onMetaData's FourCC number when no header came", () => {
    const metadata = tags("av1-320x180.flv")[0]!;
    expect(readStreamFormat({ metadata }).video).toMatchObject({ codec: "av1", width: 320, height: 180 });
  });
});

function tagBytes(hex: string): Buffer {
  const data = Buffer.from(hex, "hex");
  const head = Buffer.alloc(11);
  head[0] = 9;
  head.writeUIntBE(data.length, 1, 3);
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(data.length + 11);
  return Buffer.concat([head, data, tail]);
}
