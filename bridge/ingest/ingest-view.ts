// What the API, the page and the ingest key see of the ingest: the main stream's figures, and every
// published stream (main first) with its measured keyframe interval. Pure.

import type { IngestStreamView, IngestView } from "../../contract/api.js";
import type { IngestStream } from "./ingest-tracker.js";
import type { StreamFormat } from "../media/stream-format.js";

export interface IngestViewParts {
  /** The published streams, main first (empty: nothing is published). */
  streams: readonly IngestStream[];
  /** A stream's name as the page shows it (ingest.key hidden). */
  label: (name: string) => string;
  /** A stream's keyframe interval as the data plane measured it, in ms. */
  keyframeMs: (name: string) => number | undefined;
  /**
   * A stream's format as the data plane read it from its codec headers: its video codec wins over
   * nginx's stat page, which misnames Enhanced RTMP's (HEVC shows as "Jpeg").
   */
  format?: (name: string) => StreamFormat | undefined;
  /** Why OBS's last publish was refused, while it is shown. */
  hint?: string;
}

/** The ingest's view (without `obs`, the address OBS should use, which the engine adds). */
export function ingestView({ streams, label, keyframeMs, format, hint }: IngestViewParts): IngestView {
  const [main, ...others] = streams;
  if (!main) {
    const offline: IngestView = { live: false, name: "", since: null, bitrateKbps: 0 };
    if (hint !== undefined) offline.hint = hint;
    return offline;
  }
  const mainView = streamView(main, true, label, keyframeMs, format);
  const { main: _main, ...fields } = mainView;
  return { live: true, ...fields, streams: [mainView, ...others.map((stream) => streamView(stream, false, label, keyframeMs, format))] };
}

/** The video codecs the data plane names (`ingest.video.codec`). */
const KNOWN_CODECS = new Set(["h264", "hevc", "av1", "vp9"]);

function streamView(
  stream: IngestStream,
  main: boolean,
  label: IngestViewParts["label"],
  keyframeMs: IngestViewParts["keyframeMs"],
  format: IngestViewParts["format"],
): IngestStreamView {
  const view: IngestStreamView = {
    name: label(stream.name),
    since: new Date(stream.since).toISOString(),
    bitrateKbps: stream.bitrateKbps,
    main,
  };
  const read = format?.(stream.name)?.video;
  if (read && KNOWN_CODECS.has(read.codec)) {
    // Size and rate from the headers where they say them, else from nginx.
    view.video = {
      codec: read.codec,
      width: read.width || stream.video?.width || 0,
      height: read.height || stream.video?.height || 0,
      fps: stream.video?.fps || read.fps,
    };
  } else if (stream.video) view.video = stream.video;
  if (stream.audio) view.audio = stream.audio;
  const interval = keyframeMs(stream.name);
  if (interval) view.keyframeInterval = Math.round(interval / 100) / 10;
  return view;
}
