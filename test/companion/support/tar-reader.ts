// Reads the files out of a .tgz (ustar, as the `tar` package writes for @companion-module/tools), so a
// test can unpack the module package exactly as Companion's import receives it.

import { gunzipSync } from "node:zlib";

/** Every regular file in the archive, by path. */
export function readTgz(archive: Buffer): Map<string, Buffer> {
  const tar = gunzipSync(archive);
  const files = new Map<string, Buffer>();
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const text = (start: number, length: number) => header.subarray(start, start + length).toString("utf8").replace(/\0.*$/s, "");
    const size = parseInt(text(124, 12).trim() || "0", 8);
    const type = text(156, 1) || "0";
    const prefix = text(257, 6).startsWith("ustar") ? text(345, 155) : "";
    const name = longName ?? (prefix ? `${prefix}/${text(0, 100)}` : text(0, 100));
    const data = tar.subarray(offset + 512, offset + 512 + size);
    longName = undefined;
    if (type === "x") {
      // A PAX header: a long path for the next entry.
      const path = /\d+ path=([^\n]*)\n/.exec(data.toString("utf8"))?.[1];
      if (path) longName = path;
    } else if (type === "0") {
      files.set(name, Buffer.from(data));
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}
