import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ServiceSupervisor, ServiceUnavailableError, SERVICE_RECENT_LINES, type ServiceSpec } from "../../../bridge/process/service-supervisor.js";
import { backoffDelay, SERVICE_BACKOFF } from "../../../bridge/process/backoff.js";
import type { ServiceView } from "../../../contract/api.js";
import { fakeSpawn, memoryLogger, memoryPids } from "./fake-spawn.js";

// random 0.5: the backoff without jitter, so each delay is exact.
const delay = (attempt: number) => backoffDelay(attempt, SERVICE_BACKOFF, 0.5);

function setUp(spec: Partial<ServiceSpec> = {}) {
  const fake = fakeSpawn();
  const pids = memoryPids();
  const log = memoryLogger();
  const service = new ServiceSupervisor(
    {
      name: "svc",
      prepare: async () => ({ command: "svc", args: ["-c", "svc.conf"] }),
      ready: (run) => run.waitForLine((line) => line === "ready", "svc stopped at start"),
      stop: { signal: "SIGTERM", graceMs: 1_000 },
      pids: { registry: pids, label: "svc", program: "svc" },
      ...spec,
    },
    log,
    { spawn: fake.spawn, random: () => 0.5 },
  );
  const states: ServiceView[] = [];
  service.on("state", (view) => states.push(view));
  return { fake, pids, log, service, states };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

describe("ServiceSupervisor", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("starts the program, is running once it is ready, and records its pid", async () => {
    const { fake, pids, service, states } = setUp();
    const up = vi.fn();
    service.on("up", up);
    const started = service.start();
    await flush();
    expect(service.view.state).toBe("starting");
    expect(fake.last.options.args).toEqual(["-c", "svc.conf"]);
    fake.last.print("ready");
    await started;
    expect(service.view).toEqual({ state: "running" });
    expect(states.map((view) => view.state)).toEqual(["starting", "running"]);
    expect(up).toHaveBeenCalledTimes(1);
    expect(service.pid).toBe(4000);
    expect(pids.calls).toEqual(["record svc svc 4000"]);
  });

  it("restarts a program that died, after the backoff's delay, and is running again", async () => {
    const { fake, pids, service } = setUp();
    const down = vi.fn();
    service.on("down", down);
    void service.start();
    await flush();
    fake.last.print("ready");
    await flush();
    fake.last.print("bind() failed");
    fake.last.exit(1);
    await flush();
    expect(down).toHaveBeenCalledTimes(1);
    expect(service.view).toEqual({ state: "restarting", error: "svc exited (code 1): ready | bind() failed" });
    expect(pids.calls.at(-1)).toBe("release svc");
    await vi.advanceTimersByTimeAsync(delay(1) - 1);
    expect(fake.children).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.children).toHaveLength(2);
    fake.last.print("ready");
    await flush();
    expect(service.view).toEqual({ state: "running" });
  });

  it("backs off more after each failure in a row and shows `failed` after 5 tries", async () => {
    const { fake, service } = setUp();
    void service.start();
    await flush();
    const seen: string[] = [];
    for (let attempt = 1; attempt <= 7; attempt += 1) {
      fake.last.exit(1);
      await flush();
      seen.push(service.view.state);
      const spawned = fake.children.length;
      await vi.advanceTimersByTimeAsync(delay(attempt) - 1);
      expect(fake.children).toHaveLength(spawned);
      await vi.advanceTimersByTimeAsync(1);
      expect(fake.children).toHaveLength(spawned + 1);
    }
    expect(seen).toEqual(["restarting", "restarting", "restarting", "restarting", "restarting", "failed", "failed"]);
    expect([1, 2, 3, 6].map(delay)).toEqual([250, 500, 1_000, 8_000]);
    // Once it serves again, the count starts over.
    fake.last.print("ready");
    await flush();
    fake.last.exit(1);
    await flush();
    expect(service.view.state).toBe("restarting");
  });

  it("is `missing` when the program cannot be started at all, and does not retry", async () => {
    const { fake, service, log } = setUp({
      prepare: async () => {
        throw new ServiceUnavailableError("svc is not installed: apt install svc");
      },
    });
    await service.start();
    expect(service.view).toEqual({ state: "missing", error: "svc is not installed: apt install svc" });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.children).toHaveLength(0);
    expect(log.lines).toContain("error svc is not installed: apt install svc");
  });

  it("retries a prepare that failed for another reason", async () => {
    let calls = 0;
    const { fake, service } = setUp({
      prepare: async () => {
        calls += 1;
        if (calls === 1) throw new Error("disk full");
        return { command: "svc", args: [] };
      },
    });
    await service.start();
    expect(service.view).toEqual({ state: "restarting", error: "disk full" });
    await vi.advanceTimersByTimeAsync(delay(1));
    expect(fake.children).toHaveLength(1);
  });

  it("kills a program that is not ready in time and tries again", async () => {
    const { fake, service } = setUp({ readyTimeout: { ms: 5_000, reason: "svc did not listen within 5 s" } });
    void service.start();
    await flush();
    fake.last.print("loading");
    await vi.advanceTimersByTimeAsync(4_999);
    expect(fake.last.killed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.children[0]!.killed).toBe(true);
    expect(service.view).toEqual({ state: "restarting", error: "svc did not start: svc did not listen within 5 s: loading" });
    await vi.advanceTimersByTimeAsync(delay(1));
    expect(fake.children).toHaveLength(2);
    fake.last.print("ready");
    await flush();
    expect(service.view.state).toBe("running");
  });

  it("explains a failure from the program's recent lines when its module can", async () => {
    const { fake, service } = setUp({ explain: (lines) => (lines.some((line) => line.includes("in use")) ? "port 1935 is already taken" : null) });
    void service.start();
    await flush();
    fake.last.print("bind() to 0.0.0.0:1935 failed (98: Address already in use)");
    fake.last.exit(1);
    await flush();
    expect(service.view.error).toBe("svc: port 1935 is already taken");
  });

  it("keeps a bounded, redacted buffer of recent output, the lines its module keeps only", async () => {
    const { fake, service } = setUp({ redact: (text) => text.replaceAll("s3cret", "***"), keepLine: (line) => !line.startsWith("[info]") });
    void service.start();
    await flush();
    for (let n = 1; n <= 30; n += 1) fake.last.print(`[warn] line ${n} key=s3cret`);
    fake.last.print("[info] chatter");
    const lines = service.recentLines;
    expect(lines).toHaveLength(SERVICE_RECENT_LINES);
    expect(lines[0]).toBe("[warn] line 11 key=***");
    expect(lines.join("\n")).not.toMatch(/s3cret|chatter/);
    fake.last.exit(1);
    await flush();
    expect(service.view.error).toBe("svc exited (code 1): [warn] line 28 key=*** | [warn] line 29 key=*** | [warn] line 30 key=***");
  });

  it("stops with its module's stop options, releases the pid and does not restart", async () => {
    const { fake, pids, service } = setUp();
    void service.start();
    await flush();
    fake.last.print("ready");
    await flush();
    await service.stop();
    expect(fake.last.stops).toEqual([{ signal: "SIGTERM", graceMs: 1_000 }]);
    expect(service.view).toEqual({ state: "stopped" });
    expect(pids.calls).toEqual(["record svc svc 4000", "release svc"]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.children).toHaveLength(1);
  });
});
