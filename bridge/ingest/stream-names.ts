// Which stream names the ingest takes, and which one a destination's `source` means. With
// `ingest.key` set, every publish must carry the key: the main stream is published as KEY, a second
// encoder (a vertical canvas, a second camera) as KEY-SOURCE, so a source name alone never opens
// the ingest. Without a key, any name is taken and a source is the stream name itself.

import { REDACTED } from "../secrets/redact.js";

/** True when nginx may take a publish under `name`: any name without a key, else KEY or KEY-suffix. */
export function isPublishNameAccepted(key: string, name: string): boolean {
  if (key === "") return name !== "";
  return name === key || (name.startsWith(`${key}-`) && name.length > key.length + 1);
}

/**
 * The ingest stream a destination with `source` reads: the source itself without a key, KEY-SOURCE
 * with one. A source written in full (it starts with KEY-) is taken as is.
 */
export function sourceStreamName(key: string, source: string): string {
  if (key === "" || source === key || source.startsWith(`${key}-`)) return source;
  return `${key}-${source}`;
}

/** A stream name fit to show: the key in it is hidden (KEY → •••, KEY-cam2 → •••-cam2). */
export function streamNameLabel(key: string, name: string): string {
  if (key === "") return name;
  if (name === key) return REDACTED;
  if (name.startsWith(`${key}-`)) return `${REDACTED}${name.slice(key.length)}`;
  return name;
}

/** Longest stream name the log quotes in full. */
const LOGGED_NAME_CHARS = 128;

/**
 * A stream name as the log quotes it: in double quotes, every control or line-breaking character
 * escaped (a publisher picks the name: a newline in it must not start a line of its own), cut short
 * past 128 characters.
 */
export function logName(name: string): string {
  const shown = name.length > LOGGED_NAME_CHARS ? `${name.slice(0, LOGGED_NAME_CHARS)}…` : name;
  return JSON.stringify(shown).replace(/[\u007f-\u009f\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
