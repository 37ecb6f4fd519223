// The ingest panel: is OBS sending, at what bitrate, in what format, and the address to put in OBS.

import type { IngestView } from "../contract/api.js";
import { h, setAttr, setText } from "./dom.js";
import { formatBitrate, formatMedia, formatSince } from "../presentation/format.js";
import { describeKeyframes } from "./describe.js";
import { pageLang, tr } from "./page-language.js";
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
  const obsBox = root.querySelector<HTMLElement>(".obs-address")!;
  const obsServers = root.querySelector<HTMLElement>(".obs-servers")!;
  const obsKey = root.querySelector<HTMLElement>(".obs-key")!;
  let shownServers = "";

  return {
    update(ingest, history, now, obsOutputMode) {
      setAttr(root, "data-live", String(ingest.live));
      setAttr(badge, "data-state", ingest.live ? "live" : "off");
      const lang = pageLang();
      setText(badge, tr(ingest.live ? "page.ingest.live" : "page.ingest.offline"));
      setText(name, ingest.live ? tr("page.ingest.stream", { name: ingest.name }) : (ingest.hint ?? tr("page.ingest.waitingObs")));
      setText(bitrate, ingest.live ? formatBitrate(ingest.bitrateKbps, lang) : "—");
      setText(media, ingest.live ? formatMedia(ingest, lang) : "");
      setText(uptime, ingest.live ? formatSince(ingest.since, now) : "");
      const keyframeNote = ingest.live ? describeKeyframes(ingest.keyframeInterval, obsOutputMode, lang) : null;
      keyframes.hidden = keyframeNote === null;
      setText(keyframes, keyframeNote?.text ?? "");
      setAttr(keyframes, "data-warn", String(keyframeNote?.warn ?? false));
      const quote = (text: string) => (lang === "fr" ? `« ${text} »` : `“${text}”`);
      const others = (ingest.streams ?? []).filter((stream) => !stream.main).map((stream) => quote(stream.name));
      otherStreams.hidden = others.length === 0;
      setText(otherStreams, others.length === 0 ? "" : tr("page.ingest.others", { streams: others.join(", "), name: ingest.name }));
      sparkline.update(history);
      obsBox.hidden = !ingest.obs;
      if (!ingest.obs) return;
      // Rebuilt only when the addresses change, so a "Copied" label and the focus survive updates.
      const servers = JSON.stringify(ingest.obs.servers);
      if (servers !== shownServers) {
        shownServers = servers;
        obsServers.replaceChildren(...ingest.obs.servers.map((url, index) => serverRow(url, tr(index === 0 ? "page.ingest.thisComputer" : "page.ingest.otherComputer"))));
      }
      setText(
        obsKey,
        tr(ingest.obs.keyRequired ? "page.ingest.keyRequired" : "page.ingest.keyAny"),
      );
    },
  };
}

/** One server URL with a button that copies it. */
function serverRow(url: string, where: string): HTMLElement {
  const code = h("code", { class: "obs-server" }, url);
  const copy = h("button", { type: "button", class: "copy", "aria-label": tr("page.copy.label", { text: url }) }, tr("page.copy"));
  copy.addEventListener("click", async () => {
    setText(copy, tr((await copyText(url, code)) ? "page.copied" : "page.copy.select"));
    setTimeout(() => setText(copy, tr("page.copy")), 2000);
  });
  return h("li", {}, code, " ", copy, h("span", { class: "obs-where" }, ` (${where})`));
}

/** Copies `text`; without the clipboard API (a page over plain HTTP on the LAN) selects it for Ctrl-C. */
async function copyText(text: string, shown: HTMLElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const range = document.createRange();
    range.selectNodeContents(shown);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    return false;
  }
}
