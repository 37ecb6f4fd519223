// AMF0, the value encoding of RTMP commands (connect, createStream, play, onStatus). Pure, so the
// RTMP play client can be unit-tested on literal bytes.

/** A value AMF0 can carry, as far as RTMP commands need. */
export type AmfValue = number | boolean | string | null | undefined | Date | AmfValue[] | { [key: string]: AmfValue };

const MARKER = {
  number: 0x00,
  boolean: 0x01,
  string: 0x02,
  object: 0x03,
  null: 0x05,
  undefined: 0x06,
  ecmaArray: 0x08,
  objectEnd: 0x09,
  strictArray: 0x0a,
  date: 0x0b,
  longString: 0x0c,
} as const;

/** The bytes of `values`, one after the other (a command message body). */
export function encodeAmf0(values: readonly AmfValue[]): Buffer {
  return Buffer.concat(values.map(encodeValue));
}

function encodeValue(value: AmfValue): Buffer {
  if (value === null) return Buffer.from([MARKER.null]);
  if (value === undefined) return Buffer.from([MARKER.undefined]);
  if (typeof value === "number") {
    const out = Buffer.alloc(9);
    out[0] = MARKER.number;
    out.writeDoubleBE(value, 1);
    return out;
  }
  if (typeof value === "boolean") return Buffer.from([MARKER.boolean, value ? 1 : 0]);
  if (typeof value === "string") {
    const text = Buffer.from(value, "utf8");
    if (text.length > 0xffff) {
      const head = Buffer.alloc(5);
      head[0] = MARKER.longString;
      head.writeUInt32BE(text.length, 1);
      return Buffer.concat([head, text]);
    }
    return Buffer.concat([Buffer.from([MARKER.string]), shortString(value)]);
  }
  if (value instanceof Date) {
    const out = Buffer.alloc(11);
    out[0] = MARKER.date;
    out.writeDoubleBE(value.getTime(), 1);
    return out;
  }
  if (Array.isArray(value)) {
    const head = Buffer.alloc(5);
    head[0] = MARKER.strictArray;
    head.writeUInt32BE(value.length, 1);
    return Buffer.concat([head, ...value.map(encodeValue)]);
  }
  const parts: Buffer[] = [Buffer.from([MARKER.object])];
  for (const [key, item] of Object.entries(value)) parts.push(shortString(key), encodeValue(item));
  parts.push(Buffer.from([0x00, 0x00, MARKER.objectEnd]));
  return Buffer.concat(parts);
}

function shortString(text: string): Buffer {
  const bytes = Buffer.from(text, "utf8");
  const head = Buffer.alloc(2);
  head.writeUInt16BE(bytes.length, 0);
  return Buffer.concat([head, bytes]);
}

/** Every value in `bytes` (a command or data message body). Throws on a truncated or unknown value. */
export function decodeAmf0(bytes: Buffer): AmfValue[] {
  const reader = { bytes, offset: 0 };
  const values: AmfValue[] = [];
  while (reader.offset < bytes.length) values.push(readValue(reader));
  return values;
}

interface Reader {
  bytes: Buffer;
  offset: number;
}

function need(reader: Reader, count: number): void {
  if (reader.offset + count > reader.bytes.length) throw new Error(`AMF0: truncated at byte ${reader.offset}`);
}

function readShortString(reader: Reader): string {
  need(reader, 2);
  const length = reader.bytes.readUInt16BE(reader.offset);
  need(reader, 2 + length);
  const text = reader.bytes.toString("utf8", reader.offset + 2, reader.offset + 2 + length);
  reader.offset += 2 + length;
  return text;
}

function readProperties(reader: Reader): { [key: string]: AmfValue } {
  const object: { [key: string]: AmfValue } = {};
  for (;;) {
    need(reader, 3);
    if (reader.bytes.readUInt16BE(reader.offset) === 0 && reader.bytes[reader.offset + 2] === MARKER.objectEnd) {
      reader.offset += 3;
      return object;
    }
    const key = readShortString(reader);
    object[key] = readValue(reader);
  }
}

function readValue(reader: Reader): AmfValue {
  need(reader, 1);
  const marker = reader.bytes[reader.offset++]!;
  switch (marker) {
    case MARKER.number: {
      need(reader, 8);
      const value = reader.bytes.readDoubleBE(reader.offset);
      reader.offset += 8;
      return value;
    }
    case MARKER.boolean:
      need(reader, 1);
      return reader.bytes[reader.offset++] !== 0;
    case MARKER.string:
      return readShortString(reader);
    case MARKER.longString: {
      need(reader, 4);
      const length = reader.bytes.readUInt32BE(reader.offset);
      need(reader, 4 + length);
      const text = reader.bytes.toString("utf8", reader.offset + 4, reader.offset + 4 + length);
      reader.offset += 4 + length;
      return text;
    }
    case MARKER.object:
      return readProperties(reader);
    case MARKER.ecmaArray:
      need(reader, 4);
      reader.offset += 4; // the count is a hint; the end marker is what ends it
      return readProperties(reader);
    case MARKER.strictArray: {
      need(reader, 4);
      const count = reader.bytes.readUInt32BE(reader.offset);
      reader.offset += 4;
      const items: AmfValue[] = [];
      for (let i = 0; i < count; i += 1) items.push(readValue(reader));
      return items;
    }
    case MARKER.date: {
      need(reader, 10);
      const time = reader.bytes.readDoubleBE(reader.offset);
      reader.offset += 10;
      return new Date(time);
    }
    case MARKER.null:
      return null;
    case MARKER.undefined:
      return undefined;
    default:
      throw new Error(`AMF0: unsupported marker 0x${marker.toString(16)} at byte ${reader.offset - 1}`);
  }
}
