// An alert as each webhook format takes it: Relay's JSON (AlertBody), Discord's `{content}`, Slack's
// `{text}`, ntfy's plain text with its Title, Tags and Priority headers. Pure.

import type { AlertBody, WebhookFormat } from "../../contract/api.js";
import type { AlertWords } from "./alert-text.js";

/** What to POST: headers and body text. */
export interface WebhookRequest {
  headers: Record<string, string>;
  body: string;
}

/** Discord refuses a message longer than this. */
const DISCORD_MAX = 2000;

/** The request for `body` (the facts; its `text` is `words.text`) in `format`. */
export function webhookRequest(format: WebhookFormat, body: AlertBody, words: AlertWords): WebhookRequest {
  const json = (value: unknown): WebhookRequest => ({ headers: { "Content-Type": "application/json" }, body: JSON.stringify(value) });
  switch (format) {
    case "json":
      return json(body);
    case "discord": {
      const content = `**${words.title}**\n${words.text}`;
      // No @everyone or role pings, whatever a destination's name says.
      return json({ content: content.length > DISCORD_MAX ? `${content.slice(0, DISCORD_MAX - 1)}…` : content, allowed_mentions: { parse: [] } });
    }
    case "slack":
      return json({ text: `*${slackEscape(words.title)}*\n${slackEscape(words.text)}` });
    case "ntfy":
      return {
        headers: {
          "Content-Type": "text/plain; charset=utf-8",
          Title: headerText(words.title),
          Tags: NTFY_TAGS[body.event],
          Priority: body.event === "destination_failed" || body.event === "ingest_lost" ? "high" : "default",
        },
        body: words.text,
      };
  }
}

const NTFY_TAGS: Record<AlertBody["event"], string> = {
  destination_failed: "rotating_light",
  destination_recovered: "white_check_mark",
  ingest_lost: "warning",
  ingest_back: "white_check_mark",
  test: "bell",
};

/** Slack reads &, < and > as markup. */
function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * A header value: plain ASCII as is, else RFC 2047's encoded word (`=?UTF-8?B?…?=`, which ntfy reads),
 * since HTTP headers carry no UTF-8 ("a échoué").
 */
export function headerText(text: string): string {
  const clean = text.replace(/[\r\n]+/g, " ");
  if (/^[\x20-\x7e]*$/.test(clean)) return clean;
  const bytes = new TextEncoder().encode(clean);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `=?UTF-8?B?${btoa(binary)}?=`;
}
