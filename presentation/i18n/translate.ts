// Looking up a message in the streamer's language. Pure, so the plugin, the status page, the
// settings panels and the bridge's key image routes share it. English is the default everywhere.

import { en, type Catalogue, type MessageId } from "./en.js";
import { fr } from "./fr.js";

export type { MessageId } from "./en.js";

/** The languages Relay speaks to a streamer. */
export const LANGUAGES = ["en", "fr"] as const;
export type Lang = (typeof LANGUAGES)[number];

/** Every catalogue by language (both complete: a unit test compares their ids and placeholders). */
export const CATALOGUES: Readonly<Record<Lang, Catalogue>> = { en, fr };

/** Values put in a message's `{name}` placeholders. */
export type MessageParams = Readonly<Record<string, string | number>>;

/** The text of `id` in `lang`, its `{name}` placeholders filled from `params` (unknown ones stay as written). */
export function t(lang: Lang, id: MessageId, params: MessageParams = {}): string {
  const text = CATALOGUES[lang]?.[id] ?? en[id];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Ids that have a singular (`.one`) and a plural (`.other`) form. */
type PluralBase = MessageId extends infer Id ? (Id extends `${infer Base}.one` ? Base : never) : never;

/** The singular or plural of `base` for `count` (French takes the singular for 0 and 1), with `{count}` filled. */
export function tn(lang: Lang, base: PluralBase, count: number, params: MessageParams = {}): string {
  const singular = lang === "fr" ? Math.abs(count) < 2 : count === 1;
  return t(lang, `${base}.${singular ? "one" : "other"}` as MessageId, { count, ...params });
}

/** The language for a language tag (`fr`, `fr-CA`, `fr_FR` → French; anything else → English). */
export function languageOf(tag: string | null | undefined): Lang {
  return typeof tag === "string" && /^fr(?:[-_]|$)/i.test(tag.trim()) ? "fr" : "en";
}

/** The first language among a browser's preferred ones that Relay speaks, else English. */
export function preferredLanguage(tags: readonly string[] | undefined): Lang {
  for (const tag of tags ?? []) {
    if (/^(en|fr)(?:[-_]|$)/i.test(tag.trim())) return languageOf(tag);
  }
  return "en";
}

/** `?lang=` or a stored choice read as a language, or undefined when it names none Relay speaks. */
export function parseLanguage(value: unknown): Lang | undefined {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value) ? (value as Lang) : undefined;
}

/** Numbers with the language's decimal mark: `6.2` in English, `6,2` in French. */
export function decimal(lang: Lang, text: string): string {
  return lang === "fr" ? text.replace(".", ",") : text;
}
