// RTMP's chunk stream: messages cut into chunks with compressed headers. The reader is fed bytes as
// they arrive and hands back whole messages; the writer turns one message into chunk bytes. Pure.

/** One RTMP message, reassembled. */
export interface RtmpMessage {
  chunkStreamId: number;
  typeId: number;
  streamId: number;
  /** Absolute timestamp, milliseconds. */
  timestamp: number;
  payload: Buffer;
}

/** Message type ids the player uses. */
export const MessageType = {
  setChunkSize: 1,
  abort: 2,
  acknowledgement: 3,
  userControl: 4,
  windowAckSize: 5,
  setPeerBandwidth: 6,
  audio: 8,
  video: 9,
  dataAmf0: 18,
  commandAmf0: 20,
  aggregate: 22,
} as const;

interface ChunkStreamState {
  timestamp: number;
  delta: number;
  length: number;
  typeId: number;
  streamId: number;
  extended: boolean;
  parts: Buffer[];
  received: number;
}

/** Incremental reader: `push` bytes, get the messages completed by them. */
export class ChunkReader {
  #buffer: Buffer = Buffer.alloc(0);
  #chunkSize = 128;
  readonly #streams = new Map<number, ChunkStreamState>();
  /** Bytes read so far (for acknowledgements). */
  bytesRead = 0;

  /** The peer's chunk size, as announced by its Set Chunk Size message. */
  get chunkSize(): number {
    return this.#chunkSize;
  }

  push(bytes: Buffer): RtmpMessage[] {
    this.bytesRead += bytes.length;
    this.#buffer = this.#buffer.length === 0 ? bytes : Buffer.concat([this.#buffer, bytes]);
    const messages: RtmpMessage[] = [];
    for (;;) {
      const consumed = this.#readChunk(messages);
      if (consumed === 0) break;
      this.#buffer = this.#buffer.subarray(consumed);
    }
    return messages;
  }

  /** Reads one chunk at the start of the buffer; returns the bytes it took, 0 when incomplete. */
  #readChunk(messages: RtmpMessage[]): number {
    const buffer = this.#buffer;
    if (buffer.length < 1) return 0;
    const fmt = buffer[0]! >> 6;
    let chunkStreamId = buffer[0]! & 0x3f;
    let offset = 1;
    if (chunkStreamId === 0) {
      if (buffer.length < 2) return 0;
      chunkStreamId = 64 + buffer[1]!;
      offset = 2;
    } else if (chunkStreamId === 1) {
      if (buffer.length < 3) return 0;
      chunkStreamId = 64 + buffer[1]! + buffer[2]! * 256;
      offset = 3;
    }
    const headerLength = [11, 7, 3, 0][fmt]!;
    if (buffer.length < offset + headerLength) return 0;
    const previous = this.#streams.get(chunkStreamId);
    if (fmt !== 0 && !previous) throw new Error(`RTMP: chunk stream ${chunkStreamId} continues a message it never began`);
    const state: ChunkStreamState = previous ?? { timestamp: 0, delta: 0, length: 0, typeId: 0, streamId: 0, extended: false, parts: [], received: 0 };
    let stamp = 0;
    if (fmt <= 2) stamp = buffer.readUIntBE(offset, 3);
    if (fmt <= 1) {
      state.length = buffer.readUIntBE(offset + 3, 3);
      state.typeId = buffer[offset + 6]!;
    }
    if (fmt === 0) state.streamId = buffer.readUInt32LE(offset + 7);
    offset += headerLength;
    const extended = fmt <= 2 ? stamp === 0xffffff : state.extended;
    if (extended) {
      if (buffer.length < offset + 4) return 0;
      stamp = fmt <= 2 ? buffer.readUInt32BE(offset) : stamp;
      offset += 4;
    }
    const starting = state.received === 0;
    const take = Math.min(this.#chunkSize, state.length - state.received);
    if (buffer.length < offset + take) return 0;

    // The chunk is whole: commit the header to the chunk stream's state.
    if (fmt <= 2) state.extended = extended;
    if (starting) {
      if (fmt === 0) {
        state.timestamp = stamp;
        state.delta = 0;
      } else if (fmt === 1 || fmt === 2) {
        state.delta = stamp;
        state.timestamp += stamp;
      } else {
        state.timestamp += state.delta;
      }
    }
    this.#streams.set(chunkStreamId, state);
    state.parts.push(buffer.subarray(offset, offset + take));
    state.received += take;
    if (state.received >= state.length) {
      const payload = Buffer.concat(state.parts);
      state.parts = [];
      state.received = 0;
      const message: RtmpMessage = { chunkStreamId, typeId: state.typeId, streamId: state.streamId, timestamp: state.timestamp, payload };
      if (message.typeId === MessageType.setChunkSize && payload.length >= 4) this.#chunkSize = payload.readUInt32BE(0) & 0x7fffffff;
      if (message.typeId === MessageType.abort && payload.length >= 4) this.#streams.delete(payload.readUInt32BE(0));
      messages.push(message);
    }
    return offset + take;
  }
}

/** The chunk bytes of one message, every chunk after the first with a type-3 header. */
export function writeChunks(message: RtmpMessage, chunkSize: number): Buffer {
  const basic = (fmt: number) => {
    const id = message.chunkStreamId;
    if (id < 64) return Buffer.from([(fmt << 6) | id]);
    if (id < 320) return Buffer.from([fmt << 6, id - 64]);
    return Buffer.from([(fmt << 6) | 1, (id - 64) & 0xff, (id - 64) >> 8]);
  };
  const extended = message.timestamp >= 0xffffff;
  const header = Buffer.alloc(11);
  header.writeUIntBE(extended ? 0xffffff : message.timestamp, 0, 3);
  header.writeUIntBE(message.payload.length, 3, 3);
  header[6] = message.typeId;
  header.writeUInt32LE(message.streamId, 7);
  const stamp = Buffer.alloc(extended ? 4 : 0);
  if (extended) stamp.writeUInt32BE(message.timestamp, 0);
  const parts: Buffer[] = [];
  for (let offset = 0; offset < message.payload.length || offset === 0; offset += chunkSize) {
    parts.push(offset === 0 ? Buffer.concat([basic(0), header]) : basic(3), stamp);
    parts.push(message.payload.subarray(offset, offset + chunkSize));
    if (message.payload.length === 0) break;
  }
  return Buffer.concat(parts);
}

/** A protocol control message (types 1, 3, 5, 6) on chunk stream 2. */
export function controlMessage(typeId: number, value: number, extra?: number): RtmpMessage {
  const payload = Buffer.alloc(extra === undefined ? 4 : 5);
  payload.writeUInt32BE(value, 0);
  if (extra !== undefined) payload[4] = extra;
  return { chunkStreamId: 2, typeId, streamId: 0, timestamp: 0, payload };
}

/** A User Control message (type 4): event type then its 4- or 8-byte data. */
export function userControlMessage(event: number, ...values: number[]): RtmpMessage {
  const payload = Buffer.alloc(2 + values.length * 4);
  payload.writeUInt16BE(event, 0);
  values.forEach((value, index) => payload.writeUInt32BE(value, 2 + index * 4));
  return { chunkStreamId: 2, typeId: MessageType.userControl, streamId: 0, timestamp: 0, payload };
}
