// The toggle-latency chart of the report, as plain SVG (no library, no service): on the left the
// distribution (CDF) of press → platform receiving next to the keyframe wait it cannot beat; on the
// right every start's overhead beyond that wait, per GOP and per ffmpeg variant. Pure.

/** One line of a CDF panel. */
export interface CdfSeries {
  label: string;
  values: readonly number[];
  color: string;
  dashed?: boolean;
}

/** One row of dots in the strip panel. */
export interface StripSeries {
  label: string;
  values: readonly number[];
  color: string;
}

export interface ToggleChartInput {
  title: string;
  cdf: CdfSeries[];
  strips: StripSeries[];
  /** A vertical marker on the strip panel (the 300 ms allowance). */
  stripLimitMs?: number;
}

/** Round tick values covering [0, max]: steps of 1, 2 or 5 × 10^n, about `count` of them. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let value = 0; value <= max + step * 1e-9; value += step) ticks.push(Number(value.toPrecision(12)));
  if (ticks.at(-1)! < max) ticks.push(Number((ticks.at(-1)! + step).toPrecision(12)));
  return ticks;
}

/** Points of the empirical CDF of `values`: a step up of 1/n at each sorted value. */
export function cdfPoints(values: readonly number[]): Array<[number, number]> {
  const sorted = [...values].sort((a, b) => a - b);
  const points: Array<[number, number]> = [];
  sorted.forEach((value, index) => {
    points.push([value, index / sorted.length], [value, (index + 1) / sorted.length]);
  });
  return points;
}

const WIDTH = 1000;
const HEIGHT = 420;
const FONT = "font-family=\"Helvetica, Arial, sans-serif\"";

/** The whole chart, an SVG document. */
export function toggleChart(input: ToggleChartInput): string {
  const left = cdfPanel(input.cdf, { x: 60, y: 50, width: 380, height: 300 });
  const right = stripPanel(input.strips, { x: 700, y: 50, width: 270, height: 300 }, input.stripLimitMs);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" ${FONT} font-size="12">`,
    `<title>${escapeXml(input.title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(input.title)}</text>`,
    left,
    right,
    "</svg>",
    "",
  ].join("\n");
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function cdfPanel(series: CdfSeries[], box: Box): string {
  const max = Math.max(1, ...series.flatMap((one) => one.values));
  const ticks = niceTicks(max);
  const top = ticks.at(-1)!;
  const sx = (value: number) => box.x + (value / top) * box.width;
  const sy = (fraction: number) => box.y + box.height - fraction * box.height;
  const parts: string[] = [frame(box)];
  for (const tick of ticks) {
    parts.push(`<line x1="${f(sx(tick))}" y1="${box.y}" x2="${f(sx(tick))}" y2="${box.y + box.height}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${f(sx(tick))}" y="${box.y + box.height + 16}" text-anchor="middle">${tick}</text>`);
  }
  for (const fraction of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${box.x}" y1="${f(sy(fraction))}" x2="${box.x + box.width}" y2="${f(sy(fraction))}" stroke="#eeeeee"/>`);
    parts.push(`<text x="${box.x - 6}" y="${f(sy(fraction) + 4)}" text-anchor="end">${fraction * 100}%</text>`);
  }
  parts.push(`<line x1="${box.x}" y1="${f(sy(0.95))}" x2="${box.x + box.width}" y2="${f(sy(0.95))}" stroke="#bbbbbb" stroke-dasharray="2 3"/>`);
  parts.push(`<text x="${box.x + box.width + 4}" y="${f(sy(0.95) + 4)}" fill="#888888">p95</text>`);
  parts.push(`<text x="${box.x + box.width / 2}" y="${box.y + box.height + 36}" text-anchor="middle">ms after the press</text>`);
  parts.push(`<text x="${box.x + box.width / 2}" y="${box.y - 10}" text-anchor="middle" font-weight="bold">Press → platform receiving (CDF)</text>`);
  for (const one of series) {
    if (one.values.length === 0) continue;
    const points = cdfPoints(one.values).map(([x, y]) => `${f(sx(x))},${f(sy(y))}`).join(" ");
    parts.push(`<polyline points="${points}" fill="none" stroke="${one.color}" stroke-width="2"${one.dashed ? ' stroke-dasharray="5 4"' : ""}/>`);
  }
  // The legend sits bottom right, where a CDF has the least line, over a light backing.
  const legendHeight = series.length * 16 + 6;
  const lx = box.x + box.width - 200;
  parts.push(`<rect x="${lx - 6}" y="${box.y + box.height - legendHeight - 8}" width="202" height="${legendHeight}" fill="#ffffff" fill-opacity="0.85"/>`);
  series.forEach((one, index) => {
    const ly = box.y + box.height - 10 - (series.length - 1 - index) * 16;
    parts.push(`<line x1="${lx}" y1="${ly - 4}" x2="${lx + 20}" y2="${ly - 4}" stroke="${one.color}" stroke-width="2"${one.dashed ? ' stroke-dasharray="5 4"' : ""}/>`);
    parts.push(`<text x="${lx + 24}" y="${ly}">${escapeXml(one.label)}</text>`);
  });
  return parts.join("\n");
}

function stripPanel(series: StripSeries[], box: Box, limit?: number): string {
  const max = Math.max(1, limit ?? 0, ...series.flatMap((one) => one.values));
  const ticks = niceTicks(max, 4);
  const top = ticks.at(-1)!;
  const sx = (value: number) => box.x + (Math.max(0, value) / top) * box.width;
  const row = series.length > 0 ? box.height / series.length : box.height;
  const parts: string[] = [frame(box)];
  for (const tick of ticks) {
    parts.push(`<line x1="${f(sx(tick))}" y1="${box.y}" x2="${f(sx(tick))}" y2="${box.y + box.height}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${f(sx(tick))}" y="${box.y + box.height + 16}" text-anchor="middle">${tick}</text>`);
  }
  if (limit !== undefined) {
    parts.push(`<line x1="${f(sx(limit))}" y1="${box.y}" x2="${f(sx(limit))}" y2="${box.y + box.height}" stroke="#d33" stroke-dasharray="4 3"/>`);
    parts.push(`<text x="${f(sx(limit) + 3)}" y="${box.y + 12}" fill="#d33">${limit} ms</text>`);
  }
  parts.push(`<text x="${box.x + box.width / 2}" y="${box.y + box.height + 36}" text-anchor="middle">ms after the keyframe reached the ingest</text>`);
  parts.push(`<text x="${box.x + box.width / 2}" y="${box.y - 10}" text-anchor="middle" font-weight="bold">Overhead beyond the keyframe wait</text>`);
  series.forEach((one, index) => {
    const cy = box.y + row * (index + 0.5);
    parts.push(`<text x="${box.x - 6}" y="${f(cy + 4)}" text-anchor="end">${escapeXml(one.label)}</text>`);
    one.values.forEach((value, k) => {
      // A small vertical spread keeps equal values visible.
      const jitter = ((k % 7) - 3) * Math.min(3, row / 10);
      parts.push(`<circle cx="${f(sx(value))}" cy="${f(cy + jitter)}" r="3" fill="${one.color}" fill-opacity="0.6"/>`);
    });
  });
  return parts.join("\n");
}

function frame(box: Box): string {
  return `<rect x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" fill="none" stroke="#999999"/>`;
}

function f(value: number): string {
  return value.toFixed(1);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
