// What an ingest stream looks like (picture size, frame rate, H.264 profile, audio rate and channels),
// read from its codec headers and metadata. The stand-in picture is encoded to match it, so a
// platform that falls back to it sees the same format. Pure.

import { decodeAmf0 } from "./rtmp/amf0.js";
import type { FlvTag } from "./flv.js";
import { BitReader, readVideoConfig, readVideoTagHead, unescapeRbsp, type VideoCodec } from "./video-config.js";

export interface VideoFormat {
  /** "h264", "hevc", "av1" or "vp9"; otherwise what the stream's metadata said (a legacy FLV codec id). */
  codec: string;
  width: number;
  height: number;
  fps: number;
  /** H.264 profile_idc (66 baseline, 77 main, 100 high) and level_idc (e.g. 41); HEVC, AV1, VP9: theirs. */
  profile?: number;
  level?: number;
}

export interface AudioFormat {
  codec: string;
  sampleRate: number;
  channels: number;
}

export interface StreamFormat {
  video?: VideoFormat;
  audio?: AudioFormat;
}

/** Reads the format from the stream's metadata and codec headers (any of them may be missing). */
export function readStreamFormat(headers: { metadata?: FlvTag; videoHeader?: FlvTag; audioHeader?: FlvTag }): StreamFormat {
  const meta = headers.metadata ? readMetadata(headers.metadata.data) : {};
  const format: StreamFormat = {};
  const avc = headers.videoHeader ? readAvcHeader(headers.videoHeader.data) : null;
  const config = headers.videoHeader && !avc ? readVideoConfig(headers.videoHeader.data) : null;
  const headerCodec = headers.videoHeader ? readVideoTagHead(headers.videoHeader.data)?.codec : undefined;
  if (avc || config || headerCodec || meta.width) {
    format.video = {
      codec: avc ? "h264" : (config?.codec ?? headerCodec ?? metadataVideoCodec(meta.videocodecid)),
      width: avc?.width || config?.width || num(meta.width),
      height: avc?.height || config?.height || num(meta.height),
      fps: config?.fps || num(meta.framerate) || num(meta.videoframerate) || 30,
      ...(avc ? { profile: avc.profile, level: avc.level } : {}),
      ...(config && config.profile !== undefined ? { profile: config.profile, level: config.level } : {}),
    };
  }
  const aac = headers.audioHeader ? readAacHeader(headers.audioHeader.data) : null;
  if (aac) format.audio = aac;
  else if (meta.audiosamplerate || meta.audiocodecid !== undefined) {
    format.audio = { codec: String(meta.audiocodecid ?? "unknown"), sampleRate: num(meta.audiosamplerate) || 48_000, channels: meta.stereo === false ? 1 : 2 };
  }
  return format;
}

/** FourCCs as onMetaData's `videocodecid` carries them (a number) for Enhanced RTMP. */
const METADATA_FOURCCS: Record<number, VideoCodec> = {
  7: "h264",
  12: "hevc",
  [fourccNumber("avc1")]: "h264",
  [fourccNumber("hvc1")]: "hevc",
  [fourccNumber("av01")]: "av1",
  [fourccNumber("vp09")]: "vp9",
};

function fourccNumber(fourcc: string): number {
  return Buffer.from(fourcc, "latin1").readUInt32BE(0);
}

/** The codec onMetaData names (a legacy id or a FourCC as a number; a FourCC as text too). */
export function metadataVideoCodec(id: unknown): string {
  if (typeof id === "number") return METADATA_FOURCCS[id] ?? String(id);
  if (typeof id === "string") return METADATA_FOURCCS[id.length === 4 ? fourccNumber(id) : -1] ?? id;
  return "unknown";
}

/** A key that is equal for two streams exactly when one stand-in fits both. */
export function formatKey(format: StreamFormat): string {
  const v = format.video;
  const a = format.audio;
  return [v ? `${v.codec} ${v.width}x${v.height}@${v.fps}p${v.profile ?? ""}l${v.level ?? ""}` : "novideo", a ? `${a.sampleRate}/${a.channels}` : "noaudio"].join(" ");
}

