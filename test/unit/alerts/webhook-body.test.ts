// An alert's words in each language and its body in each webhook format.

import { describe, expect, it } from "vitest";
import { alertWords } from "../../../bridge/alerts/alert-text.js";
import { headerText, webhookRequest } from "../../../bridge/alerts/webhook-body.js";
import type { AlertFact } from "../../../bridge/alerts/alert-watch.js";
import type { AlertBody } from "../../../contract/api.js";

const AT = Date.parse("2026-01-01T20:00:00Z");
const failed: AlertFact = {
  event: "destination_failed",
  at: AT,
  destination: { id: "yt", name: "YouTube <main>", state: "failed", lastError: "The platform refused the stream key." },
};
const body = (alert: AlertFact, text: string): AlertBody => ({ event: alert.event, at: new Date(alert.at).toISOString(), text, ...(alert.destination ? { destination: alert.destination } : {}) });

describe("alertWords", () => {
  it("says a failure with its reason, in English and in French", () => {
    expect(alertWords(failed, "en")).toEqual({
      title: "YouTube <main> failed",
      text: "YouTube <main> failed and stopped trying: The platform refused the stream key. Fix it, then switch it on again.",
    });
    expect(alertWords(failed, "fr").title).toBe("YouTube <main> a échoué");
    expect(alertWords(failed, "fr").text).toContain("ne réessaie plus : The platform refused the stream key. Corrigez");
  });

  it("says a failure without a reason, a recovery, OBS lost with its seconds, OBS back and the test", () => {
    expect(alertWords({ ...failed, destination: { ...failed.destination!, lastError: null } }, "en").text).toBe("YouTube <main> failed and stopped trying. Fix it, then switch it on again.");
    expect(alertWords({ event: "destination_recovered", at: AT, destination: { ...failed.destination!, state: "live" } }, "en").text).toBe("YouTube <main> is live again.");
    expect(alertWords({ event: "ingest_lost", at: AT, goneMs: 5_200 }, "en").text).toBe("OBS has sent nothing to Relay for 5 s: check OBS and its connection.");
    expect(alertWords({ event: "ingest_back", at: AT }, "fr").text).toBe("OBS envoie de nouveau à Relay.");
    expect(alertWords("test", "en").title).toBe("Relay test alert");
  });
});

describe("webhookRequest", () => {
  const words = alertWords(failed, "en");
  const facts = body(failed, words.text);

  it("json: the facts as the contract names them", () => {
    const request = webhookRequest("json", facts, words);
    expect(request.headers["Content-Type"]).toBe("application/json");
    expect(JSON.parse(request.body)).toEqual({
      event: "destination_failed",
      at: "2026-01-01T20:00:00.000Z",
      text: words.text,
      destination: { id: "yt", name: "YouTube <main>", state: "failed", lastError: "The platform refused the stream key." },
    });
  });

  it("discord: {content} with the title in bold, no mentions, within Discord's 2000 characters", () => {
    const parsed = JSON.parse(webhookRequest("discord", facts, words).body);
    expect(parsed.content).toBe(`**YouTube <main> failed**\n${words.text}`);
    expect(parsed.allowed_mentions).toEqual({ parse: [] });
    const long = JSON.parse(webhookRequest("discord", facts, { title: "x", text: "y".repeat(5000) }).body);
    expect(long.content.length).toBe(2000);
  });

  it("slack: {text} with Slack's markup characters escaped", () => {
    expect(JSON.parse(webhookRequest("slack", facts, words).body)).toEqual({ text: `*YouTube &lt;main&gt; failed*\n${words.text.replace("<", "&lt;").replace(">", "&gt;")}` });
  });

  it("ntfy: the sentence as plain text, the title in its header, a high priority for a failure", () => {
    const request = webhookRequest("ntfy", facts, words);
    expect(request.body).toBe(words.text);
    expect(request.headers).toMatchObject({ Title: "YouTube <main> failed", Priority: "high", Tags: "rotating_light", "Content-Type": "text/plain; charset=utf-8" });
    const back = webhookRequest("ntfy", { event: "ingest_back", at: facts.at, text: "x" }, { title: "OBS is sending again", text: "x" });
    expect(back.headers.Priority).toBe("default");
  });

  it("ntfy: a title outside ASCII goes as an RFC 2047 encoded word, which ntfy decodes", () => {
    const encoded = headerText("YouTube a échoué");
    expect(encoded).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
    expect(Buffer.from(encoded.slice(10, -2), "base64").toString("utf8")).toBe("YouTube a échoué");
    expect(headerText("line\r\nInjected: yes")).toBe("line Injected: yes");
  });
});
