// Which ffmpeg this is, from `ffmpeg -version`, and whether Relay can use it. Relays need
// `-stats_period` (ffmpeg 4.4, libavformat 58.76); with 4.1–4.3 ffmpeg refuses the whole command
// line ("Error splitting the argument list: Option not found"), so an older one is refused up front
// with the minimum named.

/** The oldest ffmpeg release Relay's relays run on. */
export const MIN_FFMPEG = { major: 4, minor: 4 } as const;
/** libavformat as ffmpeg 4.4 shipped it: how a git build without a release number is judged. */
export const MIN_LIBAVFORMAT = { major: 58, minor: 76 } as const;

/** What `ffmpeg -version` says about the build. */
export interface FfmpegVersion {
  /** The version as ffmpeg prints it (e.g. "5.1.9-0+deb12u1", "n4.4.1", "N-92722-gf22fcd4483"). */
  label: string;
  /** The release number, when the label has one. */
  release: { major: number; minor: number } | null;
  /** libavformat's version, which every build prints (git builds have no release number). */
  libavformat: { major: number; minor: number } | null;
}

/** Reads `ffmpeg -version` output; null when it is not ffmpeg's. */
export function parseFfmpegVersion(text: string): FfmpegVersion | null {
  const label = /^ffmpeg version (\S+)/m.exec(text)?.[1];
  if (!label) return null;
  const release = /^n?(\d+)\.(\d+)/.exec(label);
  const lavf = /^libavformat\s+(\d+)\.\s*(\d+)\./m.exec(text);
  return {
    label,
    release: release ? { major: Number(release[1]), minor: Number(release[2]) } : null,
    libavformat: lavf ? { major: Number(lavf[1]), minor: Number(lavf[2]) } : null,
  };
}

const atLeast = (have: { major: number; minor: number }, want: { major: number; minor: number }) =>
  have.major > want.major || (have.major === want.major && have.minor >= want.minor);

/** The minimum as users read it. */
export const MIN_FFMPEG_TEXT = `ffmpeg ${MIN_FFMPEG.major}.${MIN_FFMPEG.minor} or newer`;

/**
 * Whether Relay can use this ffmpeg: "ok", "old" (say so with the minimum), or "unknown" (the
 * version could not be read: it is used, and ffmpeg's own error tells if it fails).
 */
export function judgeFfmpegVersion(version: FfmpegVersion | null): "ok" | "old" | "unknown" {
  if (!version) return "unknown";
  if (version.release) return atLeast(version.release, MIN_FFMPEG) ? "ok" : "old";
  if (version.libavformat) return atLeast(version.libavformat, MIN_LIBAVFORMAT) ? "ok" : "old";
  return "unknown";
}

/** How the version is shown: the label, with libavformat's when the label has no release number. */
export function describeFfmpegVersion(version: FfmpegVersion): string {
  if (version.release || !version.libavformat) return version.label;
  return `${version.label} (libavformat ${version.libavformat.major}.${version.libavformat.minor})`;
}

/** The first ffmpeg that reads and writes Enhanced RTMP (HEVC, AV1, VP9 in FLV over RTMP), and its libavformat. */
export const ENHANCED_RTMP_FFMPEG = { major: 6, minor: 1 } as const;
export const ENHANCED_RTMP_LIBAVFORMAT = { major: 60, minor: 16 } as const;

/**
 * Whether this ffmpeg carries HEVC and AV1 from OBS (Enhanced RTMP: ffmpeg 6.1 or newer); undefined when
 * its version could not be read (it is then tried, and its own errors tell).
 */
export function readsEnhancedRtmp(version: FfmpegVersion | null): boolean | undefined {
  if (!version) return undefined;
  if (version.release) return atLeast(version.release, ENHANCED_RTMP_FFMPEG);
  if (version.libavformat) return atLeast(version.libavformat, ENHANCED_RTMP_LIBAVFORMAT);
  return undefined;
}
