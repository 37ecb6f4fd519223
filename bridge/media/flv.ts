// FLV, the container RTMP media travels in and the one each relay reads on its stdin: tags of audio,
// video or script data, each with an 11-byte header and a 4-byte back pointer. Pure: classifying,
// reading and writing tags, so the data plane is tested on literal bytes.

/** Tag types. */
export const TagType = { audio: 8, video: 9, script: 18 } as const;

/** What a tag is, as far as starting, caching and switching streams need. */
export type TagKind = "keyframe" | "video" | "videoHeader" | "audio" | "audioHeader" | "metadata" | "other";

/** One FLV tag (the same thing as one RTMP audio, video or data message). */
export interface FlvTag {
  type: number;
  /** Milliseconds (FLV's 32-bit decode timestamp). */
  timestamp: number;
  data: Buffer;
  kind: TagKind;
}

/** The 9-byte FLV file header (audio and video present) and the first back pointer (0). */
export const FLV_HEADER = Buffer.from([0x46, 0x4c, 0x56, 0x01, 0x05, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00]);

/** Makes a tag, classified. */
export function makeTag(type: number, timestamp: number, data: Buffer): FlvTag {
  return { type, timestamp, data, kind: classifyTag(type, data) };
}

/**
 * The kind of a tag from its first bytes. Video: legacy FLV (frame type, codec id, and for AVC/HEVC a
 * packet type where 0 is the configuration record) and Enhanced RTMP (bit 7 set: frame type and packet
 * type, where 0 is SequenceStart). Audio: AAC's packet type 0 is its configuration; Enhanced RTMP
 * audio (format 9) says SequenceStart the same way.
 */
export function classifyTag(type: number, data: Buffer): TagKind {
  if (type === TagType.script) return isMetadata(data) ? "metadata" : "other";
  if (data.length === 0) return "other";
  const first = data[0]!;
  if (type === TagType.video) {
    const frameType = (first >> 4) & 0x07;
    if (frameType === 5) return "other"; // video info / command frame: no picture
    if (first & 0x80) {
      const packetType = first & 0x0f;
      if (packetType === 0) return "videoHeader";
      if (packetType === 1 || packetType === 3) return frameType === 1 ? "keyframe" : "video";
      return "other"; // sequence end, metadata, multitrack
    }
    const codec = first & 0x0f;
    if (codec === 7 || codec === 12) {
      if (data.length < 2) return "other";
      if (data[1] === 0) return "videoHeader";
      if (data[1] === 2) return "other"; // end of sequence
    }
    return frameType === 1 ? "keyframe" : "video";
  }
  if (type === TagType.audio) {
    const format = first >> 4;
    if (format === 10) return data.length > 1 && data[1] === 0 ? "audioHeader" : "audio";
    if (format === 9) return (first & 0x0f) === 0 ? "audioHeader" : "audio";
    return "audio";
  }
  return "other";
}

/** True for the script tag that carries onMetaData (or @setDataFrame onMetaData). */
function isMetadata(data: Buffer): boolean {
  const text = data.subarray(0, 32).toString("latin1");
  return text.includes("onMetaData");
}

/** The bytes of one tag as it goes on the wire with timestamp `timestamp`: header, data, back pointer. */
export function tagHead(type: number, size: number, timestamp: number): Buffer {
  const head = Buffer.alloc(11);
  head[0] = type;
  head.writeUIntBE(size, 1, 3);
  const stamp = timestamp >>> 0;
  head.writeUIntBE(stamp & 0xffffff, 4, 3);
  head[7] = (stamp >>> 24) & 0xff;
  return head;
}

/** The 4-byte back pointer written after a tag of `size` data bytes. */
export function tagTail(size: number): Buffer {
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(size + 11, 0);
  return tail;
}

/**
 * The 11-byte header and 4-byte back pointer around a tag's data, in one small allocation (from
 * Node's buffer pool): what a relay's writer sends on either side of the shared data.
 */
export function tagFrame(type: number, size: number, timestamp: number): { head: Buffer; tail: Buffer } {
  const frame = Buffer.allocUnsafe(15);
  frame[0] = type;
  frame.writeUIntBE(size, 1, 3);
  const stamp = timestamp >>> 0;
  frame.writeUIntBE(stamp & 0xffffff, 4, 3);
  frame[7] = (stamp >>> 24) & 0xff;
  frame.writeUIntBE(0, 8, 3);
  frame.writeUInt32BE(size + 11, 11);
  return { head: frame.subarray(0, 11), tail: frame.subarray(11, 15) };
}

/** One tag's bytes in one buffer (tests and the stand-in; the relays' writer avoids the copy). */
export function encodeTag(tag: Pick<FlvTag, "type" | "timestamp" | "data">, timestamp = tag.timestamp): Buffer {
  return Buffer.concat([tagHead(tag.type, tag.data.length, timestamp), tag.data, tagTail(tag.data.length)]);
}

/** Incremental FLV reader: `push` bytes as they come (a file or a program's output), get whole tags. */
export class FlvReader {
  #buffer: Buffer = Buffer.alloc(0);
  #headerDone = false;

  push(bytes: Buffer): FlvTag[] {
    this.#buffer = this.#buffer.length === 0 ? bytes : Buffer.concat([this.#buffer, bytes]);
    const tags: FlvTag[] = [];
    let offset = 0;
    if (!this.#headerDone) {
      if (this.#buffer.length < 13) return tags;
      if (this.#buffer.toString("latin1", 0, 3) !== "FLV") throw new Error("not an FLV stream: it does not start with FLV");
      offset = this.#buffer.readUInt32BE(5) + 4;
      this.#headerDone = true;
    }
    while (offset + 11 <= this.#buffer.length) {
      const type = this.#buffer[offset]!;
      const size = this.#buffer.readUIntBE(offset + 1, 3);
      if (offset + 11 + size + 4 > this.#buffer.length) break;
      const timestamp = (this.#buffer.readUIntBE(offset + 4, 3) | (this.#buffer[offset + 7]! << 24)) >>> 0;
      const data = Buffer.from(this.#buffer.subarray(offset + 11, offset + 11 + size));
      tags.push(makeTag(type, timestamp, data));
      offset += 11 + size + 4;
    }
    this.#buffer = this.#buffer.subarray(offset);
    return tags;
  }
}
