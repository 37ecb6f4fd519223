import { describe, expect, it } from "vitest";
import { RecentLines } from "../../../bridge/process/recent-lines.js";
import { describeExit, startRun } from "../../../bridge/process/supervised-run.js";
import { fakeSpawn, memoryPids } from "./fake-spawn.js";

const start = (extra: Partial<Parameters<typeof startRun>[0]> = {}) => {
  const fake = fakeSpawn();
  const pids = memoryPids();
  const output = new RecentLines({ limit: 3, redact: (text) => text.replaceAll("hunter2", "***") });
  const run = startRun({
    command: "prog",
    args: ["-x"],
    output,
    spawn: fake.spawn,
    pids: { registry: pids, label: "prog-a", program: "prog" },
    ...extra,
  });
  return { fake, pids, output, run };
};

describe("startRun", () => {
  it("spawns the command, records its pid while it runs and releases it when it exits", async () => {
    const { fake, pids, run } = start();
    expect(fake.last.options).toMatchObject({ command: "prog", args: ["-x"] });
    expect(run.pid).toBe(4000);
    expect(run.running).toBe(true);
    expect(pids.calls).toEqual(["record prog-a prog 4000"]);
    fake.last.exit(3);
    const exit = await run.exited;
    expect(exit).toEqual({ code: 3, signal: null, requested: false, reason: "code 3" });
    expect(run.running).toBe(false);
    expect(pids.calls).toEqual(["record prog-a prog 4000", "release prog-a"]);
  });

  it("keeps its output redacted in the bounded buffer, the lines `keep` accepts only", () => {
    const lines: string[] = [];
    const { fake, output } = start({ keep: (_line, stream) => stream === "stderr", onLine: (line) => lines.push(line) });
    fake.last.print("progress=continue", "stdout");
    for (const n of [1, 2, 3, 4]) fake.last.print(`error ${n}: password hunter2`);
    expect(output.texts()).toEqual(["error 2: password ***", "error 3: password ***", "error 4: password ***"]);
    // The raw lines still reach the caller's parser.
    expect(lines[0]).toBe("progress=continue");
    expect(lines).toHaveLength(5);
  });

  it("stops gracefully with the options given, and says the stop was asked for", async () => {
    const { fake, run } = start();
    const exit = await run.stop({ signal: "SIGTERM", graceMs: 1_000 });
    expect(fake.last.stops).toEqual([{ signal: "SIGTERM", graceMs: 1_000 }]);
    expect(exit).toMatchObject({ requested: true, signal: "SIGTERM", reason: "signal SIGTERM" });
  });

  it("kills at once", async () => {
    const { fake, run } = start();
    expect((await run.kill()).reason).toBe("signal SIGKILL");
    expect(fake.last.killed).toBe(true);
  });

  it("waits for a line, or fails with the given message when the program ends first", async () => {
    const { fake, run } = start();
    const ready = run.waitForLine((line) => line.includes("listening"), "prog stopped at start");
    fake.last.print("starting up");
    fake.last.print("listening on 1234");
    await expect(ready).resolves.toBeUndefined();
    const never = run.waitForLine((line) => line === "never", "prog stopped at start");
    fake.last.exit(1);
    await expect(never).rejects.toThrow("prog stopped at start");
  });

  it("describes an exit by its signal, else its code", () => {
    expect(describeExit({ code: 0, signal: null })).toBe("code 0");
    expect(describeExit({ code: null, signal: "SIGINT" })).toBe("signal SIGINT");
  });
});
