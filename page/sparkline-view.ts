// A bitrate sparkline on the page: an SVG whose line and area follow a sample series.

import { svg } from "./dom.js";
import { sparklineArea, sparklinePath } from "./sparkline.js";

const WIDTH = 120;
const HEIGHT = 28;
/** Fewest samples the width stands for: the first seconds grow in from the right. */
const MIN_SPAN = 10;

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
      // The history spans the whole width (at least MIN_SPAN samples): two minutes of samples drawn to
      // scale from the first second would leave a few pixels of line for most of that time.
      const span = { capacity: Math.max(values.length, MIN_SPAN) };
      line.setAttribute("d", sparklinePath(values, WIDTH, HEIGHT, span));
      area.setAttribute("d", sparklineArea(values, WIDTH, HEIGHT, span));
    },
  };
}
