// The video codec of an FLV video tag and what its configuration record says: legacy FLV (codec id 7 for
// H.264, 12 for the HEVC extension some encoders use) and Enhanced RTMP (bit 7 of the first byte, a
// packet type, a FourCC: `avc1`, `hvc1`, `av01`, `vp09`), with the picture size read from the HEVC SPS
// or the AV1 sequence header (VP9's record has none: its size comes from the stream's metadata). Pure,
// tested on bytes ffmpeg 7.1 wrote.

/** The video codecs Relay names (`ingest.video.codec`). */
export type VideoCodec = "h264" | "hevc" | "av1" | "vp9";

/** Enhanced RTMP's video packet types (the low four bits of the first byte when bit 7 is set). */
export const ExPacketType = {
  sequenceStart: 0,
  codedFrames: 1,
  sequenceEnd: 2,
  codedFramesX: 3,
  metadata: 4,
  mpeg2tsSequenceStart: 5,
  multitrack: 6,
} as const;

const FOURCCS: Record<string, VideoCodec> = { avc1: "h264", hvc1: "hevc", av01: "av1", vp09: "vp9" };

/** What the first bytes of a video tag say: its codec and, for Enhanced RTMP, its packet type. */
export interface VideoTagHead {
  codec: VideoCodec | null;
  /** The FourCC (Enhanced RTMP) or `id N` (legacy codec id), as sent. */
  sent: string;
  enhanced: boolean;
  /** Enhanced RTMP's packet type; for legacy AVC/HEVC 0 = configuration, 1 = frames, 2 = end. */
  packetType: number;
}

/** Reads a video tag's codec and packet type; null when the tag is too short to say. */
export function readVideoTagHead(data: Buffer): VideoTagHead | null {
  if (data.length < 1) return null;
  const first = data[0]!;
  if (first & 0x80) {
    if (data.length < 5) return null;
    const packetType = first & 0x0f;
    // A multitrack packet's FourCC comes after its own type byte; it is not read here.
    if (packetType === ExPacketType.multitrack) return { codec: null, sent: "multitrack", enhanced: true, packetType };
    const fourcc = data.toString("latin1", 1, 5);
    return { codec: FOURCCS[fourcc] ?? null, sent: fourcc, enhanced: true, packetType };
  }
  const id = first & 0x0f;
  const codec: VideoCodec | null = id === 7 ? "h264" : id === 12 ? "hevc" : null;
  return { codec, sent: `id ${id}`, enhanced: false, packetType: codec && data.length > 1 ? data[1]! : 1 };
}

/** What a configuration record says. Sizes are 0 when the record does not carry them (VP9). */
export interface VideoConfig {
  codec: VideoCodec;
  width: number;
  height: number;
  /** Frames per second when the record gives them (AV1 timing info, HEVC's average rate), else 0. */
  fps: number;
  /** H.264/HEVC profile_idc, AV1 seq_profile, VP9 profile. */
  profile?: number;
  /** H.264/HEVC level_idc, AV1 seq_level_idx, VP9 level. */
  level?: number;
}

/**
 * The configuration of an HEVC, AV1 or VP9 sequence header tag (Enhanced RTMP SequenceStart, or legacy
 * codec id 12 packet type 0); null for anything else or a record it cannot read. H.264 is read by
 * stream-format.ts's AVC reader.
 */
export function readVideoConfig(data: Buffer): VideoConfig | null {
  const head = readVideoTagHead(data);
  if (!head || head.packetType !== 0 || !head.codec || head.codec === "h264") return null;
  const record = data.subarray(5); // enhanced: 1 byte + FourCC; legacy HEVC: 2 bytes + 3 of composition time
  try {
    if (head.codec === "hevc") return readHevcRecord(record);
    if (head.codec === "av1") return readAv1Record(record);
    return readVp9Record(record);
  } catch {
    return { codec: head.codec, width: 0, height: 0, fps: 0 };
  }
}

