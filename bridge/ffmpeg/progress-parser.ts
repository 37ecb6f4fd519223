// Reads ffmpeg's `-progress` output (key=value lines, each block closed by `progress=continue|end`)
// and its warning/error lines.

/** One `-progress` block. */
export interface ProgressBlock {
  frame: number;
  fps: number;
  /** Bytes written to the output so far. */
  totalSize: number;
  /** Media time written so far, microseconds. */
  outTimeUs: number;
  speed: number;
  end: boolean;
}

/** Feeds lines, returns a block each time one is complete. */
export class ProgressParser {
  #fields = new Map<string, string>();

  /** Returns the completed block when `line` closes one, else null. Non key=value lines are ignored. */
  push(line: string): ProgressBlock | null {
    const eq = line.indexOf("=");
    if (eq <= 0) return null;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (!/^[a-z_0-9]+$/.test(key)) return null;
    if (key !== "progress") {
      this.#fields.set(key, value);
      return null;
    }
    const fields = this.#fields;
    this.#fields = new Map();
    return {
      frame: number(fields.get("frame")),
      fps: number(fields.get("fps")),
      totalSize: number(fields.get("total_size")),
      outTimeUs: number(fields.get("out_time_us") ?? fields.get("out_time_ms")),
      speed: number(fields.get("speed")?.replace(/x$/, "")),
      end: value === "end",
    };
  }
}

/** Bytes of FLV header and metadata ffmpeg writes before any media (about 540). */
const HEADER_BYTES = 4096;

/**
 * True when media really reached the output: a video frame, or (audio-only ingest) more than the
 * header. Not `out_time`: it grows while the muxer still holds audio back for the first keyframe.
 */
export function showsMedia(block: ProgressBlock): boolean {
  return block.frame > 0 || block.totalSize > HEADER_BYTES;
}

/** Output bitrate between two blocks, kbit/s of media time (0 when time did not advance). */
export function bitrateBetween(previous: ProgressBlock | null, next: ProgressBlock): number {
  if (!previous) return next.outTimeUs > 0 ? Math.round((next.totalSize * 8) / (next.outTimeUs / 1000)) : 0;
  const bytes = next.totalSize - previous.totalSize;
  const us = next.outTimeUs - previous.outTimeUs;
  return us > 0 && bytes >= 0 ? Math.round((bytes * 8) / (us / 1000)) : 0;
}

/** Lines of ffmpeg's log worth showing as a relay's error (not progress, not banners). */
export function isErrorLine(line: string): boolean {
  if (/^[a-z_0-9]+=/.test(line)) return false;
  return /error|refused|failed|denied|unauthori[sz]ed|forbidden|timed out|timeout|invalid|not found|unable|cannot|could not|broken pipe|reset by peer|certificate|handshake|rejected/i.test(line);
}

function number(value: string | undefined): number {
  if (value === undefined) return 0;
  const parsed = Number.parseFloat(value);
  return Number.isFinite(parsed) ? parsed : 0;
}

/** The line that best explains a failed run: a certificate reason first, then a TLS one, else the last error. */
export function pickErrorLine(lines: readonly string[]): string | null {
  const errors = lines.filter(isErrorLine);
  for (const reason of [/certificate|verif/i, /handshake|ssl|tls/i]) {
    const found = errors.filter((line) => reason.test(line)).at(-1);
    if (found) return found;
  }
  return errors.at(-1) ?? null;
}
