// A bitrate sparkline on the page: an SVG whose line and area follow a sample series.

import { svg } from "./dom.js";
import { sparklineArea, sparklinePath } from "./sparkline.js";

const WIDTH = 120;
const HEIGHT = 28;

export interface SparklineView {
  element: SVGSVGElement;
  update(values: readonly number[]): void;
}

/** A decorative sparkline (the number beside it is what assistive technology reads). */
export function createSparkline(): SparklineView {
  const area = svg("path", { class: "spark-area" });
  const line = svg("path", { class: "spark-line" });
  const element = svg(
    "svg",
    { class: "sparkline", viewBox: `0 0 ${WIDTH} ${HEIGHT}`, preserveAspectRatio: "none", "aria-hidden": "true", focusable: "false" },
    area,
    line,
  );
  return {
    element,
    update(values) {
      // A flat zero line only says "nothing", which the figure beside it already does.
      element.setAttribute("data-flat", String(!values.some((value) => value > 0)));
      line.setAttribute("d", sparklinePath(values, WIDTH, HEIGHT));
      area.setAttribute("d", sparklineArea(values, WIDTH, HEIGHT));
    },
  };
}
