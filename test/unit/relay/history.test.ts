// The bridge's history: one sample per series per period, bounded to the span, deleted destinations
// forgotten, nothing counted for a destination that sends nothing.

import { describe, expect, it } from "vitest";
import { HistoryBook } from "../../../bridge/relay/history.js";
import type { DestinationView, RelayState, StatusView } from "../../../contract/api.js";

function status(ingestKbps: number, destinations: Array<[string, RelayState, number, number]>): Pick<StatusView, "ingest" | "destinations"> {
  return {
    ingest: { live: ingestKbps > 0, name: "obs", since: null, bitrateKbps: ingestKbps, ...(ingestKbps > 0 ? { video: { codec: "h264", width: 1280, height: 720, fps: 30 } } : {}) },
    destinations: destinations.map(([id, state, kbps, fps]): DestinationView => ({ id, name: id, url: "rtmp://x/app", hasKey: true, enabled: true, state, since: null, bitrateKbps: kbps, fps, restarts: 0, lastError: null, transport: "auto" })),
  };
}

describe("HistoryBook", () => {
  it("keeps each series' samples with their times, and drops the oldest past the span", () => {
    const book = new HistoryBook(5_000, 20_000);
    for (let index = 0; index < 6; index += 1) book.record(status(6000 + index, [["yt", "live", 5900.4, 29.97]]), index * 5_000);
    const view = book.view();
    expect(view).toMatchObject({ periodMs: 5_000, spanMs: 20_000 });
    expect(view.ingest).toEqual({ at: [10_000, 15_000, 20_000, 25_000], kbps: [6002, 6003, 6004, 6005], fps: [30, 30, 30, 30] });
    expect(view.destinations.yt).toEqual({ at: [10_000, 15_000, 20_000, 25_000], kbps: [5900, 5900, 5900, 5900], fps: [30, 30, 30, 30] });
  });

  it("counts nothing for a destination that sends nothing, and forgets a deleted one", () => {
    const book = new HistoryBook();
    book.record(status(6000, [["yt", "live", 5900, 30], ["tw", "retrying", 123, 5]]), 0);
    book.record(status(0, [["yt", "holding", 400, 30]]), 5_000);
    const view = book.view();
    expect(view.destinations.tw).toBeUndefined();
    expect(view.destinations.yt!.kbps).toEqual([5900, 400]);
    expect(view.ingest.kbps).toEqual([6000, 0]);
    expect(view.ingest.fps).toEqual([30, 0]);
  });
});
