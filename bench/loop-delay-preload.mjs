// Loaded into the bridge with `--import` by the benchmark's cost section, never by users: the bridge's
// own event-loop delay over a window the benchmark chooses. The first SIGUSR2 starts Node's histogram
// (a 10 ms timer, so it costs the bridge 100 wakeups a second only while it runs); the next one writes
// what it saw to RELAY_BENCH_LOOP_FILE as one JSON line and stops it. Node's figures include the timer's
// own 10 ms: they are taken off here, so 0 means the loop ran every timer on time.

import { writeFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";

const RESOLUTION_MS = 10;
const file = process.env.RELAY_BENCH_LOOP_FILE;

if (file) {
  let histogram;
  process.on("SIGUSR2", () => {
    if (!histogram) {
      histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
      histogram.enable();
      return;
    }
    histogram.disable();
    const late = (nanoseconds) => Math.max(0, nanoseconds / 1e6 - RESOLUTION_MS);
    const summary = { samples: histogram.count, p50Ms: late(histogram.percentile(50)), p99Ms: late(histogram.percentile(99)), maxMs: late(histogram.max) };
    writeFileSync(file, `${JSON.stringify(summary)}\n`);
    histogram = undefined;
  });
}
