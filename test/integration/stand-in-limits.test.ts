// The stand-in with the real bridge, nginx and ffmpeg, fed by the test rig's plain-socket RTMP client:
// a publisher changing its picture size 8 times in under a second starts one encode at a time, the
// runtime folder keeps only the clips in use and the last few, an absurd picture size is said as such,
// and a hand edit of ingest.slate makes the stand-ins again.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execa } from "execa";
import { copyFile, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";
import { waitFor } from "../../rig/processes.js";
import { avcSequenceHeader, connectRtmp, fixtureTags, loopTags, type RtmpPublisher, type TagLoop } from "../../rig/rtmp-publisher.js";

/** The stand-in encodes (ffmpeg with -tune stillimage) the bridge in `dir` runs now. */
async function standInEncodes(dir: string): Promise<number[]> {
  const { stdout } = await execa("ps", ["-eo", "pid=,args="], { reject: false });
  return stdout
    .split("\n")
    .filter((line) => line.includes("stillimage") && line.includes(dir))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

const count = (text: string, part: string) => text.split(part).length - 1;

describe("stand-in encodes", () => {
  let bridge: RunningBridge;
  let encoder: RtmpPublisher;
  let sound: TagLoop;
  const standInDir = () => join(bridge.dir, "run", "stand-in");
  let at = 100;
  const header = (width: number, height: number) => encoder.send(9, (at += 10), avcSequenceHeader(width, height));

  beforeAll(async () => {
    bridge = await startBridge({ ingest: { holdSeconds: 30 } });
    encoder = await connectRtmp(bridge.ingestUrl);
    await encoder.publish("obs");
    // A real stream (96×64) goes on; the headers sent below only claim other sizes (no relay reads it).
    sound = loopTags(encoder, await fixtureTags());
    await waitFor(() => bridge.output().includes("stand-in ready for h264 96x64"), { what: "the stream's first stand-in", timeoutMs: 30_000 });
  });

  afterAll(async () => {
    sound?.stop();
    encoder?.close();
    await bridge?.stop();
  });

  it("8 sequence headers of different picture sizes in under a second: one encode at a time, the last size made", async () => {
    const seen = new Set<number>();
    let most = 0;
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const pids = await standInEncodes(bridge.dir);
        for (const pid of pids) seen.add(pid);
        most = Math.max(most, pids.length);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const sizes = [[320, 240], [480, 272], [640, 368], [800, 448], [960, 544], [1120, 640], [1280, 720], [1440, 816]] as const;
    // All 8 in one go (well under a second), the way a hostile publisher sends them.
    for (const [width, height] of sizes) header(width, height);
    try {
      await waitFor(() => bridge.output().includes("stand-in ready for h264 1440x816"), { what: "the last size's stand-in", timeoutMs: 30_000 });
    } finally {
      watching = false;
      await watch;
    }
    expect(most).toBe(1);
    // The size running when the others came, and the last one (the one between replaced before its turn).
    expect(seen.size).toBeLessThanOrEqual(3);
    expect(seen.size).toBeGreaterThanOrEqual(1);
  });

  it("keeps in the runtime folder only the clips of the stream's format and the 4 made last", async () => {
    for (const [width, height] of [[336, 192], [352, 208], [368, 224], [384, 240], [400, 256], [416, 272]] as const) {
      header(width, height);
      await waitFor(() => bridge.output().includes(`stand-in ready for h264 ${width}x${height}`), { what: `the stand-in of ${width}x${height}`, timeoutMs: 30_000 });
    }
    const files = await readdir(standInDir());
    expect(files.filter((name) => name.endsWith(".flv")).length).toBeLessThanOrEqual(5);
    expect(files.filter((name) => name.endsWith(".png")).length).toBeLessThanOrEqual(5);
    expect(files.filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("a hand edit of ingest.slate makes the stand-in of the stream's format again, from the new picture", async () => {
    const key = "h264 416x272";
    const before = count(bridge.output(), `stand-in ready for ${key}`);
    const flvBefore = (await readdir(standInDir())).filter((name) => name.endsWith(".flv"));
    const slate = join(bridge.dir, "slate.png");
    await copyFile(join(standInDir(), "card-416x272.png"), slate);
    const config = JSON.parse(await readFile(bridge.configFile, "utf8"));
    config.ingest.slate = slate;
    await writeFile(bridge.configFile, JSON.stringify(config, null, 2));
    await waitFor(() => count(bridge.output(), `stand-in ready for ${key}`) > before, { what: "the stand-in made again from the slate", timeoutMs: 30_000 });
    const flvAfter = (await readdir(standInDir())).filter((name) => name.endsWith(".flv"));
    expect(flvAfter.some((name) => !flvBefore.includes(name))).toBe(true);
  });

  it("an SPS claiming a picture 16,777,216 pixels wide: a message that says so, not a bare renderer error", async () => {
    header(16_777_216, 720);
    await waitFor(() => bridge.output().includes("16777216×720 pixels, larger than a stand-in picture can be made"), { what: "the size refused with a clear message", timeoutMs: 15_000 });
    expect(bridge.output()).not.toMatch(/\bunreachable\b/);
    expect(await standInEncodes(bridge.dir)).toEqual([]);
  });
});
