import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FLV_HEADER, FlvReader, type FlvTag } from "../../../bridge/media/flv.js";
import { Feeder, type FeedSink } from "../../../bridge/media/feeder.js";
import { MediaSource } from "../../../bridge/media/media-source.js";

const tags = new FlvReader().push(readFileSync(new URL("../../fixtures/two-gops.flv", import.meta.url)));

/** A source the test drives tag by tag. */
class Source extends MediaSource {
  push(tag: FlvTag): void {
    this.emit(tag);
  }
}

/** A relay's stdin: keeps each vectored write; `pending` stands for bytes not yet read by the relay. */
class Sink implements FeedSink {
  /** The chunks of each write, as the sink hands them to the pipe in one vectored write. */
  writes: Buffer[][] = [];
  pending = 0;
  /** The relay reads nothing: every write stays queued. */
  stuck = false;
  writable = true;
  writev(chunks: Buffer[]): void {
    this.writes.push(chunks);
    if (this.stuck) this.pending += chunks.reduce((total, chunk) => total + chunk.length, 0);
  }
  get writableLength(): number {
    return this.pending;
  }
  tags(): FlvTag[] {
    return new FlvReader().push(Buffer.concat(this.writes.flat()));
  }
}

const firstKeyframe = tags.findIndex((tag) => tag.kind === "keyframe");
const media = (list: FlvTag[]) => list.filter((tag) => tag.kind === "keyframe" || tag.kind === "video" || tag.kind === "audio");

