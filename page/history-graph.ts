// A labelled health graph on the page: the last 30 minutes of a bitrate (line and area) and frame rate
// (dashed, its own scale), with a bitrate axis, a time axis and the value under the pointer. The
// samples are the bridge's (GET /api/history), so the graph survives a reload or a language switch.

import type { HistorySeries } from "../contract/api.js";
import { formatBitrate, formatFps } from "../presentation/format.js";
import { h, setAttr, setText, svg } from "./dom.js";
import { drawGraph, sampleAt } from "./history-graph-model.js";
import { pageLang, tr } from "./page-language.js";

const WIDTH = 300;
const HEIGHT = 60;

export interface HistoryGraph {
  element: HTMLElement;
  update(series: HistorySeries | undefined, now: number, spanMs: number): void;
}

/** A graph named `name` (its card's or the ingest's), for screen readers and the hover readout. */
export function createHistoryGraph(name: string): HistoryGraph {
  const area = svg("path", { class: "graph-area" });
  const line = svg("path", { class: "graph-line" });
  const fps = svg("path", { class: "graph-fps" });
  const grid = svg("g", { class: "graph-grid" });
  const marker = svg("line", { class: "graph-marker", y1: 0, y2: HEIGHT, visibility: "hidden" });
  const plot = svg("svg", { class: "graph-plot", viewBox: `0 0 ${WIDTH} ${HEIGHT}`, preserveAspectRatio: "none", "aria-hidden": "true", focusable: "false" }, grid, area, line, fps, marker);
  const top = h("span", { class: "graph-top" });
  const middle = h("span", { class: "graph-middle" });
  const left = h("span", { class: "graph-from" });
  const right = h("span", { class: "graph-now" });
  const readout = h("p", { class: "graph-readout", "aria-live": "off" });
  const caption = h("p", { class: "graph-caption" });
  const element = h(
    "figure",
    { class: "history-graph", role: "img" },
    h("div", { class: "graph-body" }, h("div", { class: "graph-y" }, top, middle, h("span", {}, "0")), plot),
    h("div", { class: "graph-x" }, left, right),
    caption,
    readout,
  );
  let shown: { series: HistorySeries; now: number; spanMs: number } | undefined;

  const showAt = (clientX: number) => {
    if (!shown) return;
    const bounds = plot.getBoundingClientRect();
    if (bounds.width === 0) return;
    const x = ((clientX - bounds.left) / bounds.width) * WIDTH;
    const index = sampleAt(shown.series, shown.now, shown.spanMs, WIDTH, x);
    if (index === null) return;
    const at = shown.series.at[index]!;
    const markerX = String(((at - (shown.now - shown.spanMs)) / shown.spanMs) * WIDTH);
    setAttr(marker, "x1", markerX);
    setAttr(marker, "x2", markerX);
    setAttr(marker, "visibility", "visible");
    const lang = pageLang();
    const time = new Date(at).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
    setText(readout, tr("page.graph.point", { time, bitrate: formatBitrate(shown.series.kbps[index]!, lang), fps: formatFps(shown.series.fps[index]!, lang) }));
  };
  plot.addEventListener("pointermove", (event) => showAt(event.clientX));
  plot.addEventListener("pointerleave", () => {
    setAttr(marker, "visibility", "hidden");
    setText(readout, "");
  });

  return {
    element,
    update(series, now, spanMs) {
      const empty: HistorySeries = { at: [], kbps: [], fps: [] };
      const drawing = drawGraph(series ?? empty, now, spanMs, { width: WIDTH, height: HEIGHT });
      shown = { series: series ?? empty, now, spanMs };
      const lang = pageLang();
      const minutes = Math.round(spanMs / 60_000);
      setAttr(element, "data-flat", String(drawing.flat));
      setAttr(element, "aria-label", `${name}: ${tr("page.graph.label", { what: `${tr("page.graph.bitrate")}, ${tr("page.graph.fps")}`, minutes })}`);
      setText(caption, tr("page.graph.label", { what: `${tr("page.graph.bitrate")} (—), ${tr("page.graph.fps")} (- -, ${drawing.fpsTop} max)`, minutes }));
      setText(top, formatBitrate(drawing.kbpsTop, lang));
      setText(middle, formatBitrate(drawing.kbpsTop / 2, lang));
      setText(left, tr("page.graph.ago", { minutes }));
      setText(right, tr("page.graph.now"));
      line.setAttribute("d", drawing.kbpsLine);
      area.setAttribute("d", drawing.kbpsArea);
      fps.setAttribute("d", drawing.fpsLine);
      grid.replaceChildren(
        ...drawing.kbpsTicks.map((tick) => svg("line", { x1: 0, x2: WIDTH, y1: tick.y, y2: tick.y })),
        ...drawing.timeTicks.map((tick) => svg("line", { x1: tick.x, x2: tick.x, y1: 0, y2: HEIGHT })),
      );
    },
  };
}
