// `npm run demo`: Relay working end to end with no OBS and no accounts. The real bridge, an ffmpeg
// test pattern standing in for OBS, and three local nginx-rtmp "platforms" to switch on and off
// from the status page, the Stream Deck or curl. Ctrl-C stops every program and removes the
// demo's temp folder; the streamer's own config is never read or written.

import { parseArgs } from "node:util";
import { startDemo, DEMO_STREAM_NAME, type Demo } from "./lib/demo-setup.js";

const USAGE = `Usage: npm run demo [-- --port PORT] [-- --no-obs]

  --port PORT   port of the demo bridge (e.g. 8787, the Stream Deck plugin's default); free one otherwise
  --no-obs      no test pattern: stream into the demo's ingest from your own OBS instead`;

function parseOptions(argv: string[]): { port?: number; obs: boolean; help: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: "string" }, "no-obs": { type: "boolean" }, help: { type: "boolean", short: "h" } },
    strict: true,
  });
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new Error(`--port must be a port from 1 to 65535 (got "${values.port}")`);
  }
  return { port, obs: !values["no-obs"], help: values.help ?? false };
}

/** Program output, shortened: the time of day instead of the full ISO date the bridge logs with. */
function printLine(source: string, line: string): void {
  const short = line.replace(/^\d{4}-\d\d-\d\dT(\d\d:\d\d:\d\d)\.\d+Z /, "$1 ");
  process.stdout.write(`  ${source.padEnd(16)}│ ${short}\n`);
}

function describe(demo: Demo, obs: boolean): string {
  const width = Math.max(...demo.platforms.map(({ destination }) => destination.name.length));
  const platforms = demo.platforms.map(
    ({ destination, platform }, index) =>
      `${index === 0 ? "  Demo platforms:  " : "                   "}${destination.name.padEnd(width)}  ${platform.url}  (${destination.enabled ? "on" : "off"} at start)`,
  );
  const source = obs
    ? `  OBS stand-in:    test pattern with a tone, keyframe every 2 s → ${demo.ingestUrl} (stream "${DEMO_STREAM_NAME}")`
    : `  OBS:             Settings → Stream → Custom…, Server ${demo.ingestUrl}, any stream key`;
  const first = demo.platforms.find(({ destination }) => !destination.enabled)?.destination.id ?? "youtube";
  return [
    "",
    "Relay demo is running: the real bridge, nginx and ffmpeg, with local stand-ins for OBS and the platforms.",
    "",
    `  Status page:     ${demo.pageUrl}`,
    `  Bridge URL:      ${demo.bridgeUrl}   (Stream Deck plugin: Bridge URL, no token; Companion: Base URL)`,
    source,
    ...platforms,
    `  Demo files:      ${demo.dir}   (removed when the demo stops)`,
    "",
    "Switch platforms on and off on the status page, with Stream Deck keys, or from a terminal:",
    `  curl -X POST ${demo.bridgeUrl}/api/destinations/${first}/toggle`,
    "",
    "Ctrl-C stops everything.",
    "",
  ].join("\n");
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  let demo: Demo | undefined;
  let signalled: string | undefined;
  let wake: () => void = () => undefined;
  const signalledPromise = new Promise<void>((resolve) => (wake = resolve));
  const onSignal = (signal: string) => {
    if (signalled) return;
    signalled = signal;
    process.stdout.write(`\n${signal}: stopping the demo…\n`);
    wake();
  };
  // A terminal's Ctrl-C reaches the demo (its programs run in their own process groups): it stops each in turn.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => onSignal(signal));

  try {
    demo = await startDemo({ bridgePort: options.port, obs: options.obs, log: printLine });
  } catch (error) {
    process.stderr.write(`The demo could not start: ${(error as Error).message}\n`);
    return 1;
  }
  if (!signalled) process.stdout.write(describe(demo, options.obs));

  const crashed = demo.bridgeExited.then((code) => (signalled ? undefined : code));
  const bridgeCode = await Promise.race([signalledPromise.then(() => undefined), crashed]);
  if (bridgeCode !== undefined) process.stderr.write(`The bridge stopped by itself (exit code ${bridgeCode}): stopping the demo.\n`);
  const dir = demo.dir;
  await demo.stop();
  process.stdout.write(`Demo stopped: every program it started has ended and ${dir} is removed.\n`);
  return bridgeCode === undefined ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demo: ${(error as Error)?.message ?? String(error)}\n`);
    process.exit(1);
  },
);
