// The bridge's own sentences on a card (a relay's last error, what a re-encode does differently) in
// the page's language. The bridge writes them in English for its log and for tools; the page knows
// their shapes and says them again, keeping the facts they carry (a server, ffmpeg's own line). A
// sentence the page does not know stays as the bridge wrote it. Pure.

import { t, type Lang, type MessageId } from "../presentation/i18n/translate.js";

interface Shape {
  pattern: RegExp;
  id: MessageId;
}

/** The explanations of bridge/ffmpeg/explain-failure.ts and bridge/relay/lifecycle.ts, by shape. */
const ERRORS: readonly Shape[] = [
  { pattern: /^The platform's certificate is not trusted, so the stream key was not sent\./, id: "page.words.certificate" },
  { pattern: /^The platform refused the stream \(it said "(?<said>.*)"\): check the stream key/, id: "page.words.refused" },
  { pattern: /^The server name (?<host>\S+) was not found:/, id: "page.words.notFound" },
  { pattern: /^Nothing accepted the connection at (?<where>\S+): check the server URL and port/, id: "page.words.nothingAccepted" },
  { pattern: /^(?<where>\S+) did not answer: check the server URL and port/, id: "page.words.noAnswer" },
  { pattern: /^The secure \(RTMPS\) connection failed:/, id: "page.words.tls" },
  { pattern: /^The platform closed the connection: usually a wrong or expired stream key/, id: "page.words.closed" },
  { pattern: /^The platform took the stream and dropped it at once, (?<count>\d+) times in a row:/, id: "page.words.earlyDrops" },
];

/** The notes of a re-encode (contract/encode.ts, bridge/ffmpeg/encoders.ts), joined by "; ". */
const NOTES: readonly Shape[] = [
  { pattern: /^(?<asked>\d+)p asked, the source is (?<source>\d+)p: kept at \d+p$/, id: "page.words.heightKept" },
  { pattern: /^(?<asked>[\d.]+) fps asked, the source has (?<source>[\d.]+): kept at [\d.]+$/, id: "page.words.fpsKept" },
  { pattern: /^(?<encoder>\w+) does not work with this ffmpeg \((?<why>.*)\): using x264$/, id: "page.words.encoderNotWorking" },
  { pattern: /^(?<encoder>\w+) is still being tried on this ffmpeg: using x264 for now$/, id: "page.words.encoderTrying" },
  { pattern: /^x264 failed its test encode \((?<why>.*)\)$/, id: "page.words.x264Failed" },
];

/** A relay's last error in `lang`: the explanation said again, ffmpeg's line (in brackets at the end) kept. */
export function lastErrorText(message: string, lang: Lang): string {
  if (lang === "en") return message;
  const shape = ERRORS.map((one) => ({ id: one.id, match: one.pattern.exec(message) })).find((one) => one.match);
  if (!shape?.match) return message;
  // What follows the explanation, in brackets: ffmpeg's line, or the failure an explanation wraps.
  const end = message.indexOf(". (");
  const tail = end >= 0 && message.endsWith(")") ? message.slice(end + 3, -1) : "";
  const said = t(lang, shape.id, { ...shape.match.groups });
  if (!tail) return said;
  return `${said} (${tail.startsWith("ffmpeg: ") ? tail : lastErrorText(tail, lang)})`;
}

/** A re-encode's notes in `lang`, each known one said again. */
export function encodeNoteText(note: string, lang: Lang): string {
  if (lang === "en") return note;
  return note
    .split("; ")
    .map((part) => {
      const shape = NOTES.map((one) => ({ id: one.id, match: one.pattern.exec(part) })).find((one) => one.match);
      return shape?.match ? t(lang, shape.id, { ...shape.match.groups }) : part;
    })
    .join(" ; ");
}
