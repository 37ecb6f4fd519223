// Key PNGs asked of the bridge from a process of its own, as Companion (or any control surface) asks
// from its own: the benchmark's event loop, where autocannon times the API's answers, stays free of
// them. Started by relay-cost.ts (startKeyPngLoader); it says "ready" on stdout, starts on "go" from
// stdin, and when its time is up prints one JSON line: how many PNGs were answered and not given, and
// the answer times' median and p99.
//
//   node --import tsx key-png-load.ts '{"url":"http://127.0.0.1:PORT","token":"","ids":["a"],"pace":"companion","ms":10000}'

import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { performance } from "node:perf_hooks";
import { COMPANION_KEY_PERIOD_MS, COMPANION_KEY_SIZE, type KeyPngLoaderJob, type KeyPngSummary } from "./key-png-pace.js";
import { percentile } from "./stats.js";

const job = JSON.parse(process.argv[2] ?? "{}") as KeyPngLoaderJob;
const headers: Record<string, string> = job.token ? { authorization: `Bearer ${job.token}` } : {};
const times: number[] = [];
/** PNGs not given: an error status, or no answer at all. */
let errors = 0;

async function fetchKey(id: string, size: number): Promise<void> {
  const started = performance.now();
  try {
    const response = await fetch(`${job.url}/api/destinations/${encodeURIComponent(id)}/key.png?size=${size}`, { headers });
    await response.arrayBuffer();
    if (response.ok) times.push(performance.now() - started);
    else errors += 1;
  } catch {
    errors += 1;
  }
}

/** Every key at once, twice a second, at Companion's button size. */
async function companionPace(end: number): Promise<void> {
  while (performance.now() < end) {
    const round = performance.now();
    await Promise.all(job.ids.map((id) => fetchKey(id, COMPANION_KEY_SIZE)));
    await sleep(Math.max(0, round + COMPANION_KEY_PERIOD_MS - performance.now()));
  }
}

/** One after another as fast as answered, both Stream Deck sizes in turn (so renderings are rarely cached). */
async function backToBack(end: number): Promise<void> {
  for (let index = 0; performance.now() < end; index += 1) {
    await fetchKey(job.ids[index % job.ids.length]!, Math.floor(index / job.ids.length) % 2 === 0 ? 144 : 72);
  }
}

// A control surface that asks for keys all the time keeps the bridge's renderer running: start it
// (about a second) before the window, which is the steady state.
await Promise.all(job.ids.map((id) => fetchKey(id, job.pace === "companion" ? COMPANION_KEY_SIZE : 72)));
times.length = 0;
errors = 0;
process.stdout.write("ready\n");
process.stdin.setEncoding("utf8");
let input = "";
while (!input.includes("go")) input += ((await once(process.stdin, "data")) as [string])[0];
const end = performance.now() + job.ms;
await (job.pace === "companion" ? companionPace(end) : backToBack(end));
const summary: KeyPngSummary = { answered: times.length, errors, medianMs: percentile(times, 50), p99Ms: percentile(times, 99) };
// Exits once the line is written (a pipe's write can still be under way when write returns).
process.stdout.write(`${JSON.stringify(summary)}\n`, () => process.exit(0));
