// A minimal RTMP player that records when each audio/video message arrives. It subscribes before
// anyone publishes (nginx-rtmp keeps an idle subscriber and feeds it when a publisher comes), so one
// player watches a platform's stream across every toggle: the first video after a press is when the
// platform started receiving, the gaps between messages are the stalls a viewer would see.

import { connect, type Socket } from "node:net";
import { randomBytes } from "node:crypto";
import { decodeAmf0, encodeAmf0, type AmfValue } from "./amf0.js";
import { ChunkReader, MessageType, controlMessage, userControlMessage, writeChunks, type RtmpMessage } from "./chunk-stream.js";
import { readMediaTag } from "./media-tag.js";
import { now } from "../clock.js";

/** One audio or video message as it arrived. */
export interface Arrival {
  /** Epoch milliseconds (sub-millisecond resolution) when its last byte was read. */
  at: number;
  kind: "audio" | "video";
  keyframe: boolean;
  sequenceHeader: boolean;
  /** The stream's own timestamp, ms. */
  timestamp: number;
  bytes: number;
}

/** An onStatus the server sent (NetStream.Play.PublishNotify, ...UnpublishNotify, ...). */
export interface StatusNote {
  at: number;
  code: string;
}

export interface Player {
  readonly arrivals: Arrival[];
  readonly statuses: StatusNote[];
  /** Total media bytes received. */
  readonly mediaBytes: number;
  readonly closed: boolean;
  /** Media messages that arrived at or after `from` (epoch ms). */
  arrivalsSince(from: number): Arrival[];
  /** Drops what was recorded before `before` (keeps memory bounded on long runs). */
  forget(before: number): void;
  close(): void;
}

export interface PlayerOptions {
  /** rtmp://HOST:PORT/APP */
  serverUrl: string;
  streamName: string;
  /** Keep per-message records (false: count bytes only). */
  record?: boolean;
  timeoutMs?: number;
}

const OUR_CHUNK_SIZE = 4096;
const HANDSHAKE_SIZE = 1536;

/** Connects, plays `streamName` and resolves once the server accepted the play command. */
export async function startPlayer(options: PlayerOptions): Promise<Player> {
  const url = new URL(options.serverUrl);
  const app = url.pathname.replace(/^\/+/, "");
  const socket: Socket = connect({ host: url.hostname, port: Number(url.port || 1935) });
  socket.setNoDelay(true);
  const record = options.record ?? true;
  const arrivals: Arrival[] = [];
  const statuses: StatusNote[] = [];
  const reader = new ChunkReader();
  let mediaBytes = 0;
  let closed = false;
  let windowAck = 2_500_000;
  let lastAck = 0;
  let handshake: Buffer | null = Buffer.alloc(0);
  let streamId = 0;
  let settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
  const ready = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));

  const send = (message: RtmpMessage) => {
    if (!closed) socket.write(writeChunks(message, OUR_CHUNK_SIZE));
  };
  const command = (values: AmfValue[], onStream = 0) =>
    send({ chunkStreamId: onStream ? 8 : 3, typeId: MessageType.commandAmf0, streamId: onStream, timestamp: 0, payload: encodeAmf0(values) });

  const onMessage = (message: RtmpMessage, at: number) => {
    switch (message.typeId) {
      case MessageType.audio:
      case MessageType.video: {
        mediaBytes += message.payload.length;
        if (!record) return;
        const tag = readMediaTag(message.typeId, message.payload);
        if (tag) arrivals.push({ at, ...tag, timestamp: message.timestamp, bytes: message.payload.length });
        return;
      }
      case MessageType.windowAckSize:
        windowAck = message.payload.readUInt32BE(0);
        return;
      case MessageType.userControl: {
        // Ping request (6) must be answered, or the server drops us.
        if (message.payload.readUInt16BE(0) === 6) send(userControlMessage(7, message.payload.readUInt32BE(2)));
        return;
      }
      case MessageType.commandAmf0: {
        const [name, transaction, , info] = decodeAmf0(message.payload);
        if (name === "_result" && transaction === 1) {
          command(["createStream", 2, null]);
        } else if (name === "_result" && transaction === 2) {
          streamId = Number(info);
          send(userControlMessage(3, streamId, 100)); // buffer length: as small as a player asks
          command(["play", 3, null, options.streamName, -1000], streamId);
        } else if (name === "_error") {
          settle?.reject(new Error(`RTMP ${String(name)}: ${JSON.stringify(info)}`));
        } else if (name === "onStatus") {
          const code = String((info as { code?: unknown } | undefined)?.code ?? "");
          statuses.push({ at, code });
          if (code === "NetStream.Play.Start" || code === "NetStream.Play.Reset") settle?.resolve();
          if (code.startsWith("NetStream.Play.Failed") || code.startsWith("NetStream.Play.StreamNotFound")) settle?.reject(new Error(code));
        }
        return;
      }
    }
  };

  socket.on("data", (bytes: Buffer) => {
    const at = now();
    if (handshake !== null) {
      handshake = Buffer.concat([handshake, bytes]);
      if (handshake.length < 1 + 2 * HANDSHAKE_SIZE) return;
      const s1 = handshake.subarray(1, 1 + HANDSHAKE_SIZE);
      const rest = handshake.subarray(1 + 2 * HANDSHAKE_SIZE);
      handshake = null;
      socket.write(s1); // C2 echoes S1
      send(controlMessage(MessageType.setChunkSize, OUR_CHUNK_SIZE));
      command([
        "connect",
        1,
        { app, flashVer: "LNX 9,0,124,2", tcUrl: `rtmp://${url.host}/${app}`, fpad: false, capabilities: 15, audioCodecs: 3575, videoCodecs: 252, videoFunction: 1 },
      ]);
      if (rest.length === 0) return;
      bytes = rest;
    }
    let messages: RtmpMessage[];
    try {
      messages = reader.push(bytes);
    } catch (error) {
      settle?.reject(error as Error);
      socket.destroy();
      return;
    }
    for (const message of messages) onMessage(message, at);
    if (reader.bytesRead - lastAck >= windowAck / 2) {
      lastAck = reader.bytesRead;
      send(controlMessage(MessageType.acknowledgement, reader.bytesRead >>> 0));
    }
  });
  socket.on("error", (error) => settle?.reject(error));
  socket.on("close", () => {
    closed = true;
    settle?.reject(new Error("RTMP connection closed before play started"));
  });
  socket.once("connect", () => {
    const c1 = Buffer.alloc(HANDSHAKE_SIZE);
    randomBytes(HANDSHAKE_SIZE - 8).copy(c1, 8);
    socket.write(Buffer.concat([Buffer.from([3]), c1]));
  });

  const timeout = setTimeout(() => settle?.reject(new Error(`RTMP play of ${options.streamName} did not start in time`)), options.timeoutMs ?? 10_000);
  try {
    await ready;
  } catch (error) {
    socket.destroy();
    throw error;
  } finally {
    clearTimeout(timeout);
    settle = undefined;
  }

  return {
    arrivals,
    statuses,
    get mediaBytes() {
      return mediaBytes;
    },
    get closed() {
      return closed;
    },
    arrivalsSince(from) {
      // Arrivals are in time order: search from the end, where recent ones are.
      let index = arrivals.length;
      while (index > 0 && arrivals[index - 1]!.at >= from) index -= 1;
      return arrivals.slice(index);
    },
    forget(before) {
      const keep = arrivals.findIndex((arrival) => arrival.at >= before);
      arrivals.splice(0, keep < 0 ? arrivals.length : keep);
    },
    close() {
      closed = true;
      socket.destroy();
    },
  };
}