/** HEVCDecoderConfigurationRecord (ISO/IEC 14496-15): its SPS gives the size. */
export function readHevcRecord(record: Buffer): VideoConfig {
  if (record.length < 23) throw new Error("HEVC record too short");
  const profile = record[1]! & 0x1f;
  const level = record[12]!;
  const avgFrameRate = record.readUInt16BE(19); // frames per 256 s; 0 = unspecified
  let offset = 23;
  let size: { width: number; height: number } | null = null;
  for (let array = 0, count = record[22]!; array < count && offset + 3 <= record.length; array += 1) {
    const type = record[offset]! & 0x3f;
    const nalus = record.readUInt16BE(offset + 1);
    offset += 3;
    for (let n = 0; n < nalus && offset + 2 <= record.length; n += 1) {
      const length = record.readUInt16BE(offset);
      const nal = record.subarray(offset + 2, offset + 2 + length);
      if (type === 33 && !size) size = readHevcSpsSize(nal);
      offset += 2 + length;
    }
  }
  return { codec: "hevc", width: size?.width ?? 0, height: size?.height ?? 0, fps: avgFrameRate / 256, profile, level };
}

/** Picture size from an HEVC sequence parameter set (NAL unit with its 2-byte header). */
export function readHevcSpsSize(nal: Buffer): { width: number; height: number } {
  const bits = new BitReader(unescapeRbsp(nal.subarray(2)));
  bits.read(4); // sps_video_parameter_set_id
  const maxSubLayersMinus1 = bits.read(3);
  bits.read(1);
  // profile_tier_level(1, maxSubLayersMinus1)
  bits.skip(88); // general profile space, tier, idc, compatibility flags, constraint flags
  bits.skip(8); // general_level_idc
  const present: { profile: number; level: number }[] = [];
  for (let i = 0; i < maxSubLayersMinus1; i += 1) present.push({ profile: bits.read(1), level: bits.read(1) });
  if (maxSubLayersMinus1 > 0) for (let i = maxSubLayersMinus1; i < 8; i += 1) bits.skip(2);
  for (const layer of present) {
    if (layer.profile) bits.skip(88);
    if (layer.level) bits.skip(8);
  }
  bits.ue(); // sps_seq_parameter_set_id
  const chroma = bits.ue();
  if (chroma === 3) bits.read(1);
  let width = bits.ue();
  let height = bits.ue();
  if (bits.read(1)) {
    // conformance window, in chroma samples
    const subX = chroma === 1 || chroma === 2 ? 2 : 1;
    const subY = chroma === 1 ? 2 : 1;
    const [left, right, top, bottom] = [bits.ue(), bits.ue(), bits.ue(), bits.ue()];
    width -= subX * (left + right);
    height -= subY * (top + bottom);
  }
  return { width, height };
}

/** AV1CodecConfigurationRecord (AV1 ISOBMFF binding): its sequence header OBU gives size and timing. */
export function readAv1Record(record: Buffer): VideoConfig {
  if (record.length < 4 || (record[0]! & 0x80) === 0) throw new Error("not an AV1 record");
  const profile = record[1]! >> 5;
  const level = record[1]! & 0x1f;
  let offset = 4;
  while (offset < record.length) {
    const header = record[offset]!;
    const type = (header >> 3) & 0x0f;
    const extension = (header >> 2) & 1;
    const hasSize = (header >> 1) & 1;
    offset += 1 + extension;
    let size = record.length - offset;
    if (hasSize) {
      const leb = readLeb128(record, offset);
      size = leb.value;
      offset += leb.length;
    }
    if (type === 1) return { codec: "av1", profile, level, ...readAv1SequenceHeader(record.subarray(offset, offset + size)) };
    offset += size;
  }
  return { codec: "av1", width: 0, height: 0, fps: 0, profile, level };
}

