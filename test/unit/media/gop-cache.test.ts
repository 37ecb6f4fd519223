import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FlvReader, makeTag, TagType } from "../../../bridge/media/flv.js";
import { GopCache } from "../../../bridge/media/gop-cache.js";

const tags = new FlvReader().push(readFileSync(new URL("../../fixtures/two-gops.flv", import.meta.url)));

describe("keyframe cache", () => {
  it("holds the headers and everything since the last keyframe", () => {
    const cache = new GopCache();
    for (const tag of tags) cache.push(tag);
    expect(cache.ready).toBe(true);
    expect(cache.gop[0]!.kind).toBe("keyframe");
    expect(cache.gop[0]!.timestamp).toBe(1046);
    expect(cache.gop.filter((tag) => tag.kind === "video")).toHaveLength(9);
    expect(cache.gop.some((tag) => tag.kind === "audio")).toBe(true);
    expect(cache.keyframeIntervalMs).toBe(1000);
    expect(cache.headerTags({ metadata: true }).map((tag) => tag.kind)).toEqual(["metadata", "videoHeader", "audioHeader"]);
    expect(cache.headerTags({ metadata: false }).map((tag) => tag.kind)).toEqual(["videoHeader", "audioHeader"]);
  });

  it("is not ready before the first keyframe of a stream with video", () => {
    const cache = new GopCache();
    const firstKeyframe = tags.findIndex((tag) => tag.kind === "keyframe");
    for (const tag of tags.slice(0, firstKeyframe)) cache.push(tag);
    expect(cache.ready).toBe(false);
    expect(cache.gop).toEqual([]); // audio before any keyframe is no place to start
    cache.push(tags[firstKeyframe]!);
    expect(cache.ready).toBe(true);
  });

  it("starts an audio-only stream anywhere", () => {
    const cache = new GopCache();
    cache.push(makeTag(TagType.audio, 0, Buffer.from([0xaf, 0x00, 0x11, 0x90])));
    cache.push(makeTag(TagType.audio, 21, Buffer.from([0xaf, 0x01, 0x21])));
    expect(cache.ready).toBe(true);
    expect(cache.gop).toEqual([]);
  });

  it("drops a GOP that grows past its limit, until the next keyframe", () => {
    const cache = new GopCache({ maxBytes: 3000 });
    for (const tag of tags) cache.push(tag);
    expect(cache.gop).toEqual([]);
    expect(cache.ready).toBe(false);
    expect(cache.bytes).toBe(0);
  });
});
