// A source of media the relays can follow: OBS's stream read from the ingest, or the stand-in. It keeps
// a keyframe cache and hands every tag to the feeders that follow it.

import type { FlvTag } from "./flv.js";
import { GopCache, type GopCacheLimits } from "./gop-cache.js";

/** What a source offers a feeder (see feeder.ts). */
export interface SourceFollower {
  offer(source: MediaSource, tag: FlvTag): void;
}

export class MediaSource {
  readonly cache: GopCache;
  readonly #followers = new Set<SourceFollower>();
  /** Duration of one video frame (ms), for the gap left at a switch. */
  frameMs = 1000 / 30;

  /** `cacheLimits`: the keyframe cache's bound (read at every tag), GopCache's own by default. */
  constructor(readonly label: string, cacheLimits?: GopCacheLimits) {
    this.cache = new GopCache(cacheLimits);
  }

  follow(follower: SourceFollower): void {
    this.#followers.add(follower);
  }

  unfollow(follower: SourceFollower): void {
    this.#followers.delete(follower);
  }

  get followers(): number {
    return this.#followers.size;
  }

  /** Caches the tag, then gives it to every follower. */
  protected emit(tag: FlvTag): void {
    this.cache.push(tag);
    for (const follower of this.#followers) follower.offer(this, tag);
  }
}