/** Size and frame rate from an AV1 sequence header OBU's payload. */
export function readAv1SequenceHeader(payload: Buffer): { width: number; height: number; fps: number } {
  const bits = new BitReader(payload);
  bits.read(3); // seq_profile
  bits.read(1); // still_picture
  const reduced = bits.read(1);
  let fps = 0;
  if (reduced) bits.read(5);
  else {
    let decoderModel = 0;
    let bufferDelayLength = 0;
    if (bits.read(1)) {
      // timing_info
      const tick = bits.read(32);
      const scale = bits.read(32);
      if (bits.read(1)) bits.uvlc(); // equal_picture_interval: num_ticks_per_picture_minus_1
      if (tick > 0) fps = scale / tick;
      decoderModel = bits.read(1);
      if (decoderModel) {
        bufferDelayLength = bits.read(5) + 1;
        bits.read(32);
        bits.read(5);
        bits.read(5);
      }
    }
    const initialDisplayDelay = bits.read(1);
    const points = bits.read(5) + 1;
    for (let i = 0; i < points; i += 1) {
      bits.read(12);
      const seqLevel = bits.read(5);
      if (seqLevel > 7) bits.read(1);
      if (decoderModel && bits.read(1)) {
        bits.read(bufferDelayLength);
        bits.read(bufferDelayLength);
        bits.read(1);
      }
      if (initialDisplayDelay && bits.read(1)) bits.read(4);
    }
  }
  const widthBits = bits.read(4) + 1;
  const heightBits = bits.read(4) + 1;
  return { width: bits.read(widthBits) + 1, height: bits.read(heightBits) + 1, fps };
}

/** VPCodecConfigurationRecord (VP codec ISOBMFF binding): profile and level only, no size. */
export function readVp9Record(record: Buffer): VideoConfig {
  // ffmpeg sends the whole vpcC box body: version 1 and three bytes of flags, then profile and level.
  if (record.length < 6 || record[0] !== 1) throw new Error("VP9 record of an unknown version");
  return { codec: "vp9", width: 0, height: 0, fps: 0, profile: record[4]!, level: record[5]! };
}

function readLeb128(bytes: Buffer, offset: number): { value: number; length: number } {
  let value = 0;
  for (let i = 0; i < 8; i += 1) {
    const byte = bytes[offset + i];
    if (byte === undefined) throw new Error("AV1: truncated size");
    value += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return { value, length: i + 1 };
  }
  throw new Error("AV1: size too long");
}

/** Removes emulation prevention bytes (00 00 03 → 00 00) of an H.264/HEVC NAL unit. */
export function unescapeRbsp(bytes: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i += 1) {
    if (i >= 2 && bytes[i] === 3 && bytes[i - 1] === 0 && bytes[i - 2] === 0) continue;
    out.push(bytes[i]!);
  }
  return Buffer.from(out);
}

/** Reads bits most significant first, with the Exp-Golomb and uvlc codes of the video specs. */
export class BitReader {
  #bit = 0;
  constructor(private readonly bytes: Buffer) {}

  read(count: number): number {
    let value = 0;
    for (let i = 0; i < count; i += 1) {
      const byte = this.bytes[this.#bit >> 3];
      if (byte === undefined) throw new Error("out of data");
      value = value * 2 + ((byte >> (7 - (this.#bit & 7))) & 1);
      this.#bit += 1;
    }
    return value;
  }

  skip(count: number): void {
    if (((this.#bit + count) >> 3) > this.bytes.length) throw new Error("out of data");
    this.#bit += count;
  }

  ue(): number {
    let zeros = 0;
    while (this.read(1) === 0) {
      zeros += 1;
      if (zeros > 31) throw new Error("bad Exp-Golomb code");
    }
    return 2 ** zeros - 1 + this.read(zeros);
  }

  se(): number {
    const value = this.ue();
    return value % 2 === 0 ? -(value / 2) : (value + 1) / 2;
  }

  uvlc(): number {
    let zeros = 0;
    while (this.read(1) === 0) {
      zeros += 1;
      if (zeros >= 32) throw new Error("bad uvlc code");
    }
    return 2 ** zeros - 1 + this.read(zeros);
  }
}
