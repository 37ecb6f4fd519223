// The keyframe caches of every ingest stream share one bound: a publisher more takes from the others'
// share, never from the bridge's memory.

import { describe, expect, it } from "vitest";
import { cacheShareBytes, MAX_INGEST_STREAMS, STREAM_CACHE_BYTES, TOTAL_CACHE_BYTES } from "../../../bridge/media/ingest-limits.js";
import { GopCache } from "../../../bridge/media/gop-cache.js";
import { makeTag } from "../../../bridge/media/flv.js";

const keyframe = (at: number, size: number) => makeTag(9, at, Buffer.concat([Buffer.from([0x17, 0x01, 0, 0, 0]), Buffer.alloc(size)]));
const frame = (at: number, size: number) => makeTag(9, at, Buffer.concat([Buffer.from([0x27, 0x01, 0, 0, 0]), Buffer.alloc(size)]));

describe("ingest limits", () => {
  it("one stream keeps its own bound; more streams share the total", () => {
    expect(cacheShareBytes(1)).toBe(STREAM_CACHE_BYTES);
    expect(cacheShareBytes(4)).toBe(TOTAL_CACHE_BYTES / 4);
    expect(cacheShareBytes(MAX_INGEST_STREAMS) * MAX_INGEST_STREAMS).toBeLessThanOrEqual(TOTAL_CACHE_BYTES);
  });

  it("4 streams of one keyframe then 400 kB P-frames hold at most the total between them", () => {
    let streams = 1;
    const limits = {
      get maxBytes() {
        return cacheShareBytes(streams);
      },
    };
    const caches = Array.from({ length: 4 }, () => new GopCache(limits));
    streams = caches.length;
    let most = 0;
    for (const cache of caches) cache.push(keyframe(0, 400_000));
    for (let index = 1; index <= 400; index += 1) {
      for (const cache of caches) cache.push(frame(index * 33, 400_000));
      most = Math.max(most, caches.reduce((sum, cache) => sum + cache.bytes, 0));
    }
    expect(most).toBeLessThanOrEqual(TOTAL_CACHE_BYTES);
    expect(most).toBeGreaterThan(TOTAL_CACHE_BYTES / 2);
  });
});
