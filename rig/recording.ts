// What a recording platform got, read with ffprobe: every packet's stream, time and keyframe flag, and
// the checks a viewer would notice (a first frame that is not a keyframe, time going back, a gap).

import { execa } from "execa";

export interface RecordedPacket {
  kind: "video" | "audio";
  /** Decode time, milliseconds. */
  dts: number;
  keyframe: boolean;
}

export interface RecordingSummary {
  packets: RecordedPacket[];
  video?: { width: number; height: number };
  /** ffprobe's codec names: h264, hevc, av1, aac… */
  codecs: { video?: string; audio?: string };
  /** The first video packet is a keyframe. */
  startsWithKeyframe: boolean;
  /** Longest step between two video packets (ms of stream time). */
  longestVideoGapMs: number;
  /** Longest step between two audio packets (ms of stream time). */
  longestAudioGapMs: number;
  /** Times a packet's decode time went below the one before it on the same track. */
  backwardSteps: number;
  durationMs: number;
}

/** Reads a recorded FLV file with ffprobe (Debian 13's for HEVC and AV1 in FLV). */
export async function probeRecording(file: string, ffprobe = "ffprobe"): Promise<RecordingSummary> {
  const { stdout } = await execa(ffprobe, [
    "-v", "error",
    "-show_entries", "packet=codec_type,dts_time,flags:stream=codec_type,codec_name,width,height",
    "-of", "json",
    file,
  ]);
  const doc = JSON.parse(stdout) as { packets?: Array<{ codec_type: string; dts_time?: string; flags?: string }>; streams?: Array<{ codec_type: string; codec_name?: string; width?: number; height?: number }> };
  const packets: RecordedPacket[] = (doc.packets ?? [])
    .filter((packet) => packet.codec_type === "video" || packet.codec_type === "audio")
    .map((packet) => ({ kind: packet.codec_type as "video" | "audio", dts: Math.round(Number(packet.dts_time ?? "0") * 1000), keyframe: (packet.flags ?? "").includes("K") }));
  const gaps = (kind: "video" | "audio") => {
    const times = packets.filter((packet) => packet.kind === kind).map((packet) => packet.dts);
    let longest = 0;
    let backward = 0;
    for (let i = 1; i < times.length; i += 1) {
      longest = Math.max(longest, times[i]! - times[i - 1]!);
      if (times[i]! < times[i - 1]!) backward += 1;
    }
    return { longest, backward };
  };
  const video = gaps("video");
  const audio = gaps("audio");
  const stream = doc.streams?.find((entry) => entry.codec_type === "video");
  const audioStream = doc.streams?.find((entry) => entry.codec_type === "audio");
  const firstVideo = packets.find((packet) => packet.kind === "video");
  const times = packets.map((packet) => packet.dts);
  return {
    packets,
    ...(stream?.width ? { video: { width: stream.width, height: stream.height ?? 0 } } : {}),
    codecs: { ...(stream?.codec_name ? { video: stream.codec_name } : {}), ...(audioStream?.codec_name ? { audio: audioStream.codec_name } : {}) },
    startsWithKeyframe: firstVideo?.keyframe ?? false,
    longestVideoGapMs: video.longest,
    longestAudioGapMs: audio.longest,
    backwardSteps: video.backward + audio.backward,
    durationMs: times.length > 0 ? Math.max(...times) - Math.min(...times) : 0,
  };
}
