// Builds the ffmpeg command line of one relay: read FLV from the bridge's data plane on stdin (or,
// for comparison in the benchmark, the ingest stream straight from nginx), copy every stream as is
// (or re-encode it to the destination's own quality: encode-args.ts), push FLV to the platform.
// Pure, so every flag is unit-tested.

import { buildEncodeArgs, encodeGlobalArgs, type EncodePlan } from "./encode-args.js";

export interface RelayArgsInput {
  /**
   * Absent: the relay reads FLV on stdin, fed by the data plane (the product). A URL
   * (rtmp://127.0.0.1:PORT/APP/NAME): it reads the ingest from nginx itself (the relay before the data plane).
   */
  inputUrl?: string;
  /** Where to push: the platform URL joined with the key, or a local stunnel's URL. */
  outputUrl: string;
  /**
   * How long ffmpeg may look at the input before it starts copying. Long enough to see the audio
   * stream as well as the video (nginx sends both sequence headers first), short enough to start fast.
   */
  probeMs?: number;
  /** Seconds of no input before ffmpeg gives up (a stalled ingest ends the relay). */
  inputTimeoutS?: number;
  /** How often ffmpeg reports progress. */
  progressPeriodS?: number;
  /** Extra protocol options for rtmps outputs (TLS verification). */
  tls?: { verify: boolean; caFile: string };
  /** The destination's own quality: absent = every stream copied as is. */
  encode?: EncodePlan;
}

export function buildRelayArgs(input: RelayArgsInput): string[] {
  const probeMs = input.probeMs ?? 500;
  const args = [
    "-hide_banner",
    "-nostats",
    "-loglevel", "warning",
    "-progress", "pipe:1",
    "-stats_period", String(input.progressPeriodS ?? 0.5),
    ...(input.encode ? encodeGlobalArgs(input.encode) : []),
    // Input: the codec headers come first, then a keyframe. Keep the packets read while probing
    // (-fflags nobuffer would drop them, the keyframe with them: a whole GOP lost) and do not wait for
    // 20 frames to guess a frame rate (FLV metadata has it).
    "-fpsprobesize", "0",
    "-analyzeduration", String(probeMs * 1000),
    "-probesize", "500000",
    ...(input.inputUrl === undefined
      ? ["-f", "flv", "-i", "pipe:0"]
      : // From nginx: RTMP commands without Nagle (each round trip would wait for a 40 ms delayed ACK).
        ["-tcp_nodelay", "1", "-rw_timeout", String((input.inputTimeoutS ?? 10) * 1_000_000), "-i", input.inputUrl]),
    // Output: every stream of the ingest, untouched, or re-encoded.
    ...(input.encode ? buildEncodeArgs(input.encode) : ["-map", "0", "-c", "copy"]),
    "-f", "flv",
    "-flvflags", "no_duration_filesize",
  ];
  if (input.outputUrl.startsWith("rtmps://") && input.tls) {
    args.push("-tls_verify", input.tls.verify ? "1" : "0");
    if (input.tls.caFile !== "") args.push("-ca_file", input.tls.caFile);
  }
  // The platform's connect, createStream and publish round trips, without Nagle either.
  args.push("-tcp_nodelay", "1");
  args.push(input.outputUrl);
  return args;
}
