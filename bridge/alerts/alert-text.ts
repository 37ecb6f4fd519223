// What an alert says, in the streamer's language: a short title and one sentence. Pure.

import { t, type Lang } from "../../presentation/i18n/translate.js";
import type { AlertEvent } from "../../contract/api.js";
import type { AlertFact } from "./alert-watch.js";

/** An alert's words. */
export interface AlertWords {
  title: string;
  text: string;
}

/** The title and sentence of `alert` in `lang` (the test alert when `alert` is "test"). */
export function alertWords(alert: AlertFact | "test", lang: Lang): AlertWords {
  if (alert === "test") return { title: t(lang, "alert.title.test"), text: t(lang, "alert.text.test") };
  const name = alert.destination?.name ?? "";
  const title = t(lang, `alert.title.${alert.event}`, { name });
  switch (alert.event) {
    case "destination_failed": {
      const error = alert.destination?.lastError;
      return { title, text: error ? t(lang, "alert.text.destination_failed", { name, error: trimSentence(error) }) : t(lang, "alert.text.destination_failedBare", { name }) };
    }
    case "ingest_lost":
      return { title, text: t(lang, "alert.text.ingest_lost", { seconds: Math.round((alert.goneMs ?? 0) / 1000) }) };
    default:
      return { title, text: t(lang, `alert.text.${alert.event satisfies Exclude<AlertEvent, "test" | "destination_failed" | "ingest_lost">}`, { name }) };
  }
}

/** An error put inside a sentence: without its own final full stop, and not a page long. */
function trimSentence(error: string): string {
  const short = error.length > 300 ? `${error.slice(0, 299)}…` : error;
  return short.replace(/[.\s]+$/, "");
}
