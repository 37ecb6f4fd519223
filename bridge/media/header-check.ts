// Whether a stream's H.264 sequence header (AVCDecoderConfigurationRecord in an FLV video tag) is whole:
// a truncated one, relayed, fails every copy relay as it opens its output ("Error initializing output
// stream"), and each retry would get it again from the keyframe cache. Pure.

/**
 * What is wrong with `data`, a legacy FLV AVC sequence header tag (0x17 0x00 …), or null when it is
 * whole or is not one (other codecs, Enhanced RTMP, are not looked into).
 */
export function avcHeaderProblem(data: Buffer): string | null {
  if (data.length < 2 || (data[0]! & 0x0f) !== 7 || (data[0]! & 0x80) !== 0 || data[1] !== 0) return null;
  const truncated = `an H.264 sequence header of ${data.length} bytes is cut short`;
  // Packet type, composition time (3 bytes), then the record: version, profile, compatibility, level,
  // NAL length size, SPS count, then each SPS and the PPS count and each PPS, length first.
  const record = data.subarray(5);
  if (record.length < 7) return truncated;
  if (record[0] !== 1) return `an H.264 sequence header says version ${record[0]}, not 1`;
  let at = 6;
  const spsCount = record[5]! & 0x1f;
  if (spsCount === 0) return "an H.264 sequence header holds no SPS";
  for (let index = 0; index < spsCount; index += 1) {
    if (at + 2 > record.length) return truncated;
    at += 2 + record.readUInt16BE(at);
    if (at > record.length) return truncated;
  }
  if (at + 1 > record.length) return truncated;
  const ppsCount = record[at]!;
  at += 1;
  if (ppsCount === 0) return "an H.264 sequence header holds no PPS";
  for (let index = 0; index < ppsCount; index += 1) {
    if (at + 2 > record.length) return truncated;
    at += 2 + record.readUInt16BE(at);
    if (at > record.length) return truncated;
  }
  return null;
}
