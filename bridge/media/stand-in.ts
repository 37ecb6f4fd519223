// The stand-in a platform gets while OBS is gone: a still picture and silence, encoded once per ingest
// format (same codec, size, frame rate and profile; same audio rate and channels) into one second of
// FLV, then played in a loop in real time. Encoding is ffmpeg's job; the clip and the loop are pure
// except for the timer.

import { execa } from "execa";
import { FlvReader, type FlvTag } from "./flv.js";
import { MediaSource } from "./media-source.js";
import type { StreamFormat } from "./stream-format.js";
import { ffmpegEncoders, noStandInEncoderMessage, standInEncoder, standInEncoderArgs } from "./stand-in-encoder.js";

/** One second of stand-in: codec headers, one GOP of video, one frame of silent audio. */
export interface StandInClip {
  videoHeader?: FlvTag;
  audioHeader?: FlvTag;
  metadata?: FlvTag;
  /** Keyframe first; timestamps relative to it. */
  videoFrames: FlvTag[];
  fps: number;
  /** One AAC frame of silence (1024 samples). */
  audioFrame?: FlvTag;
  sampleRate: number;
}

/**
 * ffmpeg's arguments to encode one second of `image` (a PNG) as the stand-in for `format`, its video
 * with `encoder` (stand-in-encoder.ts: the stream's own codec).
 */
export function standInArgs(image: string, format: StreamFormat, encoder = "libx264"): string[] {
  const video = format.video;
  const fps = Math.max(1, Math.min(120, Math.round(video?.fps || 30)));
  const width = even(video?.width || 1280);
  const height = even(video?.height || 720);
  const audio = format.audio;
  const args = ["-hide_banner", "-nostdin", "-loglevel", "error"];
  if (video) args.push("-loop", "1", "-framerate", String(fps), "-i", image);
  if (audio) args.push("-f", "lavfi", "-i", `anullsrc=channel_layout=${audio.channels === 1 ? "mono" : "stereo"}:sample_rate=${audio.sampleRate}`);
  args.push("-t", "1");
  if (video) {
    args.push(
      "-map", "0:v",
      "-vf", `scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2:color=black,format=yuv420p`,
      "-r", String(fps),
      ...standInEncoderArgs(encoder, video, fps),
    );
  }
  if (audio) {
    args.push("-map", `${video ? 1 : 0}:a`, "-c:a", "aac", "-b:a", "96k", "-ar", String(audio.sampleRate), "-ac", String(audio.channels === 1 ? 1 : 2));
  }
  args.push("-f", "flv", "pipe:1");
  return args;
}

function even(value: number): number {
  return Math.max(2, Math.round(value / 2) * 2);
}

/** Cuts the clip out of ffmpeg's FLV: headers, the GOP, and a steady frame of silence. */
export function clipFromFlv(bytes: Buffer, format: StreamFormat): StandInClip {
  const tags = new FlvReader().push(bytes);
  const videoFrames = tags.filter((tag) => tag.kind === "keyframe" || tag.kind === "video");
  const audioFrames = tags.filter((tag) => tag.kind === "audio");
  const first = videoFrames.findIndex((tag) => tag.kind === "keyframe");
  const gop = first < 0 ? [] : videoFrames.slice(first);
  const next = gop.findIndex((tag, index) => index > 0 && tag.kind === "keyframe");
  const frames = (next > 0 ? gop.slice(0, next) : gop).map((tag) => ({ ...tag, timestamp: tag.timestamp - gop[0]!.timestamp }));
  if (format.video && frames.length === 0) throw new Error("the stand-in encode produced no video");
  return {
    videoHeader: tags.find((tag) => tag.kind === "videoHeader"),
    audioHeader: tags.find((tag) => tag.kind === "audioHeader"),
    metadata: tags.find((tag) => tag.kind === "metadata"),
    videoFrames: frames,
    fps: Math.max(1, Math.round(format.video?.fps || 30)),
    // The encoder's first frames carry its start-up; one from the middle is plain silence.
    audioFrame: audioFrames[Math.floor(audioFrames.length / 2)],
    sampleRate: format.audio?.sampleRate ?? 48_000,
  };
}

/** Encodes the stand-in for `format` from `image` with ffmpeg: one second of FLV, in the stream's codec. */
export async function encodeStandIn(ffmpeg: string, image: string, format: StreamFormat): Promise<Buffer> {
  const encoder = format.video ? standInEncoder(format.video, await ffmpegEncoders(ffmpeg)) : "libx264";
  if (!encoder) throw new Error(noStandInEncoderMessage(format.video!.codec));
  const result = await execa(ffmpeg, standInArgs(image, format, encoder), {
    encoding: "buffer",
    reject: false,
    stdin: "ignore",
    timeout: 60_000,
    windowsHide: true,
  });
  if (result.exitCode !== 0) {
    const message = Buffer.from(result.stderr ?? []).toString("utf8").trim().split("\n").pop() ?? "";
    throw new Error(`could not encode the stand-in picture: ${message || `ffmpeg exited with ${result.exitCode}`}`);
  }
  return Buffer.from(result.stdout as Uint8Array);
}

/** The stand-in played in real time, its own timestamps from 0. */
export class StandInSource extends MediaSource {
  #timer: NodeJS.Timeout | undefined;
  #startedAt = 0;
  #videoSent = 0;
  #audioSent = 0;
  readonly #now: () => number;

  constructor(private readonly clip: StandInClip, now: () => number = () => performance.now()) {
    super("stand-in");
    this.#now = now;
    this.frameMs = 1000 / clip.fps;
    for (const header of [clip.metadata, clip.videoHeader, clip.audioHeader]) if (header) this.emit({ ...header, timestamp: 0 });
  }

  /** Starts the loop: the first keyframe at once, then every frame when it is due. */
  start(): void {
    if (this.#timer) return;
    this.#startedAt = this.#now();
    this.#tick();
    this.#timer = setInterval(() => this.#tick(), 10);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #tick(): void {
    const elapsed = this.#now() - this.#startedAt;
    const { clip } = this;
    const frames = clip.videoFrames.length;
    const audioMs = (1024 * 1000) / clip.sampleRate;
    // Emit in time order: whichever of audio and video is due first.
    for (;;) {
      const videoAt = frames > 0 ? (this.#videoSent * 1000) / clip.fps : Infinity;
      const audioAt = clip.audioFrame ? this.#audioSent * audioMs : Infinity;
      const next = Math.min(videoAt, audioAt);
      if (next > elapsed) return;
      if (videoAt <= audioAt) {
        const frame = clip.videoFrames[this.#videoSent % frames]!;
        this.#videoSent += 1;
        this.emit({ ...frame, timestamp: Math.round(videoAt) });
      } else {
        this.#audioSent += 1;
        this.emit({ ...clip.audioFrame!, timestamp: Math.round(audioAt) });
      }
    }
  }
}
