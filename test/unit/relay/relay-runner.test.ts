// The relay runner on a fake ffmpeg (a fake spawn) and fake timers: the lifecycle's effects carried
// out, progress read, the stall watchdog, stops, failure explanations and change notices.

import type { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RelayRunner, type RelayRunnerOptions } from "../../../bridge/relay/relay-runner.js";
import { buildRelayArgs } from "../../../bridge/ffmpeg/relay-args.js";
import { backoffDelay, type BackoffPolicy } from "../../../bridge/process/backoff.js";
import { stallMessage } from "../../../bridge/ffmpeg/relay-program.js";
import { CONFIRM_MS } from "../../../bridge/relay/lifecycle.js";
import { realClock } from "../../../bridge/process/clock.js";
import { fakeSpawn, memoryLogger, type FakeChild } from "../process/fake-spawn.js";

const KEY = "live_8f3k2secret";
const BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 30_000, factor: 2, jitter: 0.2 };
const STALL_MS = 4_000;
const START = Date.UTC(2026, 10, 30, 12, 0, 0);

function setUp(options: Partial<RelayRunnerOptions> = {}) {
  const fake = fakeSpawn();
  const log = memoryLogger();
  const changes: string[] = [];
  const processes: string[] = [];
  const inputs: Array<Writable | "detached"> = [];
  const runner = new RelayRunner({
    id: "yt",
    enabled: false,
    ingestLive: true,
    plan: async () => ({ command: "ffmpeg", args: buildRelayArgs({ outputUrl: `rtmp://127.0.0.1:1935/app/${KEY}` }) }),
    redact: (text) => text.replaceAll(KEY, "***"),
    log,
    onChange: (changed) => changes.push(`${changed.context.state} ${changed.bitrateKbps} ${changed.fps}`),
    pids: { record: (label, _program, pid) => processes.push(`start ${pid} ${label}`), release: (label, pid) => processes.push(`end ${pid} ${label}`) },
    policy: () => ({ backoff: BACKOFF, maxFailures: 3, stallMs: STALL_MS }),
    attachInput: (stdin) => inputs.push(stdin),
    detachInput: () => inputs.push("detached"),
    spawn: fake.spawn,
    random: () => 0.5,
    ...options,
  });
  return { fake, log, changes, processes, inputs, runner };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

/** ffmpeg's `-progress` block on stdout. */
function progress(child: FakeChild, block: { frame: number; totalSize: number; outTimeUs: number; fps?: number }): void {
  child.print(`frame=${block.frame}`, "stdout");
  child.print(`fps=${block.fps ?? 30}`, "stdout");
  child.print(`total_size=${block.totalSize}`, "stdout");
  child.print(`out_time_us=${block.outTimeUs}`, "stdout");
  child.print("progress=continue", "stdout");
}

/** Enables the relay and feeds it progress until it is live; returns its ffmpeg. */
async function goLive(runner: RelayRunner, fake: ReturnType<typeof fakeSpawn>): Promise<FakeChild> {
  runner.dispatch({ type: "enable" });
  await flush();
  const child = fake.last;
  progress(child, { frame: 0, totalSize: 540, outTimeUs: 0 });
  progress(child, { frame: 15, totalSize: 125_000, outTimeUs: 500_000 });
  await vi.advanceTimersByTimeAsync(CONFIRM_MS + 100);
  progress(child, { frame: 30, totalSize: 250_000, outTimeUs: 1_000_000 });
  expect(runner.context.state).toBe("live");
  return child;
}

describe("RelayRunner", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(START);
  });
  afterEach(() => void vi.useRealTimers());

  it("enable → spawns ffmpeg fed on stdin → progress → live, with its numbers", async () => {
    const { fake, runner, inputs, processes } = setUp();
    runner.dispatch({ type: "enable" });
    expect(runner.context.state).toBe("starting");
    await flush();
    expect(fake.children).toHaveLength(1);
    const child = fake.last;
    expect(child.options.command).toBe("ffmpeg");
    expect(child.options.args).toContain("pipe:0");
    expect(inputs).toEqual([child.stdin]);
    expect(processes).toEqual(["start 4000 relay-yt"]);
    expect(runner.pid).toBe(4000);
    // Header only: not media yet.
    progress(child, { frame: 0, totalSize: 540, outTimeUs: 0 });
    expect(runner.context.mediaSince).toBeNull();
    progress(child, { frame: 15, totalSize: 125_000, outTimeUs: 500_000 });
    expect(runner.context).toMatchObject({ state: "starting", mediaSince: START });
    await vi.advanceTimersByTimeAsync(CONFIRM_MS + 100);
    // ffmpeg's own fps counts the start's cached burst against real time: not what is shown.
    progress(child, { frame: 30, totalSize: 250_000, outTimeUs: 1_000_000, fps: 43.6 });
    expect(runner.context.state).toBe("live");
    // 125 000 bytes in 0.5 s of media: 2000 kbit/s; 30 frames in 1 s of media: 30 fps.
    expect(runner.bitrateKbps).toBe(2_000);
    expect(runner.fps).toBe(30);
    expect(runner.sentBytes).toBe(250_000);
  });

  it("waits for the ingest, and starts when it comes", async () => {
    const { fake, runner } = setUp({ ingestLive: false, enabled: true });
    expect(runner.context.state).toBe("waiting");
    await flush();
    expect(fake.children).toHaveLength(0);
    runner.dispatch({ type: "ingestUp" });
    await flush();
    expect(fake.children).toHaveLength(1);
  });

  it("an exit → retrying with the delay from the policy, then starts again", async () => {
    const { fake, runner, inputs, processes } = setUp();
    const child = await goLive(runner, fake);
    child.print(`rtmp://127.0.0.1:1935/app/${KEY}: Broken pipe`);
    child.exit(1);
    await flush();
    const wait = backoffDelay(1, BACKOFF, 0.5);
    expect(runner.context).toMatchObject({ state: "retrying", failures: 1, retryAt: Date.now() + wait });
    expect(inputs.at(-1)).toBe("detached");
    expect(processes).toEqual(["start 4000 relay-yt", "end 4000 relay-yt"]);
    expect(runner.pid).toBeUndefined();
    expect(runner.bitrateKbps).toBe(0);
    await vi.advanceTimersByTimeAsync(wait - 1);
    expect(fake.children).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.children).toHaveLength(2);
    expect(runner.context).toMatchObject({ state: "starting", restarts: 1 });
  });

  it("gives up (failed) after the policy's failures in a row", async () => {
    const { fake, runner } = setUp();
    runner.dispatch({ type: "enable" });
    for (let failure = 1; failure <= 3; failure += 1) {
      await flush();
      fake.last.exit(1);
      await flush();
      if (failure < 3) await vi.advanceTimersByTimeAsync(backoffDelay(failure, BACKOFF, 0.5));
    }
    expect(runner.context).toMatchObject({ state: "failed", failures: 3, lastError: "ffmpeg exited (code 1)" });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fake.children).toHaveLength(3);
  });

  it("the stall watchdog stops a relay whose output stopped growing for stallMs", async () => {
    const { fake, runner } = setUp();
    const child = await goLive(runner, fake);
    // Output still growing: no stall, however long.
    for (let t = 1; t <= 10; t += 1) {
      await vi.advanceTimersByTimeAsync(1_000);
      progress(child, { frame: 30 + t * 30, totalSize: 250_000 + t * 250_000, outTimeUs: 1_000_000 + t * 1_000_000 });
    }
    expect(child.stops).toHaveLength(0);
    // Reports keep coming, the size does not move: stopped within a watchdog period after stallMs.
    const lastGrowth = Date.now();
    while (child.stops.length === 0 && Date.now() - lastGrowth < 2 * STALL_MS) {
      await vi.advanceTimersByTimeAsync(250);
      progress(child, { frame: 330, totalSize: 2_750_000, outTimeUs: 11_000_000 });
    }
    expect(Date.now() - lastGrowth).toBeGreaterThan(STALL_MS);
    expect(Date.now() - lastGrowth).toBeLessThanOrEqual(STALL_MS + 1_000);
    expect(child.stops).toEqual([{ signal: "SIGINT", endInput: true, graceMs: 1_500 }]);
    await flush();
    expect(runner.context).toMatchObject({ state: "retrying", lastError: stallMessage(STALL_MS) });
  });

  it("a stop once media flows: the end of stdin and SIGINT, killed after the grace", async () => {
    const { fake, runner, inputs } = setUp({ stopGraceMs: 900 });
    const child = await goLive(runner, fake);
    runner.dispatch({ type: "disable" });
    expect(inputs.at(-1)).toBe("detached");
    expect(child.stops).toEqual([{ signal: "SIGINT", endInput: true, graceMs: 900 }]);
    expect(child.stdin.writableEnded).toBe(true);
    expect(child.killed).toBe(false);
    await flush();
    expect(runner.context).toMatchObject({ state: "off", lastError: null, failures: 0 });
  });

  it("a stop while ffmpeg still connects (no progress yet): killed at once", async () => {
    const { fake, runner } = setUp();
    runner.dispatch({ type: "enable" });
    await flush();
    runner.dispatch({ type: "disable" });
    expect(fake.last.killed).toBe(true);
    expect(fake.last.stops).toHaveLength(0);
    await flush();
    expect(runner.context.state).toBe("off");
  });

  it("a relay switched off while its start is still planned never starts", async () => {
    let finishPlan!: () => void;
    const planned = new Promise<void>((resolve) => (finishPlan = resolve));
    const { fake, runner } = setUp({
      plan: async () => {
        await planned;
        return { command: "ffmpeg", args: ["-i", "pipe:0", "rtmp://127.0.0.1:1/app/x"] };
      },
    });
    runner.dispatch({ type: "enable" });
    runner.dispatch({ type: "disable" });
    expect(runner.context.state).toBe("stopping");
    finishPlan();
    await flush();
    expect(fake.children).toHaveLength(0);
    expect(runner.context.state).toBe("off");
  });

  it("shutdown stops ffmpeg gracefully and nothing starts after it", async () => {
    const { fake, runner, processes } = setUp();
    const child = await goLive(runner, fake);
    child.onStop = "ignore";
    const done = runner.shutdown();
    expect(child.stops).toEqual([{ signal: "SIGINT", endInput: true, graceMs: 1_500 }]);
    child.exit(255);
    await done;
    expect(processes).toEqual(["start 4000 relay-yt", "end 4000 relay-yt"]);
    runner.dispatch({ type: "enable" });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fake.children).toHaveLength(1);
    expect(runner.context.state).toBe("live");
  });

  it("explains a failure from ffmpeg's error lines, redacted, and keeps them in its log", async () => {
    const { fake, runner } = setUp();
    runner.dispatch({ type: "enable" });
    await flush();
    fake.last.print("[flv @ 0x55d0c0a1b2c0] Non-monotonic DTS in output stream 0:1");
    fake.last.print("[tcp @ 0x55d0c0a1b2c0] Connection to tcp://127.0.0.1:1935?tcp_nodelay=1 failed: Connection refused");
    fake.last.print(`rtmp://127.0.0.1:1935/app/${KEY}: Input/output error`);
    fake.last.exit(1);
    await flush();
    expect(runner.context.state).toBe("retrying");
    expect(runner.context.lastError).toBe(
      "Nothing accepted the connection at 127.0.0.1:1935: check the server URL and port (or the platform is down). " +
        "(ffmpeg: Connection to tcp://127.0.0.1:1935?tcp_nodelay=1 failed: Connection refused)",
    );
    const log = runner.logLines.join("\n");
    expect(log).not.toContain(KEY);
    expect(log).toContain("rtmp://127.0.0.1:1935/app/***: Input/output error");
    expect(runner.logLines.at(-1)).toBe(`${new Date(Date.now()).toISOString()} relay exited (code 1)`);
  });

  it("without a known cause, the most telling error line of this run, not an earlier run's", async () => {
    const { fake, runner } = setUp();
    runner.dispatch({ type: "enable" });
    await flush();
    fake.last.print("certificate verify failed in an earlier run");
    fake.last.exit(1);
    await flush();
    expect(runner.context.state).toBe("failed");
    runner.dispatch({ type: "retryNow" });
    await flush();
    fake.last.print("Some muxer error happened");
    fake.last.exit(1);
    await flush();
    expect(runner.context.lastError).toBe("Some muxer error happened");
  });

  it("a repeatable failure (the platform's refusal, an untrusted certificate) fails at once", async () => {
    const { fake, runner } = setUp();
    runner.dispatch({ type: "enable" });
    await flush();
    fake.last.print("[rtmp @ 0x55d0c0a1b2c0] Server error: Authentication failed");
    fake.last.exit(1);
    await flush();
    expect(runner.context.state).toBe("failed");
    expect(runner.context.lastError).toMatch(/^The platform refused the stream \(it said "Authentication failed"\)/);

    const other = setUp({ explainFailure: () => "certificate refused: self-signed certificate" });
    other.runner.dispatch({ type: "enable" });
    await flush();
    other.fake.last.exit(1);
    await flush();
    expect(other.runner.context).toMatchObject({ state: "failed", lastError: "certificate refused: self-signed certificate" });
  });

  it("a plan that fails is a failed run, with its reason redacted", async () => {
    const { fake, runner } = setUp({
      plan: async () => {
        throw new Error(`stunnel for rtmps://a.example/app/${KEY} did not listen within 5 s`);
      },
    });
    runner.dispatch({ type: "enable" });
    await flush();
    expect(fake.children).toHaveLength(0);
    expect(runner.context).toMatchObject({ state: "retrying", lastError: "stunnel for rtmps://a.example/app/*** did not listen within 5 s" });
    expect(runner.logLines.join("\n")).toContain("cannot start: stunnel for rtmps://a.example/app/***");
  });

  it("calls onChange on each state change and when a flowing relay's numbers change, not otherwise", async () => {
    const flags: boolean[] = [];
    const { fake, runner, changes } = setUp({ onChange: (changed, stateChanged) => (changes.push(`${changed.context.state} ${changed.bitrateKbps} ${changed.fps}`), flags.push(stateChanged)) });
    const child = await goLive(runner, fake);
    expect(changes).toEqual(["starting 0 0", "starting 0 0", "live 2000 30"]);
    // off → starting, first media (still starting), starting → live.
    expect(flags).toEqual([true, false, true]);
    await vi.advanceTimersByTimeAsync(500);
    progress(child, { frame: 45, totalSize: 375_000, outTimeUs: 1_500_000 });
    expect(changes).toHaveLength(3);
    progress(child, { frame: 60, totalSize: 562_500, outTimeUs: 2_000_000 });
    expect(changes.at(-1)).toBe("live 3000 30");
    // 72 frames in 2.5 s of media since the first sample of the window.
    progress(child, { frame: 72, totalSize: 750_000, outTimeUs: 2_500_000 });
    expect(changes.at(-1)).toBe("live 3000 28.8");
    expect(changes).toHaveLength(5);
    expect(flags.slice(3)).toEqual([false, false]);
  });

  it("takes its time from the clock it is given", () => {
    const { runner } = setUp({ clock: { ...realClock, now: () => 42 } });
    expect(runner.context.since).toBe(42);
  });
});
