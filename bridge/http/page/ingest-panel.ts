// The ingest panel: is OBS sending, at what bitrate, in what format.

import type { IngestView } from "../../shared/api.js";
import { setAttr, setText } from "./dom.js";
import { formatBitrate, formatMedia, formatSince } from "./format.js";
import { createSparkline } from "./sparkline-view.js";

export interface IngestPanel {
  update(ingest: IngestView, history: readonly number[], now: number): void;
}

/** Fills the `#ingest` section of index.html. */
export function mountIngestPanel(root: HTMLElement): IngestPanel {
  const badge = root.querySelector<HTMLElement>(".badge")!;
  const name = root.querySelector<HTMLElement>(".ingest-name")!;
  const bitrate = root.querySelector<HTMLElement>(".bitrate")!;
  const media = root.querySelector<HTMLElement>(".media")!;
  const uptime = root.querySelector<HTMLElement>(".uptime")!;
  const sparkline = createSparkline();
  root.querySelector(".spark-slot")!.append(sparkline.element);

  return {
    update(ingest, history, now) {
      setAttr(root, "data-live", String(ingest.live));
      setAttr(badge, "data-state", ingest.live ? "live" : "off");
      setText(badge, ingest.live ? "LIVE" : "OFFLINE");
      setText(name, ingest.live ? `Stream “${ingest.name}”` : (ingest.hint ?? "Waiting for OBS to start streaming"));
      setText(bitrate, ingest.live ? formatBitrate(ingest.bitrateKbps) : "—");
      setText(media, ingest.live ? formatMedia(ingest) : "");
      setText(uptime, ingest.live ? formatSince(ingest.since, now) : "");
      sparkline.update(history);
    },
  };
}
