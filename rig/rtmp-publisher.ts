// A small RTMP client over a plain socket, for tests that send what no well-behaved encoder sends: a
// connect followed by a hostile data message, a publish under any name, codec headers and frames of
// the test's choosing (taken from a fixture or made up). It speaks just enough RTMP to be taken as an
// encoder: the handshake, connect, createStream, publish, and media messages on the published stream.

import { connect, type Socket } from "node:net";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { decodeAmf0, encodeAmf0, type AmfValue } from "../bridge/media/rtmp/amf0.js";
import { ChunkReader, MessageType, controlMessage, userControlMessage, writeChunks, type RtmpMessage } from "../bridge/media/rtmp/chunk-stream.js";
import { FlvReader, type FlvTag } from "../bridge/media/flv.js";

const HANDSHAKE_SIZE = 1536;
/** Large chunks: a hostile message goes out in few chunks, as fast as the socket takes it. */
const CHUNK_SIZE = 65_536;

/** One connection to an RTMP server, connected (the handshake and `connect` sent). */
export interface RtmpPublisher {
  /** The server's onStatus codes and command names, in order. */
  readonly heard: string[];
  /** Resolves when the connection closes (the error, or null when closed by us). */
  readonly ended: Promise<Error | null>;
  readonly closed: boolean;
  /** createStream then publish `name`; resolves on NetStream.Publish.Start, rejects on a refusal or a close. */
  publish(name: string, timeoutMs?: number): Promise<void>;
  /** An audio, video or data message on the published stream (or stream 1 before a publish). */
  send(typeId: number, timestamp: number, payload: Buffer): void;
  /** A data message carrying these exact bytes (any AMF, valid or not). */
  sendData(payload: Buffer): void;
  /** Resolves once everything written so far went to the kernel. */
  flushed(): Promise<void>;
  close(): void;
}

