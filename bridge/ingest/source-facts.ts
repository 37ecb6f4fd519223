// What the ingest knows of a stream that a destination's relay plans with. Pure.

import type { SourceVideo } from "../../contract/encode.js";

/** The stream a destination reads now, as far as it is known. */
export interface SourceFacts {
  video?: SourceVideo;
  /** The ingest's video codec as its headers say (`h264`, `hevc`, `av1`, `vp9`). */
  codec?: string;
  /** The ingest's whole bitrate, audio included (0: not measured yet). */
  bitrateKbps: number;
}
