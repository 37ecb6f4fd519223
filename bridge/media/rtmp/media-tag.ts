// What an RTMP audio or video message carries, read from its first bytes (the FLV tag header). Pure.

/** The kind of one audio/video message. */
export interface MediaTag {
  kind: "audio" | "video";
  /** A video keyframe (the point a new viewer can start from). */
  keyframe: boolean;
  /** A codec configuration record (AVC/AAC sequence header), not media. */
  sequenceHeader: boolean;
}

/** Reads `payload` of an audio (type 8) or video (type 9) message; null for anything else or empty. */
export function readMediaTag(typeId: number, payload: Buffer): MediaTag | null {
  if (payload.length === 0) return null;
  const first = payload[0]!;
  if (typeId === 9) {
    const frameType = first >> 4;
    const codec = first & 0x0f;
    // AVC (7) and HEVC-in-FLV (12) carry a packet type: 0 = configuration record.
    const sequenceHeader = (codec === 7 || codec === 12) && payload.length > 1 && payload[1] === 0;
    return { kind: "video", keyframe: frameType === 1 && !sequenceHeader, sequenceHeader };
  }
  if (typeId === 8) {
    const format = first >> 4;
    const sequenceHeader = format === 10 && payload.length > 1 && payload[1] === 0;
    return { kind: "audio", keyframe: false, sequenceHeader };
  }
  return null;
}