/** Connects to rtmp://HOST:PORT/APP: handshake, chunk size, `connect`. Resolves once `connect` is written. */
export async function connectRtmp(serverUrl: string): Promise<RtmpPublisher> {
  const url = new URL(serverUrl);
  const app = url.pathname.replace(/^\/+/, "");
  const socket: Socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port || 1935) });
  socket.setNoDelay(true);
  const reader = new ChunkReader();
  const heard: string[] = [];
  let closed = false;
  let closedByUs = false;
  let streamId = 1;
  let handshake: Buffer | null = Buffer.alloc(0);
  const waiters = new Set<(name: string, info: AmfValue) => void>();
  let connected!: () => void;
  let failed!: (error: Error) => void;
  const handshakeDone = new Promise<void>((resolve, reject) => ((connected = resolve), (failed = reject)));
  let endedWith!: (error: Error | null) => void;
  const ended = new Promise<Error | null>((resolve) => (endedWith = resolve));

  const write = (message: RtmpMessage) => {
    if (!closed) socket.write(writeChunks(message, CHUNK_SIZE));
  };
  const command = (values: AmfValue[], onStream = 0) =>
    write({ chunkStreamId: onStream ? 8 : 3, typeId: MessageType.commandAmf0, streamId: onStream, timestamp: 0, payload: encodeAmf0(values) });

  socket.on("data", (bytes: Buffer) => {
    if (handshake !== null) {
      handshake = Buffer.concat([handshake, bytes]);
      if (handshake.length < 1 + 2 * HANDSHAKE_SIZE) return;
      const s1 = handshake.subarray(1, 1 + HANDSHAKE_SIZE);
      const rest = handshake.subarray(1 + 2 * HANDSHAKE_SIZE);
      handshake = null;
      socket.write(s1);
      write(controlMessage(MessageType.setChunkSize, CHUNK_SIZE));
      command(["connect", 1, { app, type: "nonprivate", flashVer: "FMLE/3.0", tcUrl: `rtmp://${url.host}/${app}` }]);
      connected();
      if (rest.length === 0) return;
      bytes = rest;
    }
    let messages: RtmpMessage[];
    try {
      messages = reader.push(bytes);
    } catch (error) {
      socket.destroy(error as Error);
      return;
    }
    for (const message of messages) {
      if (message.typeId === MessageType.userControl && message.payload.readUInt16BE(0) === 6) {
        write(userControlMessage(7, message.payload.readUInt32BE(2)));
      }
      if (message.typeId !== MessageType.commandAmf0) continue;
      let values: AmfValue[];
      try {
        values = decodeAmf0(message.payload);
      } catch {
        continue;
      }
      const name = String(values[0]);
      const info = values[3];
      const code = name === "onStatus" ? String((info as { code?: unknown } | undefined)?.code ?? "") : name;
      heard.push(code);
      for (const waiter of waiters) waiter(name, name === "_result" ? (values[3] as AmfValue) : info);
    }
  });
  let failure: Error | null = null;
  socket.on("error", (error) => {
    failure = error;
    failed(error);
  });
  socket.on("close", () => {
    closed = true;
    failed(failure ?? new Error("the RTMP server closed the connection during the handshake"));
    endedWith(closedByUs ? null : (failure ?? new Error("the RTMP server closed the connection")));
    for (const waiter of waiters) waiter("close", null);
  });
  socket.once("connect", () => {
    const c1 = Buffer.alloc(HANDSHAKE_SIZE);
    randomBytes(HANDSHAKE_SIZE - 8).copy(c1, 8);
    socket.write(Buffer.concat([Buffer.from([3]), c1]));
  });
  await handshakeDone;

  return {
    heard,
    ended,
    get closed() {
      return closed;
    },
    async publish(name, timeoutMs = 10_000) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`publish of "${name}" not answered in ${timeoutMs} ms (heard: ${heard.join(", ")})`)), timeoutMs);
        const done = (error?: Error) => {
          clearTimeout(timer);
          waiters.delete(waiter);
          if (error) reject(error);
          else resolve();
        };
        const waiter = (said: string, info: AmfValue) => {
          if (said === "close") return done(new Error(`the server closed the connection instead of taking the publish of "${name}"`));
          if (said === "_result" && typeof info === "number") {
            streamId = info;
            write({ chunkStreamId: 8, typeId: MessageType.commandAmf0, streamId, timestamp: 0, payload: encodeAmf0(["publish", 0, null, name, "live"]) });
            return;
          }
          if (said === "onStatus") {
            const code = heard.at(-1) ?? "";
            if (code === "NetStream.Publish.Start") return done();
            if (code.startsWith("NetStream.Publish.")) return done(new Error(`publish of "${name}" refused: ${code}`));
          }
        };
        waiters.add(waiter);
        command(["releaseStream", 2, null, name]);
        command(["FCPublish", 3, null, name]);
        command(["createStream", 4, null]);
      });
    },
    send(typeId, timestamp, payload) {
      write({ chunkStreamId: typeId === MessageType.audio ? 4 : typeId === MessageType.video ? 6 : 5, typeId, streamId, timestamp, payload });
    },
    sendData(payload) {
      write({ chunkStreamId: 5, typeId: MessageType.dataAmf0, streamId, timestamp: 0, payload });
    },
    flushed() {
      return new Promise((resolve) => (closed || socket.writableLength === 0 ? resolve() : socket.once("drain", () => resolve())));
    },
    close() {
      closedByUs = true;
      closed = true;
      socket.destroy();
    },
  };
}

/**
 * `@setDataFrame onMetaData` whose one property holds objects nested `depth` levels deep (about 7 bytes
 * a level): a message nginx-rtmp 1.2.2's AMF reader recurses into until its worker's stack runs out.
 */
export function deeplyNestedMetadata(depth: number): Buffer {
  const head = encodeAmf0(["@setDataFrame", "onMetaData"]);
  const open = Buffer.from([0x03, 0x00, 0x01, 0x61]); // an object, its first property named "a"…
  const close = Buffer.from([0x00, 0x00, 0x09]); // …and the object's end
  const body = Buffer.alloc(depth * (open.length + close.length) + 1);
  let at = 0;
  for (let level = 0; level < depth; level += 1) at += open.copy(body, at);
  body[at] = 0x05; // the innermost value: null
  at += 1;
  for (let level = 0; level < depth; level += 1) at += close.copy(body, at);
  return Buffer.concat([head, body]);
}

/** The tags of test/fixtures/two-gops.flv: H.264 and AAC headers, then two GOPs of real frames. */
export async function fixtureTags(): Promise<FlvTag[]> {
  const bytes = await readFile(fileURLToPath(new URL("../test/fixtures/two-gops.flv", import.meta.url)));
  return new FlvReader().push(bytes);
}

/** A publisher sending tags in real time, looped; `stop` ends the loop (the connection stays). */
export interface TagLoop {
  stop(): void;
  /** Frames sent so far (audio and video). */
  readonly sent: number;
}