function num(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** The properties of onMetaData (after an optional @setDataFrame). */
export function readMetadata(data: Buffer): Record<string, unknown> {
  try {
    const values = decodeAmf0(data);
    const object = values.find((value) => typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date));
    return (object as Record<string, unknown>) ?? {};
  } catch {
    return {};
  }
}

/** Profile, level and picture size from an AVC sequence header tag (FLV video data). */
export function readAvcHeader(data: Buffer): { profile: number; level: number; width: number; height: number } | null {
  // 0x17, packet type 0, 3 bytes composition time, then the AVCDecoderConfigurationRecord.
  if (data.length < 13 || (data[0]! & 0x0f) !== 7 || data[1] !== 0) return null;
  const record = data.subarray(5);
  const profile = record[1]!;
  const level = record[3]!;
  const spsCount = record[5]! & 0x1f;
  if (spsCount < 1 || record.length < 8) return { profile, level, width: 0, height: 0 };
  const spsLength = record.readUInt16BE(6);
  const sps = record.subarray(8, 8 + spsLength);
  const size = readSpsSize(sps);
  return { profile, level, width: size?.width ?? 0, height: size?.height ?? 0 };
}

/** Sample rate and channels from an AAC sequence header tag (AudioSpecificConfig). */
export function readAacHeader(data: Buffer): AudioFormat | null {
  if (data.length < 4 || data[0]! >> 4 !== 10 || data[1] !== 0) return null;
  const config = (data[2]! << 8) | data[3]!;
  const rateIndex = (config >> 7) & 0x0f;
  const channels = (config >> 3) & 0x0f;
  const rates = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];
  return { codec: "aac", sampleRate: rates[rateIndex] ?? 48_000, channels: channels || 2 };
}

/** Picture size from an H.264 sequence parameter set (a NAL unit, header byte included). */
export function readSpsSize(nal: Buffer): { width: number; height: number } | null {
  try {
    const bits = new BitReader(unescapeRbsp(nal.subarray(1)));
    const profile = bits.read(8);
    bits.read(16); // constraint flags, level
    bits.ue(); // seq_parameter_set_id
    let chromaFormat = 1;
    if ([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135].includes(profile)) {
      chromaFormat = bits.ue();
      if (chromaFormat === 3) bits.read(1);
      bits.ue(); // bit_depth_luma
      bits.ue(); // bit_depth_chroma
      bits.read(1);
      if (bits.read(1)) {
        for (let i = 0; i < (chromaFormat !== 3 ? 8 : 12); i += 1) {
          if (bits.read(1)) skipScalingList(bits, i < 6 ? 16 : 64);
        }
      }
    }
    bits.ue(); // log2_max_frame_num
    const pocType = bits.ue();
    if (pocType === 0) bits.ue();
    else if (pocType === 1) {
      bits.read(1);
      bits.se();
      bits.se();
      const cycle = bits.ue();
      for (let i = 0; i < cycle; i += 1) bits.se();
    }
    bits.ue(); // max_num_ref_frames
    bits.read(1);
    const widthMbs = bits.ue() + 1;
    const heightMapUnits = bits.ue() + 1;
    const frameMbsOnly = bits.read(1);
    if (!frameMbsOnly) bits.read(1);
    bits.read(1);
    let crop = { left: 0, right: 0, top: 0, bottom: 0 };
    if (bits.read(1)) crop = { left: bits.ue(), right: bits.ue(), top: bits.ue(), bottom: bits.ue() };
    const cropX = chromaFormat === 0 ? 1 : chromaFormat === 3 ? 1 : 2;
    const cropY = (chromaFormat === 1 ? 2 : 1) * (2 - frameMbsOnly);
    return {
      width: widthMbs * 16 - (crop.left + crop.right) * cropX,
      height: (2 - frameMbsOnly) * heightMapUnits * 16 - (crop.top + crop.bottom) * cropY,
    };
  } catch {
    return null;
  }
}

function skipScalingList(bits: BitReader, size: number): void {
  let last = 8;
  let next = 8;
  for (let i = 0; i < size; i += 1) {
    if (next !== 0) next = (last + bits.se() + 256) % 256;
    last = next === 0 ? last : next;
  }
}
