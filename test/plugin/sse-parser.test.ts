// The SSE parser: the event-stream format's rules, and the same events however the text is chunked.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createSseParser, type SseEvent } from "../../client/sse-parser.js";

function parse(chunks: string[]): { events: SseEvent[]; retries: number[] } {
  const events: SseEvent[] = [];
  const retries: number[] = [];
  const parser = createSseParser((event) => events.push(event), (ms) => retries.push(ms));
  for (const chunk of chunks) parser.push(chunk);
  return { events, retries };
}

const STREAM = 'retry: 2000\nevent: status\ndata: {"a":1}\n\n: keep-alive\n\nevent: status\ndata: line one\ndata: line two\nid: 7\n\ndata: plain\n\n';

describe("createSseParser", () => {
  it("reads named events, multi-line data, ids, comments and retry", () => {
    const { events, retries } = parse([STREAM]);
    expect(events).toEqual([
      { event: "status", data: '{"a":1}' },
      { event: "status", data: "line one\nline two", id: "7" },
      { event: "message", data: "plain", id: "7" },
    ]);
    expect(retries).toEqual([2000]);
  });

  it("accepts CRLF and CR line ends, a BOM, and a missing space after the colon", () => {
    expect(parse(["\ufeffevent:status\r\ndata:x\r\n\r\ndata: y\r\rdata: z\n\n"]).events).toEqual([
      { event: "status", data: "x" },
      { event: "message", data: "y" },
      { event: "message", data: "z" },
    ]);
  });

  it("dispatches nothing for an event without data, or one not yet ended by a blank line", () => {
    expect(parse(["event: status\n\n", "event: status\ndata: half"]).events).toEqual([]);
  });

  it("gives the same events however the stream is cut into chunks", () => {
    const text = STREAM.replace(/\n/g, "\r\n") + STREAM;
    const whole = parse([text]).events;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 12 }), (cuts) => {
        const points = [...new Set([0, ...cuts.sort((a, b) => a - b), text.length])];
        const chunks = points.slice(1).map((end, index) => text.slice(points[index], end));
        expect(parse(chunks).events).toEqual(whole);
      }),
    );
  });
});
