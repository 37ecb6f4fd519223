// The bridge's memory with several publishers, with the real nginx and the test rig's plain-socket RTMP
// client: 4 streams of one keyframe then 400 kB P-frames (the keyframe cache keeps every frame since the
// last keyframe) hold the caches to their shared bound instead of 64 MB each.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";
import { waitFor } from "../../rig/processes.js";
import { avcSequenceHeader, connectRtmp, type RtmpPublisher } from "../../rig/rtmp-publisher.js";

const MB = 1024 * 1024;

async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

describe("ingest memory", () => {
  let bridge: RunningBridge;
  const publishers: RtmpPublisher[] = [];

  beforeAll(async () => {
    bridge = await startBridge({ ingest: { holdSeconds: 0 } });
  });

  afterAll(async () => {
    for (const publisher of publishers) publisher.close();
    await bridge?.stop();
  });

  it("4 publishers of one keyframe then 400 kB P-frames: the keyframe caches stay within their shared 96 MB", async () => {
    const pid = bridge.child.pid!;
    const before = await rssBytes(pid);
    let peak = before;
    let watching = true;
    const watch = (async () => {
      while (watching) {
        peak = Math.max(peak, await rssBytes(pid));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const frame = (key: boolean) => Buffer.concat([Buffer.from([key ? 0x17 : 0x27, 0x01, 0, 0, 0]), Buffer.alloc(400_000, key ? 1 : 2)]);
    try {
      for (let index = 0; index < 4; index += 1) {
        const publisher = await connectRtmp(bridge.ingestUrl);
        publishers.push(publisher);
        await publisher.publish(`stream${index}`);
      }
      await waitFor(async () => (await bridge.json<{ ingest: { streams?: unknown[] } }>("/api/status")).ingest.streams?.length === 4 || bridge.output().split("started").length > 4, { what: "4 streams taken" });
      // 200 P-frames each (80 MB a stream), 20 at a time so the reader keeps up.
      for (const publisher of publishers) {
        publisher.send(9, 0, avcSequenceHeader(640, 368));
        publisher.send(9, 0, frame(true));
      }
      for (let batch = 0; batch < 10; batch += 1) {
        for (const publisher of publishers) {
          for (let index = 1; index <= 20; index += 1) publisher.send(9, (batch * 20 + index) * 33, frame(false));
        }
        await Promise.all(publishers.map((publisher) => publisher.flushed()));
      }
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    } finally {
      watching = false;
      await watch;
    }
    const grown = (peak - before) / MB;
    console.log(`bridge RSS ${Math.round(before / MB)} MB → peak ${Math.round(peak / MB)} MB (+${Math.round(grown)} MB) for 4 streams of 80 MB since their keyframe`);
    // Without the shared bound the caches alone held 4 × 64 MB.
    expect(grown).toBeLessThan(180);
  });
});
