// A minimal RTMP player: connects, plays one stream, and hands every audio, video and data message
// to its caller as it arrives. The bridge reads its own nginx with it (one reader per ingest stream);
// the benchmark watches the test platforms with it. It subscribes like any player: nginx-rtmp sends the
// codec headers it keeps (AVC, AAC) first, then media as it comes, and keeps an idle subscriber until a
// publisher comes.

import { connect, type Socket } from "node:net";
import { randomBytes } from "node:crypto";
import { decodeAmf0, encodeAmf0, type AmfValue } from "./amf0.js";
import { ChunkReader, MessageType, controlMessage, userControlMessage, writeChunks, type RtmpMessage } from "./chunk-stream.js";

export interface PlayHandlers {
  /** An audio (8), video (9) or data (18) message; aggregates (22) arrive already split. */
  onMedia(message: RtmpMessage, bytesRead: number): void;
  /** An onStatus code the server sent (NetStream.Play.PublishNotify, …UnpublishNotify). */
  onStatus?(code: string): void;
  /** The connection ended (error: why, when it was not our close). */
  onClose?(error: Error | null): void;
}

export interface PlayOptions {
  /** rtmp://HOST:PORT/APP */
  serverUrl: string;
  streamName: string;
  timeoutMs?: number;
}

/** A playing connection. */
export interface PlayConnection {
  readonly closed: boolean;
  close(): void;
}

const OUR_CHUNK_SIZE = 4096;
const HANDSHAKE_SIZE = 1536;

/** Connects, plays `options.streamName`, and resolves once the server accepted the play command. */
export async function playRtmp(options: PlayOptions, handlers: PlayHandlers): Promise<PlayConnection> {
  const url = new URL(options.serverUrl);
  const app = url.pathname.replace(/^\/+/, "");
  const socket: Socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port || 1935) });
  socket.setNoDelay(true);
  const reader = new ChunkReader();
  let closed = false;
  let closedByUs = false;
  let windowAck = 2_500_000;
  let lastAck = 0;
  let handshake: Buffer | null = Buffer.alloc(0);
  let settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
  const ready = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));

  const send = (message: RtmpMessage) => {
    if (!closed) socket.write(writeChunks(message, OUR_CHUNK_SIZE));
  };
  const command = (values: AmfValue[], onStream = 0) =>
    send({ chunkStreamId: onStream ? 8 : 3, typeId: MessageType.commandAmf0, streamId: onStream, timestamp: 0, payload: encodeAmf0(values) });

  const onMessage = (message: RtmpMessage) => {
    switch (message.typeId) {
      case MessageType.audio:
      case MessageType.video:
      case MessageType.dataAmf0:
        handlers.onMedia(message, reader.bytesRead);
        return;
      case MessageType.aggregate:
        for (const part of splitAggregate(message)) handlers.onMedia(part, reader.bytesRead);
        return;
      case MessageType.windowAckSize:
        windowAck = message.payload.readUInt32BE(0);
        return;
      case MessageType.userControl:
        // A ping request (6) must be answered, or the server drops us.
        if (message.payload.readUInt16BE(0) === 6) send(userControlMessage(7, message.payload.readUInt32BE(2)));
        return;
      case MessageType.commandAmf0: {
        let values: AmfValue[];
        try {
          values = decodeAmf0(message.payload);
        } catch {
          return;
        }
        const [name, transaction, , info] = values;
        if (name === "_result" && transaction === 1) {
          command(["createStream", 2, null]);
        } else if (name === "_result" && transaction === 2) {
          const streamId = Number(info);
          send(userControlMessage(3, streamId, 100)); // buffer length: as small as a player asks
          command(["play", 3, null, options.streamName, -1000], streamId);
        } else if (name === "_error") {
          settle?.reject(new Error(`RTMP ${String(name)}: ${JSON.stringify(info)}`));
        } else if (name === "onStatus") {
          const code = String((info as { code?: unknown } | undefined)?.code ?? "");
          handlers.onStatus?.(code);
          if (code === "NetStream.Play.Start" || code === "NetStream.Play.Reset") settle?.resolve();
          if (code.startsWith("NetStream.Play.Failed") || code.startsWith("NetStream.Play.StreamNotFound")) settle?.reject(new Error(code));
        }
        return;
      }
    }
  };

  socket.on("data", (bytes: Buffer) => {
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
      socket.destroy(error as Error);
      return;
    }
    for (const message of messages) onMessage(message);
    if (reader.bytesRead - lastAck >= windowAck / 2) {
      lastAck = reader.bytesRead;
      send(controlMessage(MessageType.acknowledgement, reader.bytesRead >>> 0));
    }
  });
  let failure: Error | null = null;
  socket.on("error", (error) => {
    failure = error;
    settle?.reject(error);
  });
  socket.on("close", () => {
    closed = true;
    settle?.reject(failure ?? new Error("RTMP connection closed before play started"));
    handlers.onClose?.(closedByUs ? null : (failure ?? new Error("the RTMP server closed the connection")));
  });
  socket.once("connect", () => {
    const c1 = Buffer.alloc(HANDSHAKE_SIZE);
    randomBytes(HANDSHAKE_SIZE - 8).copy(c1, 8);
    socket.write(Buffer.concat([Buffer.from([3]), c1]));
  });

  const timeout = setTimeout(() => settle?.reject(new Error(`RTMP play of the stream did not start in time`)), options.timeoutMs ?? 10_000);
  try {
    await ready;
  } catch (error) {
    closedByUs = true;
    socket.destroy();
    throw error;
  } finally {
    clearTimeout(timeout);
    settle = undefined;
  }

  return {
    get closed() {
      return closed;
    },
    close() {
      closedByUs = true;
      closed = true;
      socket.destroy();
    },
  };
}

/** The messages inside an aggregate message: FLV tags whose times are relative to the first one's. */
export function splitAggregate(message: RtmpMessage): RtmpMessage[] {
  const out: RtmpMessage[] = [];
  const body = message.payload;
  let offset = 0;
  let first: number | null = null;
  while (offset + 11 <= body.length) {
    const typeId = body[offset]!;
    const size = body.readUIntBE(offset + 1, 3);
    const stamp = body.readUIntBE(offset + 4, 3) | (body[offset + 7]! << 24);
    if (offset + 11 + size > body.length) break;
    first ??= stamp;
    out.push({
      chunkStreamId: message.chunkStreamId,
      typeId,
      streamId: message.streamId,
      timestamp: (message.timestamp + (stamp - first)) >>> 0,
      payload: body.subarray(offset + 11, offset + 11 + size),
    });
    offset += 11 + size + 4; // the tag, then its back pointer
  }
  return out;
}
