// Bitrate sparklines: a bounded history of samples per series and the SVG path that draws it.
// Pure, so the drawing can be checked without a browser.

/** Samples kept per series: two minutes at one status per second. */
export const SPARKLINE_SAMPLES = 120;

/** Appends `value` to `series`, dropping the oldest beyond `limit`; answers a new array. */
export function pushSample(series: readonly number[], value: number, limit = SPARKLINE_SAMPLES): number[] {
  const next = [...series, Number.isFinite(value) && value > 0 ? value : 0];
  return next.length > limit ? next.slice(next.length - limit) : next;
}

/**
 * An SVG path (`d`) drawing `values` left to right across `width`×`height`, the largest value (or
 * `max`, when larger) touching the top. The newest sample sits at the right edge and the line
 * always spans the full window, so a short history grows in from the right like a chart recorder.
 */
export function sparklinePath(values: readonly number[], width: number, height: number, options: { max?: number; capacity?: number } = {}): string {
  if (values.length === 0) return "";
  const capacity = Math.max(options.capacity ?? SPARKLINE_SAMPLES, values.length, 2);
  const peak = Math.max(options.max ?? 0, ...values);
  const step = width / (capacity - 1);
  const firstX = width - step * (values.length - 1);
  const y = (value: number) => (peak > 0 ? height - (value / peak) * height : height);
  const points = values.map((value, index) => `${round(firstX + step * index)},${round(y(value))}`);
  if (points.length === 1) points.push(`${round(width)},${round(y(values[0]!))}`);
  return `M${points.join("L")}`;
}

/** The same line closed down to the baseline, for a filled area under it. */
export function sparklineArea(values: readonly number[], width: number, height: number, options: { max?: number; capacity?: number } = {}): string {
  const line = sparklinePath(values, width, height, options);
  if (line === "") return "";
  const firstX = line.slice(1, line.indexOf(","));
  return `${line}L${round(width)},${round(height)}L${firstX},${round(height)}Z`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Series id of the ingest's bitrate in a sample book (destination ids are slugs, so no clash). */
export const INGEST_SERIES = "@ingest";

/** Adds one bitrate sample per series (ingest and every destination) and forgets removed ones. */
export function recordSamples(
  book: ReadonlyMap<string, readonly number[]>,
  status: { ingest: { bitrateKbps: number; live: boolean }; destinations: ReadonlyArray<{ id: string; bitrateKbps: number; state: string }> },
  limit = SPARKLINE_SAMPLES,
): Map<string, number[]> {
  const next = new Map<string, number[]>();
  next.set(INGEST_SERIES, pushSample(book.get(INGEST_SERIES) ?? [], status.ingest.live ? status.ingest.bitrateKbps : 0, limit));
  for (const destination of status.destinations) {
    const flowing = destination.state === "live" || destination.state === "starting";
    next.set(destination.id, pushSample(book.get(destination.id) ?? [], flowing ? destination.bitrateKbps : 0, limit));
  }
  return next;
}
