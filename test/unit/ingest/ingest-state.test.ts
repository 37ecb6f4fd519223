// Whether the ingest is live, in one place: published streams, media flowing, the main stream, and
// so what each destination reads.

import { describe, expect, it } from "vitest";
import { configSchema, type Config, type Destination } from "../../../bridge/config/schema.js";
import { IngestState } from "../../../bridge/ingest/ingest-state.js";

const config = (fields: { key?: string; destinations?: Partial<Destination>[] } = {}): Config =>
  configSchema.parse({
    ingest: { key: fields.key ?? "" },
    destinations: (fields.destinations ?? []).map((d, i) => ({ id: `d${i}`, name: `D${i}`, url: "rtmp://127.0.0.1:1936/live", ...d })),
  });

describe("IngestState", () => {
  it("gives a destination its stream only once media flows, not on the publish alone", () => {
    const changes: number[] = [];
    const state = new IngestState(() => changes.push(1));
    const cfg = config({ destinations: [{}] });
    state.published("obs", "7", 1_000);
    expect(changes).toHaveLength(1);
    expect(state.mainStream(cfg)).toBe("obs");
    expect(state.readsFor(cfg, cfg.destinations[0]!)).toBeNull();
    state.mediaUp("obs");
    expect(state.readsFor(cfg, cfg.destinations[0]!)).toBe("obs");
  });

  it("keeps the stream relays follow as the main one while it is published, even when an older one appears", () => {
    const state = new IngestState(() => undefined);
    const cfg = config();
    state.published("b", "2", 2_000);
    expect(state.mainStream(cfg)).toBe("b");
    // A stream learnt from the stat page can be older than the one relays follow.
    state.applyStat([{ app: "live", name: "a", publishing: true, timeMs: 60_000, bytesIn: 0, bwIn: 0, clients: 1 }], 3_000);
    expect(state.mainStream(cfg)).toBe("b");
  });

  it("remembers the last main stream while none is published, so held relays wait for it", () => {
    const state = new IngestState(() => undefined);
    const cfg = config();
    state.published("obs", "1", 1_000);
    state.mainStream(cfg);
    state.publishDone("obs", "1");
    expect(state.mainStream(cfg)).toBe("obs");
  });

  it("without a key, never makes another name the main stream: not while OBS is held, nor once it is gone", () => {
    const state = new IngestState(() => undefined);
    const cfg = config({ destinations: [{}] });
    state.published("obs", "1", 1_000);
    state.mediaUp("obs");
    expect(state.readsFor(cfg, cfg.destinations[0]!)).toBe("obs");
    // OBS drops (its relays are held on the stand-in): a stranger publishes under another name.
    state.publishDone("obs", "1");
    state.mediaDown("obs", 30_000);
    state.published("intruder", "2", 2_000);
    state.mediaUp("intruder");
    expect(state.mainStream(cfg)).toBe("obs");
    expect(state.readsFor(cfg, cfg.destinations[0]!)).toBeNull();
    // Long after the hold, with nothing else published: still OBS's name.
    state.publishDone("intruder", "2");
    state.published("intruder", "3", 90_000);
    state.mediaUp("intruder");
    expect(state.mainStream(cfg)).toBe("obs");
    expect(state.readsFor(cfg, cfg.destinations[0]!)).toBeNull();
    // OBS back under its name: the platforms get it again.
    state.published("obs", "4", 95_000);
    state.mediaUp("obs");
    expect(state.readsFor(cfg, cfg.destinations[0]!)).toBe("obs");
  });

  it("reads a destination's source from KEY-SOURCE and never picks a claimed source as the main stream", () => {
    const state = new IngestState(() => undefined);
    const cfg = config({ key: "k3y-for-obs-123", destinations: [{ source: "cam2" }, {}] });
    state.published("k3y-for-obs-123-cam2", "1", 1_000);
    state.mediaUp("k3y-for-obs-123-cam2");
    expect(state.mainStream(cfg)).toBeNull();
    expect(state.readsFor(cfg, cfg.destinations[0]!)).toBe("k3y-for-obs-123-cam2");
    expect(state.readsFor(cfg, cfg.destinations[1]!)).toBeNull();
  });

  it("keeps how long relays of a stream that went down are held, until its media flows again", () => {
    const state = new IngestState(() => undefined);
    state.mediaUp("obs");
    expect(state.heldMs("obs")).toBe(0);
    state.mediaDown("obs", 30_000);
    expect(state.heldMs("obs")).toBe(30_000);
    state.mediaUp("obs");
    expect(state.heldMs("obs")).toBe(0);
  });

  it("ignores the end of a connection that does not publish the stream", () => {
    const state = new IngestState(() => undefined);
    state.published("obs", "1", 1_000);
    expect(state.publishDone("obs", "2")).toBe(false);
    expect(state.names).toEqual(["obs"]);
    expect(state.publishDone("obs", "1")).toBe(true);
  });

  it("shows a wrong-application hint for ten minutes", () => {
    const state = new IngestState(() => undefined);
    state.noteWrongApplication("use rtmp://THIS-COMPUTER:1935/live", 0);
    expect(state.wrongApplicationHint(9 * 60_000)).toBe("use rtmp://THIS-COMPUTER:1935/live");
    expect(state.wrongApplicationHint(11 * 60_000)).toBeUndefined();
  });
});
