// The relay's stdin sink against a real child process: writes go straight to the pipe while the child
// keeps up, queue on the stream (in order) when it does not, and a pipe the child closed is the
// stream's to report, as before the direct path.

import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { chunksFrom, pipeSink } from "../../bridge/media/pipe-sink.js";

/**
 * A child that hashes its stdin and prints the byte count and hash at its end. Asked to wait, it
 * reads only after "go", and then slowly (a pause after each read), as a relay behind its platform.
 */
function hashingChild(waitForGo: boolean): ChildProcess {
  const script = `
    const hash = require("node:crypto").createHash("sha256");
    let bytes = 0;
    process.stdin.on("data", (chunk) => {
      bytes += chunk.length;
      hash.update(chunk);
      ${waitForGo ? `process.stdin.pause(); setTimeout(() => process.stdin.resume(), 2);` : ""}
    });
    process.stdin.on("end", () => { process.stdout.write(bytes + " " + hash.digest("hex")); process.exit(0); });
    ${waitForGo ? `process.stdin.pause(); process.on("message", () => process.stdin.resume());` : ""}
  `;
  return spawn(process.execPath, ["-e", script], { stdio: ["pipe", "pipe", "inherit", "ipc"] });
}

async function resultOf(child: ChildProcess): Promise<string> {
  let out = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  await once(child, "exit");
  return out;
}

/** One frame's chunks as the feeder gathers them: a head, the payload, a tail, each numbered. */
function frame(index: number, size: number): Buffer[] {
  const payload = Buffer.alloc(size, index % 251);
  payload.writeUInt32BE(index, 0);
  const head = Buffer.alloc(11, 1);
  head.writeUInt32BE(index, 0);
  return [head, payload, Buffer.from([index & 0xff, 2, 3, 4])];
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

describe("chunksFrom", () => {
  const chunks = [Buffer.from("abc"), Buffer.from("de"), Buffer.from("fghi")];
  it("gives what a short write left, splitting the chunk it stopped in", () => {
    expect(Buffer.concat(chunksFrom(chunks, 0)).toString()).toBe("abcdefghi");
    expect(Buffer.concat(chunksFrom(chunks, 3)).toString()).toBe("defghi");
    expect(Buffer.concat(chunksFrom(chunks, 4)).toString()).toBe("efghi");
    expect(chunksFrom(chunks, 4)).toHaveLength(2);
    expect(chunksFrom(chunks, 9)).toEqual([]);
  });
});

describe("pipe sink", () => {
  it.runIf(process.platform !== "win32")("writes a child that keeps up straight to its pipe, every byte in order", async () => {
    const child = hashingChild(false);
    children.push(child);
    const sink = pipeSink(child.stdin!);
    const expected = createHash("sha256");
    let bytes = 0;
    for (let index = 0; index < 200; index += 1) {
      const chunks = frame(index, 20_000);
      for (const chunk of chunks) {
        expected.update(chunk);
        bytes += chunk.length;
      }
      sink.writev(chunks);
      // Let the child read, as a relay does between frames.
      if (sink.writableLength === 0) await new Promise((resolve) => setImmediate(resolve));
      else await once(child.stdin!, "drain");
    }
    const result = resultOf(child);
    child.stdin!.end();
    expect(await result).toBe(`${bytes} ${expected.digest("hex")}`);
    expect(sink.counts.direct).toBeGreaterThan(0);
    expect(sink.counts.direct + sink.counts.queued).toBe(200);
  });

  it("queues on the stream what a child that does not read leaves, and delivers it all in order once it reads", async () => {
    const child = hashingChild(true);
    children.push(child);
    const sink = pipeSink(child.stdin!);
    const expected = createHash("sha256");
    let bytes = 0;
    let index = 0;
    const write = () => {
      const chunks = frame(index, 25_000);
      for (const chunk of chunks) {
        expected.update(chunk);
        bytes += chunk.length;
      }
      sink.writev(chunks);
      index += 1;
    };
    // Until the pipe is full and writes wait in the stream, then as many again behind them.
    while (sink.writableLength === 0 || index < 2 * sink.counts.direct + 20) {
      write();
      if (index > 10_000) throw new Error("the pipe never filled");
    }
    expect(sink.counts.queued).toBeGreaterThan(0);
    expect(sink.writableLength).toBeGreaterThan(0);
    const result = resultOf(child);
    // The child reads again while the queue drains and more frames come: none may pass the queue.
    child.send("go");
    for (let more = 0; more < 300; more += 1) {
      write();
      await new Promise((resolve) => setImmediate(resolve));
    }
    child.stdin!.end();
    expect(await result).toBe(`${bytes} ${expected.digest("hex")}`);
  });

  it("leaves a pipe the child closed to the stream's own error, and writes nothing more directly", async () => {
    // The child closes its stdin and stays: the next write finds the pipe broken (EPIPE).
    const child = spawn(process.execPath, ["-e", "require('node:fs').closeSync(0); console.log('closed'); setTimeout(() => {}, 30_000)"], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    children.push(child);
    const errors: string[] = [];
    child.stdin!.on("error", (error: NodeJS.ErrnoException) => errors.push(error.code ?? error.message));
    await once(child.stdout!, "data");
    const sink = pipeSink(child.stdin!);
    expect(() => {
      for (let index = 0; index < 5 && sink.writable; index += 1) sink.writev(frame(index, 1_000));
    }).not.toThrow();
    if (!child.stdin!.destroyed) await new Promise((resolve) => child.stdin!.on("close", resolve));
    expect(errors).toEqual(["EPIPE"]);
    expect(sink.counts.direct).toBe(0);
    expect(sink.writable).toBe(false);
  });
});
