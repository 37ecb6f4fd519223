// A relay's stdin as the feeder's sink. The media path writes every relay once per video frame, so
// the cost of one write is what the bridge pays per relay: through Node's stream a vectored write also
// runs the stream's bookkeeping and a completion callback, about as much again as the system call
// itself (bench/findings.md). Where the pipe has a file descriptor (Linux, macOS) and nothing
// is queued before it, the chunks go to the descriptor in one synchronous writev; what the pipe does
// not take then (a relay that reads slower than the stream) is queued by the stream as before, and
// everything after it waits behind it in the stream, so the order never changes. Windows pipes have
// no descriptor: there every write goes through the stream, corked into one vectored write.

import { writevSync } from "node:fs";
import type { Writable } from "node:stream";
import type { FeedSink } from "./feeder.js";

/** The stream's native handle: Node's pipe wrap has `fd` on POSIX (-1 on Windows). */
interface WithHandle {
  _handle?: { fd?: number } | null;
}

/** What the sink did, for tests and diagnostics. */
export interface PipeSinkCounts {
  /** Writes taken whole by the descriptor. */
  direct: number;
  /** Writes queued (wholly or in part) on the stream. */
  queued: number;
}

export interface PipeSink extends FeedSink {
  readonly counts: PipeSinkCounts;
}

/** Chunks from byte `offset` of `chunks` on (the part a short write did not take). */
export function chunksFrom(chunks: readonly Buffer[], offset: number): Buffer[] {
  let skip = offset;
  let index = 0;
  while (index < chunks.length && skip >= chunks[index]!.length) {
    skip -= chunks[index]!.length;
    index += 1;
  }
  const rest = chunks.slice(index);
  if (rest.length > 0 && skip > 0) rest[0] = rest[0]!.subarray(skip);
  return rest;
}

export function pipeSink(stream: Writable): PipeSink {
  const counts: PipeSinkCounts = { direct: 0, queued: 0 };
  /** Off for good after an error other than a full pipe: the stream then reports it its own way. */
  let direct = true;

  /** The descriptor while it is ours to write directly: open, and nothing queued before. */
  const descriptor = (): number | null => {
    if (!direct || stream.writableLength > 0 || stream.destroyed) return null;
    // The handle is dropped when the stream is destroyed, before its descriptor can be reused.
    const fd = (stream as Writable & WithHandle)._handle?.fd;
    return typeof fd === "number" && fd >= 0 ? fd : null;
  };

  const queue = (chunks: readonly Buffer[]): void => {
    if (chunks.length === 0) return;
    counts.queued += 1;
    stream.cork();
    for (const chunk of chunks) stream.write(chunk);
    stream.uncork();
  };

  return {
    counts,
    get writableLength() {
      return stream.writableLength;
    },
    get writable() {
      return stream.writable;
    },
    writev(chunks) {
      const fd = descriptor();
      if (fd === null) return queue(chunks);
      let written = 0;
      try {
        written = writevSync(fd, chunks);
      } catch (error) {
        // A full pipe takes nothing now: the stream waits until it can write. Anything else (the
        // relay exited) is the stream's to report, as without this path.
        if ((error as NodeJS.ErrnoException).code !== "EAGAIN") direct = false;
      }
      const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
      if (written >= total) {
        counts.direct += 1;
        return;
      }
      queue(chunksFrom(chunks, written));
    },
  };
}
