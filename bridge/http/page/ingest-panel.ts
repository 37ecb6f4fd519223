// The ingest panel: is OBS sending, at what bitrate, in what format.

import type { IngestView } from "../../shared/api.js";
import { setAttr, setText } from "./dom.js";
import { describeKeyframes, formatBitrate, formatMedia, formatSince } from "./format.js";
import { createSparkline } from "./sparkline-view.js";

export interface IngestPanel {
  /** `obsOutputMode`: OBS's output mode when OBS is connected (says where its keyframe setting is). */
  update(ingest: IngestView, history: readonly number[], now: number, obsOutputMode?: "Simple" | "Advanced"): void;
}

/** Fills the `#ingest` section of index.html. */
export function mountIngestPanel(root: HTMLElement): IngestPanel {
  const badge = root.querySelector<HTMLElement>(".badge")!;
  const name = root.querySelector<HTMLElement>(".ingest-name")!;
  const bitrate = root.querySelector<HTMLElement>(".bitrate")!;
  const media = root.querySelector<HTMLElement>(".media")!;
  const uptime = root.querySelector<HTMLElement>(".uptime")!;
  const keyframes = root.querySelector<HTMLElement>(".keyframes")!;
  const otherStreams = root.querySelector<HTMLElement>(".other-streams")!;
  const sparkline = createSparkline();
  root.querySelector(".spark-slot")!.append(sparkline.element);

  return {
    update(ingest, history, now, obsOutputMode) {
      setAttr(root, "data-live", String(ingest.live));
      setAttr(badge, "data-state", ingest.live ? "live" : "off");
      setText(badge, ingest.live ? "LIVE" : "OFFLINE");
      setText(name, ingest.live ? `Stream “${ingest.name}”` : "Waiting for OBS to start streaming");
      setText(bitrate, ingest.live ? formatBitrate(ingest.bitrateKbps) : "—");
      setText(media, ingest.live ? formatMedia(ingest) : "");
      setText(uptime, ingest.live ? formatSince(ingest.since, now) : "");
      const keyframeNote = ingest.live ? describeKeyframes(ingest.keyframeInterval, obsOutputMode) : null;
      keyframes.hidden = keyframeNote === null;
      setText(keyframes, keyframeNote?.text ?? "");
      setAttr(keyframes, "data-warn", String(keyframeNote?.warn ?? false));
      const others = (ingest.streams ?? []).filter((stream) => !stream.main).map((stream) => `“${stream.name}”`);
      otherStreams.hidden = others.length === 0;
      setText(otherStreams, others.length === 0 ? "" : `Also publishing: ${others.join(", ")} (destinations relay “${ingest.name}” unless they name another source)`);
      sparkline.update(history);
    },
  };
}
