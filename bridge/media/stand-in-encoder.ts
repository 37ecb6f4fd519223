// Which encoder makes the stand-in picture, in the stream's own codec, so a platform that took OBS's
// HEVC or AV1 as it is keeps getting that codec through a hold (a switch to H.264 mid-session is a new
// stream to every player). Software encoders at their fastest settings: one second of a still picture,
// encoded once per format. Pure, apart from reading `ffmpeg -encoders` once per binary.

import { execa } from "execa";
import { parseEncoderList } from "../ffmpeg/encoders.js";
import type { VideoFormat } from "./stream-format.js";

/** H.264 profile names for ffmpeg's -profile:v, by profile_idc. */
const H264_PROFILES: Record<number, string> = { 66: "baseline", 77: "main", 100: "high" };

/** The encoders tried for each codec, best first (libaom-av1 sends no AV1 record in FLV: last). */
export const STAND_IN_ENCODERS: Record<string, readonly string[]> = {
  h264: ["libx264"],
  hevc: ["libx265"],
  av1: ["libsvtav1", "libaom-av1"],
  vp9: ["libvpx-vp9"],
};

/** The stand-in's video encoder for `video` among `available` (ffmpeg's encoder names); null when none. */
export function standInEncoder(video: Pick<VideoFormat, "codec">, available: readonly string[]): string | null {
  const wanted = STAND_IN_ENCODERS[video.codec] ?? STAND_IN_ENCODERS.h264!;
  return wanted.find((name) => available.includes(name)) ?? null;
}

/** ffmpeg's output arguments for `encoder` making a one-second GOP of a still picture at `fps`. */
export function standInEncoderArgs(encoder: string, video: VideoFormat, fps: number): string[] {
  const gop = String(fps);
  switch (encoder) {
    case "libx264":
      return [
        "-c:v", "libx264", "-preset", "ultrafast", "-tune", "stillimage",
        "-profile:v", H264_PROFILES[video.profile ?? 100] ?? "high",
        ...(video.level ? ["-level", (video.level / 10).toFixed(1)] : []),
        "-g", gop, "-bf", "0", "-threads", "1",
      ];
    case "libx265":
      return ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", `log-level=error:keyint=${gop}:min-keyint=${gop}:bframes=0:pools=1:frame-threads=1`];
    case "libsvtav1":
      return ["-c:v", "libsvtav1", "-preset", "12", "-svtav1-params", `keyint=${gop}:scd=0`];
    case "libaom-av1":
      return ["-c:v", "libaom-av1", "-usage", "realtime", "-cpu-used", "10", "-g", gop, "-threads", "1"];
    case "libvpx-vp9":
      return ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-g", gop, "-threads", "1"];
    default:
      return ["-c:v", encoder, "-g", gop];
  }
}

/** Why there is no stand-in for `codec` with this ffmpeg: what would make one. */
export function noStandInEncoderMessage(codec: string): string {
  const wanted = STAND_IN_ENCODERS[codec] ?? [];
  return `this ffmpeg has no ${codec.toUpperCase()} encoder for the stand-in picture (${wanted.join(" or ") || "none known"}): platforms end their session when OBS drops; an ffmpeg build with ${wanted[0] ?? "one"} (ffmpeg 6.1 or newer, see docs/install.md) holds them`;
}

const lists = new Map<string, Promise<string[]>>();

/** The video encoders of this ffmpeg binary (read once). */
export function ffmpegEncoders(ffmpeg: string): Promise<string[]> {
  let list = lists.get(ffmpeg);
  if (!list) {
    list = execa(ffmpeg, ["-hide_banner", "-encoders"], { reject: false, windowsHide: true, timeout: 20_000 }).then((result) => parseEncoderList(`${result.stdout}`));
    lists.set(ffmpeg, list);
  }
  return list;
}
