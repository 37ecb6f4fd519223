// The health graph's drawing, pure: a series of the bridge's history (GET /api/history) placed on a
// time axis ending now, its bitrate scaled to a round top value with labelled ticks, its frame rate on
// a scale of its own, and the sample nearest a pointer for the value on hover.

import type { HistorySeries } from "../contract/api.js";

/** The drawing area, in the SVG's units. */
export interface GraphBox {
  width: number;
  height: number;
}

export interface GraphDrawing {
  /** SVG path of the bitrate line ("" when there is no sample in the window). */
  kbpsLine: string;
  /** The same closed to the baseline, for the area under it. */
  kbpsArea: string;
  /** SVG path of the frame rate (its own scale: `fpsTop` at the top). */
  fpsLine: string;
  /** The bitrate axis' top value (kbit/s) and its ticks (value, y). */
  kbpsTop: number;
  kbpsTicks: Array<{ kbps: number; y: number }>;
  fpsTop: number;
  /** The time axis' ticks: minutes before now, and x. */
  timeTicks: Array<{ minutesAgo: number; x: number }>;
  /** Whether anything but zero was sent in the window. */
  flat: boolean;
}

/** A round top for the bitrate axis: 1, 2 or 5 × a power of ten, at or above `peak` (at least 1000 kb/s). */
export function niceTop(peak: number, least = 1000): number {
  const target = Math.max(peak, least);
  const power = 10 ** Math.floor(Math.log10(target));
  for (const step of [1, 2, 5, 10]) if (step * power >= target) return step * power;
  return 10 * power;
}

/** Places `series` between `now - spanMs` (x = 0) and `now` (x = width). */
export function drawGraph(series: HistorySeries, now: number, spanMs: number, box: GraphBox): GraphDrawing {
  const from = now - spanMs;
  const indexes = series.at.map((_, index) => index).filter((index) => series.at[index]! >= from && series.at[index]! <= now);
  const x = (at: number) => round(((at - from) / spanMs) * box.width);
  const peak = Math.max(0, ...indexes.map((index) => series.kbps[index]!));
  const kbpsTop = niceTop(peak);
  const fpsTop = Math.max(30, Math.ceil(Math.max(0, ...indexes.map((index) => series.fps[index]!)) / 30) * 30);
  const y = (value: number, top: number) => round(box.height - (Math.min(value, top) / top) * box.height);
  const path = (values: number[], top: number) => (indexes.length === 0 ? "" : `M${indexes.map((index) => `${x(series.at[index]!)},${y(values[index]!, top)}`).join("L")}`);
  const kbpsLine = path(series.kbps, kbpsTop);
  const first = indexes[0];
  const last = indexes.at(-1);
  const kbpsArea =
    first === undefined || last === undefined ? "" : `${kbpsLine}L${x(series.at[last]!)},${box.height}L${x(series.at[first]!)},${box.height}Z`;
  const minutes = spanMs / 60_000;
  const step = minutes > 20 ? 10 : minutes > 5 ? 5 : 1;
  const timeTicks: GraphDrawing["timeTicks"] = [];
  for (let ago = 0; ago <= minutes; ago += step) timeTicks.push({ minutesAgo: ago, x: round(box.width - (ago / minutes) * box.width) });
  return {
    kbpsLine,
    kbpsArea,
    fpsLine: path(series.fps, fpsTop),
    kbpsTop,
    kbpsTicks: [0, 0.5, 1].map((share) => ({ kbps: kbpsTop * share, y: round(box.height - share * box.height) })),
    fpsTop,
    timeTicks,
    flat: !indexes.some((index) => series.kbps[index]! > 0),
  };
}

/** The index of the sample nearest `x` (0…width) in the window, or null when none is in it. */
export function sampleAt(series: HistorySeries, now: number, spanMs: number, width: number, x: number): number | null {
  const at = now - spanMs + (Math.min(Math.max(x, 0), width) / width) * spanMs;
  let best: number | null = null;
  series.at.forEach((sampleAt, index) => {
    if (sampleAt < now - spanMs || sampleAt > now) return;
    if (best === null || Math.abs(sampleAt - at) < Math.abs(series.at[best]! - at)) best = index;
  });
  return best;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
