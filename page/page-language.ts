// The status page's language: the one the visitor chose with the EN/FR switch (kept in this
// browser), else the browser's preferred one. The page reads it once at start; the switch stores
// the new choice and reloads, so every text is drawn in one language.

import { parseLanguage, preferredLanguage, t, type Lang, type MessageId, type MessageParams } from "../presentation/i18n/translate.js";
import { translateStaticTexts } from "../presentation/i18n/static-texts.js";
import { errorText } from "./error-text.js";

const STORAGE_KEY = "relay.language";

let current: Lang = "en";

/** The stored choice wins over the browser's languages (pure). */
export function choosePageLanguage(stored: string | null, browserLanguages: readonly string[]): Lang {
  return parseLanguage(stored) ?? preferredLanguage(browserLanguages);
}

/** The choice stored in this browser, or null. */
export function storedLanguage(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** Keeps the visitor's choice for the next visits (and this page's reload). */
export function storeLanguage(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Storage refused (a private window's settings): the page keeps the browser's language.
  }
}

/** Sets the language every page module speaks (once, at start). */
export function setPageLanguage(lang: Lang): void {
  current = lang;
}

/** The page's language. */
export function pageLang(): Lang {
  return current;
}

/** A message in the page's language. */
export function tr(id: MessageId, params?: MessageParams): string {
  return t(current, id, params);
}

/** What to show for a failed action: a bridge error by its code, in the page's language. */
export function errorMessage(error: unknown): string {
  const facts = error as { code?: unknown; message?: unknown; field?: unknown; status?: unknown };
  const message = typeof facts?.message === "string" ? facts.message : String(error);
  if (typeof facts?.code !== "string") return message;
  return errorText(current, {
    code: facts.code,
    message,
    field: typeof facts.field === "string" ? facts.field : undefined,
    status: typeof facts.status === "number" ? facts.status : undefined,
  });
}

/** Puts the page's language into index.html's fixed texts (marked with `data-i18n…`). */
export function translatePage(root: ParentNode): void {
  translateStaticTexts(root, (id) => tr(id));
}