/**
 * Sends `tags` on `publisher` at their own pace, again and again with time going on: the codec headers
 * and metadata once (unless `headers: false`), then the frames, looped from `startMs` on.
 */
export function loopTags(publisher: RtmpPublisher, tags: readonly FlvTag[], options: { headers?: boolean; startMs?: number } = {}): TagLoop {
  const isHeader = (tag: FlvTag) => tag.kind === "videoHeader" || tag.kind === "audioHeader" || tag.kind === "metadata";
  const frames = tags.filter((tag) => !isHeader(tag) && tag.kind !== "other");
  const first = frames[0]?.timestamp ?? 0;
  const length = Math.max(1, (frames.at(-1)?.timestamp ?? 0) - first + 100);
  const startMs = options.startMs ?? 0;
  if (options.headers !== false) for (const tag of tags.filter(isHeader)) publisher.send(tag.type, startMs, tag.data);
  const began = performance.now();
  let index = 0;
  let round = 0;
  let sent = 0;
  const timer = setInterval(() => {
    const elapsed = performance.now() - began;
    for (;;) {
      if (publisher.closed) return clearInterval(timer);
      const frame = frames[index]!;
      const at = round * length + frame.timestamp - first;
      if (at > elapsed) return;
      publisher.send(frame.type, startMs + at, frame.data);
      sent += 1;
      index += 1;
      if (index === frames.length) {
        index = 0;
        round += 1;
      }
    }
  }, 10);
  return {
    stop: () => clearInterval(timer),
    get sent() {
      return sent;
    },
  };
}

/** Bits written most significant first, for a made-up H.264 parameter set. */
class BitWriter {
  readonly bits: number[] = [];
  u(count: number, value: number): void {
    for (let bit = count - 1; bit >= 0; bit -= 1) this.bits.push(Math.floor(value / 2 ** bit) % 2);
  }
  ue(value: number): void {
    const code = value + 1;
    const length = Math.floor(Math.log2(code)) + 1;
    this.u(length - 1, 0);
    this.u(length, code);
  }
  bytes(): Buffer {
    this.bits.push(1); // rbsp_stop_one_bit
    while (this.bits.length % 8 !== 0) this.bits.push(0);
    const out: number[] = [];
    for (let at = 0; at < this.bits.length; at += 8) out.push(this.bits.slice(at, at + 8).reduce((byte, bit) => byte * 2 + bit, 0));
    // Emulation prevention: 00 00 followed by 00-03 gets a 03 between.
    const escaped: number[] = [];
    for (const byte of out) {
      if (escaped.length >= 2 && escaped.at(-1) === 0 && escaped.at(-2) === 0 && byte <= 3) escaped.push(3);
      escaped.push(byte);
    }
    return Buffer.from(escaped);
  }
}

/**
 * An FLV AVC sequence header (0x17 0x00 …) whose SPS says the picture is `width`×`height` (multiples
 * of 16), Baseline profile at level 3.0, with a PPS: what an encoder sends before its first keyframe.
 */
export function avcSequenceHeader(width: number, height: number): Buffer {
  const bits = new BitWriter();
  bits.u(8, 66); // profile_idc: Baseline
  bits.u(8, 0xc0); // constraint flags
  bits.u(8, 30); // level_idc
  bits.ue(0); // seq_parameter_set_id
  bits.ue(0); // log2_max_frame_num_minus4
  bits.ue(2); // pic_order_cnt_type
  bits.ue(1); // max_num_ref_frames
  bits.u(1, 0); // gaps_in_frame_num_value_allowed_flag
  bits.ue(width / 16 - 1);
  bits.ue(height / 16 - 1);
  bits.u(1, 1); // frame_mbs_only_flag
  bits.u(1, 1); // direct_8x8_inference_flag
  bits.u(1, 0); // frame_cropping_flag
  bits.u(1, 0); // vui_parameters_present_flag
  const sps = Buffer.concat([Buffer.from([0x67]), bits.bytes()]);
  const pps = Buffer.from([0x68, 0xce, 0x38, 0x80]);
  const length = (bytes: Buffer) => Buffer.from([bytes.length >> 8, bytes.length & 0xff]);
  return Buffer.concat([
    Buffer.from([0x17, 0x00, 0x00, 0x00, 0x00, 0x01, 66, 0xc0, 30, 0xff, 0xe1]),
    length(sps),
    sps,
    Buffer.from([0x01]),
    length(pps),
    pps,
  ]);
}
