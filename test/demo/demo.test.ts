// `npm run demo` as a newcomer runs it: the demo program with the real bridge, nginx and ffmpeg.
// A destination switched on through the API goes live and its platform receives video and audio;
// Ctrl-C (SIGINT to the whole process group, as a terminal sends it) or a SIGTERM to the demo alone
// leaves no process behind and removes the demo's temp folder.

import { afterEach, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import psList from "ps-list";
import { waitFor, isAlive, stopGroupOnInterrupt } from "../../rig/processes.js";
import { DEMO_DESTINATIONS } from "../../scripts/lib/demo-setup.js";
import type { DestinationView, StatusView } from "../../contract/api.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSX_CLI = fileURLToPath(new URL("../../node_modules/tsx/dist/cli.mjs", import.meta.url));

interface RunningDemo {
  child: ChildProcess;
  output(): string;
  exit: Promise<number | null>;
}

/** Runs `tsx scripts/demo.ts` (what `npm run demo` runs after building, in-process) in its own process group. */
function runDemo(): RunningDemo {
  let output = "";
  const child = spawn(process.execPath, [TSX_CLI, "scripts/demo.ts"], { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  // Ctrl-C on the test run does not reach the demo's own process group: pass it on, so the demo stops
  // its programs and removes its folder even when the run is interrupted.
  const undo = stopGroupOnInterrupt(child.pid!, "SIGINT");
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => (undo(), resolve(code))));
  return { child, output: () => output, exit };
}

/** The value printed after `label:` on one of the demo's lines. */
function printed(output: string, label: string): string {
  const match = new RegExp(`^\\s*${label}:\\s+(\\S+)`, "m").exec(output);
  if (!match) throw new Error(`the demo printed no "${label}:" line:\n${output}`);
  return match[1]!;
}

/** Every process below `pid`, found through parent pids. */
async function descendants(pid: number): Promise<Array<{ pid: number; cmd: string }>> {
  const all = await psList();
  const found: Array<{ pid: number; cmd: string }> = [];
  const parents = new Set([pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const process of all) {
      if (parents.has(process.ppid) && !parents.has(process.pid)) {
        parents.add(process.pid);
        found.push({ pid: process.pid, cmd: process.cmd ?? process.name });
        grew = true;
      }
    }
  }
  return found;
}

describe("npm run demo", () => {
  let demo: RunningDemo | undefined;

  afterEach(async () => {
    // Only when a test failed half-way: end the group this test started.
    if (demo && demo.child.exitCode === null && demo.child.signalCode === null) {
      process.kill(-demo.child.pid!, "SIGKILL");
      await demo.exit;
    }
    demo = undefined;
  });

  /** Starts the demo and waits until it prints its URLs; returns what it printed. */
  async function startAndRead() {
    demo = runDemo();
    const running = demo;
    await waitFor(() => {
      if (running.child.exitCode !== null) throw new Error(`the demo exited:\n${running.output()}`);
      return /^Ctrl-C stops everything\./m.test(running.output());
    }, { what: "the demo to print its URLs", timeoutMs: 45_000, intervalMs: 100 });
    const output = running.output();
    const bridgeUrl = printed(output, "Bridge URL");
    return { pageUrl: printed(output, "Status page"), bridgeUrl, dir: printed(output, "Demo files") };
  }

  it("goes live on a switch through the API, and Ctrl-C leaves no process and no temp folder", async () => {
    const { pageUrl, bridgeUrl, dir } = await startAndRead();
    expect(pageUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(existsSync(dir)).toBe(true);

    // The page is served, and the destination switched on at start goes live with the OBS stand-in.
    const page = await fetch(pageUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>Relay</title>");
    const status = async () => (await (await fetch(`${bridgeUrl}/api/status`)).json()) as StatusView;
    const stateOf = async (id: string) => (await status()).destinations.find((view) => view.id === id)?.state;
    await waitFor(async () => (await status()).ingest.live, { what: "the OBS stand-in to be live", timeoutMs: 20_000 });
    await waitFor(async () => (await stateOf("youtube")) === "live", { what: "youtube to be live", timeoutMs: 20_000 });

    // Switching Twitch on from the API, as a Stream Deck key or Companion would.
    expect(await stateOf("twitch")).toBe("off");
    const answer = await fetch(`${bridgeUrl}/api/destinations/twitch/start`, { method: "POST" });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as DestinationView).enabled).toBe(true);
    await waitFor(async () => (await stateOf("twitch")) === "live", { what: "twitch to be live", timeoutMs: 20_000 });

    // The Twitch stand-in platform really receives the stream: video and audio.
    const twitch = DEMO_DESTINATIONS.find((destination) => destination.id === "twitch")!;
    const platformUrl = new RegExp(`^\\s+(?:Demo platforms:\\s+)?Twitch \\(demo\\)\\s+(rtmp://\\S+)`, "m").exec(demo!.output())?.[1];
    expect(platformUrl).toMatch(/^rtmp:\/\/127\.0\.0\.1:\d+\/app$/);
    const probe = await execa("ffprobe", ["-v", "error", "-rw_timeout", "10000000", "-show_entries", "stream=codec_type,codec_name", "-of", "csv=p=0", `${platformUrl}/${twitch.key}`], {
      reject: false,
      timeout: 20_000,
    });
    expect(probe.stdout.split("\n").map((line) => line.trim()).filter(Boolean).sort()).toEqual(["aac,audio", "h264,video"]);

    const started = await descendants(demo!.child.pid!);
    const names = started.map((process) => process.cmd).join("\n");
    // 3 platforms (nginx master + worker each), the bridge's nginx, the bridge, the OBS stand-in, 2 relays.
    expect(names.match(/nginx: master process/g)?.length).toBe(4);
    expect(names.match(/relay-bridge\.js/g)?.length).toBe(1);
    expect(names.match(/ffmpeg .*testsrc2/g)?.length).toBe(1);
    expect(names.match(/ffmpeg .*-c copy/g)?.length).toBe(2);

    // Ctrl-C in a terminal: SIGINT to every process of the group at once.
    process.kill(-demo!.child.pid!, "SIGINT");
    expect(await demo!.exit).toBe(0);
    expect(demo!.output()).toMatch(/Demo stopped: every program it started has ended/);
    await waitFor(() => started.every((process) => !isAlive(process.pid)), { what: "every demo process to end", timeoutMs: 5_000 });
    expect(existsSync(dir)).toBe(false);
    expect((await psList()).filter((process) => process.cmd?.includes(dir))).toEqual([]);

    // Demo keys are not secrets, yet the demo prints none, as the bridge never does.
    for (const destination of DEMO_DESTINATIONS) expect(demo!.output()).not.toContain(destination.key);
  });

  it("a SIGTERM to the demo alone (a service manager, kill) also ends everything and removes its folder", async () => {
    const { bridgeUrl, dir } = await startAndRead();
    await waitFor(async () => ((await (await fetch(`${bridgeUrl}/api/status`)).json()) as StatusView).destinations[0]?.state === "live", {
      what: "youtube to be live",
      timeoutMs: 20_000,
    });
    const started = await descendants(demo!.child.pid!);
    expect(started.length).toBeGreaterThanOrEqual(10);

    demo!.child.kill("SIGTERM");
    expect(await demo!.exit).toBe(0);
    await waitFor(() => started.every((process) => !isAlive(process.pid)), { what: "every demo process to end", timeoutMs: 5_000 });
    expect(existsSync(dir)).toBe(false);
    expect((await fetch(`${bridgeUrl}/api/health`).catch(() => undefined))?.ok).toBeFalsy();
  });
});
