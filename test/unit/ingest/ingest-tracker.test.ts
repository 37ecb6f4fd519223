// Which streams are published into the ingest (by connection), the main one, and their bitrates.

import { describe, expect, it } from "vitest";
import { IngestTracker } from "../../../bridge/ingest/ingest-tracker.js";

describe("ingest tracker", () => {
  it("follows publishes, picks the main stream, and computes the bitrate from stat samples", () => {
    let changes = 0;
    const tracker = new IngestTracker(() => (changes += 1));
    tracker.publish("vertical", "1", 1000);
    tracker.publish("main", "2", 2000);
    expect(tracker.mainStream("", new Set(["vertical"]))).toBe("main");
    expect(tracker.mainStream("", new Set())).toBe("vertical");
    expect(tracker.mainStream("main", new Set())).toBe("main");
    expect(tracker.mainStream("other", new Set())).toBeNull();
    const stat = (bytesIn: number) => [{ app: "live", name: "main", timeMs: 0, bytesIn, bwIn: 0, publishing: true, clients: 1 }, { app: "live", name: "vertical", timeMs: 0, bytesIn: 0, bwIn: 0, publishing: true, clients: 1 }];
    tracker.applyStat(stat(0), 3000);
    tracker.applyStat(stat(750_000), 4000);
    expect(tracker.get("main")!.bitrateKbps).toBe(6000);
    tracker.publishDone("vertical", "1");
    expect(tracker.isLive("vertical")).toBe(false);
    expect(changes).toBeGreaterThanOrEqual(4);
  });
  it("says what moved: the streams, a stream's picture, or only its bitrate (which runs no reconcile)", () => {
    const changes: string[] = [];
    const tracker = new IngestTracker((change) => changes.push(change));
    const video = { width: 1280, height: 720, fps: 30, codec: "H264" };
    const stat = (bytesIn: number, picture = video) => [{ app: "live", name: "obs", timeMs: 0, bytesIn, bwIn: 0, publishing: true, clients: 1, video: picture }];
    tracker.publish("obs", "1", 1000);
    tracker.applyStat(stat(0), 2000);
    tracker.applyStat(stat(750_000), 3000);
    tracker.applyStat(stat(750_000), 4000);
    tracker.applyStat(stat(1_500_000, { ...video, width: 1920, height: 1080 }), 5000);
    tracker.applyStat([], 9000);
    expect(changes).toEqual(["streams", "format", "numbers", "numbers", "format", "streams"]);
  });
  it("adds a stream it missed and drops one nginx no longer has", () => {
    const tracker = new IngestTracker(() => undefined);
    tracker.applyStat([{ app: "live", name: "obs", timeMs: 5000, bytesIn: 1, bwIn: 0, publishing: true, clients: 1 }], 10_000);
    expect(tracker.get("obs")!.since).toBe(5000);
    tracker.applyStat([], 11_000);
    expect(tracker.isLive("obs")).toBe(false);
    tracker.publish("new", "3", 20_000);
    tracker.applyStat([], 20_500);
    expect(tracker.isLive("new")).toBe(true);
  });
});

describe("ingest streams by connection", () => {
  it("ends a stream only when the connection that publishes it ends", () => {
    let changes = 0;
    const tracker = new IngestTracker(() => (changes += 1));
    tracker.publish("obs", "7", 1_000);
    expect(tracker.publisher("obs")).toBe("7");
    // A second encoder refused under the same name: its end is not the stream's.
    expect(tracker.publishDone("obs", "9")).toBe(false);
    expect(tracker.isLive("obs")).toBe(true);
    expect(tracker.publishDone("obs", "7")).toBe(true);
    expect(tracker.isLive("obs")).toBe(false);
    expect(changes).toBe(2);
  });
});