describe("feeder", () => {
  it("starts a relay from the cache: FLV header, metadata and codec headers, the cached GOP, then live tags", () => {
    const source = new Source("obs");
    const firstSecond = tags.filter((tag) => tag.timestamp < 1000 || tag.kind === "metadata");
    for (const tag of firstSecond.slice(0, 20)) source.push(tag);
    const sink = new Sink();
    const feeder = new Feeder(sink);
    feeder.follow(source);
    for (const tag of firstSecond.slice(20)) source.push(tag);
    expect(feeder.flowing).toBe(true);
    // Detached, what was held for the next video frame goes out too.
    feeder.detach();
    const got = sink.tags();
    expect(got.slice(0, 4).map((tag) => tag.kind)).toEqual(["metadata", "videoHeader", "audioHeader", "keyframe"]);
    expect(got[3]!.timestamp).toBe(0);
    // Every media tag from the cached keyframe on (the audio before it is no place to start).
    expect(media(got)).toHaveLength(media(firstSecond.slice(firstKeyframe)).length);
  });

  it("waits for the next keyframe when the cache has none", () => {
    const source = new Source("obs");
    for (const tag of tags.slice(0, firstKeyframe)) source.push(tag);
    const sink = new Sink();
    new Feeder(sink).follow(source);
    expect(sink.writes).toHaveLength(0);
    source.push(tags[firstKeyframe]!);
    expect(sink.tags().map((tag) => tag.kind)).toEqual(["metadata", "videoHeader", "audioHeader", "keyframe"]);
  });

  it("switches sources at a keyframe with new codec headers, the timeline still going forward", () => {
    const obs = new Source("obs");
    const standIn = new Source("stand-in");
    const sink = new Sink();
    const feeder = new Feeder(sink);
    for (const tag of tags.slice(0, firstKeyframe + 1)) obs.push(tag);
    feeder.follow(obs);
    for (const tag of tags.slice(4, 30)) obs.push(tag);
    const written = sink.tags().length;
    // The second source's clock starts at 0; it is followed from its own first keyframe.
    for (const tag of tags.slice(0, firstKeyframe)) standIn.push(tag);
    feeder.follow(standIn);
    obs.push(tags[30]!); // no longer followed
    for (const tag of tags.slice(firstKeyframe, 12)) standIn.push(tag);
    const got = sink.tags();
    const switchAt = got.findIndex((tag, index) => index >= written && tag.kind === "videoHeader");
    // The first source's audio held for its next video frame goes out at the switch, before the headers.
    expect(got.slice(written, switchAt).every((tag) => tag.type === 8)).toBe(true);
    const lastSent = Math.max(...media(got.slice(0, switchAt)).map((tag) => tag.timestamp));
    const after = got.slice(switchAt);
    expect(after.slice(0, 3).map((tag) => tag.kind)).toEqual(["videoHeader", "audioHeader", "keyframe"]);
    expect(after[2]!.timestamp).toBeGreaterThan(lastSent);
    const all = media(sink.tags());
    for (const track of ["audio", "video"]) {
      const times = all.filter((tag) => (track === "audio" ? tag.type === 8 : tag.type === 9)).map((tag) => tag.timestamp);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    }
  });

  it("a relay that stops reading skips to the next keyframe, counts it, and never queues without bound", () => {
    const source = new Source("obs");
    const sink = new Sink();
    let skipped = 0;
    const feeder = new Feeder(sink, { maxQueueBytes: 1000, resumeQueueBytes: 100, maxQueueMs: 60_000, resumeQueueMs: 60_000, maxBehindMs: 60_000 }, () => (skipped += 1));
    for (const tag of tags.slice(0, firstKeyframe + 1)) source.push(tag);
    feeder.follow(source);
    sink.pending = 5000; // the relay's platform hangs
    const written = sink.writes.length;
    const secondKeyframe = tags.findIndex((tag, index) => index > firstKeyframe && tag.kind === "keyframe");
    for (const tag of tags.slice(firstKeyframe + 1, secondKeyframe - 5)) source.push(tag);
    expect(sink.writes.length).toBe(written);
    expect(feeder.skips).toBe(1);
    expect(skipped).toBe(1);
    sink.pending = 0; // it reads again: media resumes at the next keyframe, not before
    for (const tag of tags.slice(secondKeyframe - 5, secondKeyframe)) source.push(tag);
    expect(sink.writes.length).toBe(written);
    source.push(tags[secondKeyframe]!);
    const resumed = sink.tags().at(-1)!;
    expect(resumed.kind).toBe("keyframe");
    expect(feeder.skips).toBe(1);
  });

  it("bounds the delay: a relay that takes every byte but sends too far behind (the network holds it) skips to the next keyframe", () => {
    const source = new Source("obs");
    const sink = new Sink();
    let skipped = 0;
    const feeder = new Feeder(sink, { maxQueueBytes: 1 << 30, resumeQueueBytes: 1 << 30, maxQueueMs: 60_000, resumeQueueMs: 100, maxBehindMs: 300 }, () => (skipped += 1));
    const secondKeyframe = tags.findIndex((tag, index) => index > firstKeyframe && tag.kind === "keyframe");
    for (const tag of tags.slice(0, firstKeyframe + 1)) source.push(tag);
    feeder.follow(source);
    expect(feeder.behindMs).toBeNull();
    feeder.reportSent(0); // its ffmpeg says what it sent: nothing past the start
    let pushed = firstKeyframe + 1;
    while (skipped === 0 && pushed < secondKeyframe) source.push(tags[pushed++]!);
    // Nothing is queued in the bridge (the pipe takes it all), yet it is past the bound: it skips.
    expect(feeder.queuedMs).toBe(0);
    expect(skipped).toBe(1);
    const skippedAt = tags[pushed - 1]!.timestamp - tags[firstKeyframe]!.timestamp;
    expect(skippedAt).toBeGreaterThan(300);
    expect(skippedAt).toBeLessThan(400);
    const written = sink.writes.length;
    for (const tag of tags.slice(pushed, secondKeyframe)) source.push(tag);
    expect(sink.writes.length).toBe(written);
    // Fed nothing, its ffmpeg reports nothing: the report from before the skip does not hold the feed
    // back, and the next keyframe resumes it.
    expect(feeder.behindMs).toBeNull();
    source.push(tags[secondKeyframe]!);
    expect(sink.tags().at(-1)!.kind).toBe("keyframe");
    expect(feeder.skips).toBe(1);
  });

  it("also skips when what is queued is older than the time limit, however few bytes it is (a low bitrate)", () => {
    const source = new Source("obs");
    const sink = new Sink();
    let skipped = 0;
    const feeder = new Feeder(sink, { maxQueueBytes: 1 << 30, resumeQueueBytes: 1 << 30, maxQueueMs: 200, resumeQueueMs: 100, maxBehindMs: 60_000 }, () => (skipped += 1));
    const secondKeyframe = tags.findIndex((tag, index) => index > firstKeyframe && tag.kind === "keyframe");
    // A cache holding more than the time limit: the start's burst is a GOP behind live, and not a skip.
    const burstEnd = tags.findIndex((tag) => tag.timestamp > tags[firstKeyframe]!.timestamp + 300);
    for (const tag of tags.slice(0, burstEnd)) source.push(tag);
    sink.stuck = true; // the relay's platform hangs from the start
    feeder.follow(source);
    expect(feeder.flowing).toBe(true);
    expect(feeder.queuedMs).toBe(0);
    // Live media queues behind the burst until 200 ms of it wait unread: then it skips, once.
    let pushed = burstEnd;
    while (skipped === 0 && pushed < secondKeyframe) source.push(tags[pushed++]!);
    expect(skipped).toBe(1);
    const skippedAt = tags[pushed - 1]!.timestamp;
    expect(skippedAt - tags[burstEnd]!.timestamp).toBeGreaterThan(200);
    expect(skippedAt - tags[burstEnd]!.timestamp).toBeLessThan(300);
    const written = sink.writes.length;
    for (const tag of tags.slice(pushed, secondKeyframe)) source.push(tag);
    expect(sink.writes.length).toBe(written);
    // It reads again: the feed resumes at the next keyframe.
    sink.stuck = false;
    sink.pending = 0;
    source.push(tags[secondKeyframe]!);
    expect(sink.tags().at(-1)!.kind).toBe("keyframe");
    expect(feeder.skips).toBe(1);
  });

  it("writes nothing more once detached", () => {
    const source = new Source("obs");
    const sink = new Sink();
    const feeder = new Feeder(sink);
    for (const tag of tags.slice(0, firstKeyframe + 1)) source.push(tag);
    feeder.follow(source);
    feeder.detach();
    const written = sink.writes.length;
    for (const tag of tags.slice(4, 20)) source.push(tag);
    expect(sink.writes.length).toBe(written);
    expect(source.followers).toBe(0);
  });

  it("gathers each video frame with the audio before it into one write, and sends a start's cached burst at once", () => {
    const source = new Source("obs");
    for (const tag of tags.slice(0, firstKeyframe + 1)) source.push(tag);
    const sink = new Sink();
    const feeder = new Feeder(sink);
    feeder.follow(source);
    // The burst, FLV header first, is one write, and nothing is held after it.
    expect(sink.writes.length).toBe(1);
    expect(sink.writes[0]![0]).toBe(FLV_HEADER);
    expect(sink.tags().map((tag) => tag.kind)).toEqual(["metadata", "videoHeader", "audioHeader", "keyframe"]);
    const live = tags.slice(firstKeyframe + 1, firstKeyframe + 121).filter((tag) => tag.kind !== "metadata");
    const frames = live.filter((tag) => tag.kind === "video" || tag.kind === "keyframe").length;
    const before = sink.writes.length;
    for (const tag of live) source.push(tag);
    const writes = sink.writes.slice(before).map((write) => new FlvReader().push(Buffer.concat([FLV_HEADER, ...write])));
    // Fewer writes than tags: each video frame takes the audio before it along (this clip has 10 fps
    // video, so audio waits up to 50 ms of its own time for it, then goes on its own).
    expect(writes.length).toBeLessThan(live.length * 0.7);
    expect(writes.length).toBeGreaterThanOrEqual(frames);
    for (const write of writes.slice(0, -1)) {
      const last = write.at(-1)!;
      const endsOnVideo = last.kind === "video" || last.kind === "keyframe";
      expect(endsOnVideo || last.timestamp - write[0]!.timestamp >= 50).toBe(true);
    }
    // Detached, nothing stays held.
    feeder.detach();
    expect(media(sink.tags())).toHaveLength(media(tags.slice(firstKeyframe, firstKeyframe + 121)).length);
  });

  it("lets audio go on its own within 50 ms of media time when no video frame comes, and at once for a stream without video", () => {
    const audio = tags.filter((tag) => tag.kind === "audio");
    const header = tags.find((tag) => tag.kind === "audioHeader")!;
    const soundOnly = new Source("radio");
    soundOnly.push(header);
    const sink = new Sink();
    new Feeder(sink).follow(soundOnly);
    for (const tag of audio.slice(0, 10)) soundOnly.push(tag);
    expect(media(sink.tags())).toHaveLength(10);

    // Video paused: audio is held, but never beyond 50 ms of its own time.
    const obs = new Source("obs");
    for (const tag of tags.slice(0, firstKeyframe + 1)) obs.push(tag);
    const held = new Sink();
    new Feeder(held).follow(obs);
    const start = tags[firstKeyframe]!.timestamp;
    const later = audio.filter((tag) => tag.timestamp > start).slice(0, 12);
    let heldOnce = false;
    for (const [index, tag] of later.entries()) {
      obs.push(tag);
      const sent = media(held.tags()).filter((got) => got.type === 8).length;
      if (sent > index) continue;
      // Whatever is still held came less than 50 ms of media time before the newest tag.
      heldOnce = true;
      expect(tag.timestamp - later[sent]!.timestamp).toBeLessThan(50);
    }
    // Some was held: the audio did not simply go out tag by tag.
    expect(heldOnce).toBe(true);
  });
});
