// An error answer of the bridge as the page shows it: the API speaks English (for tools and bug
// reports) and names each error by a stable `code`; the page says it in its own language, and keeps
// the bridge's words for a code it does not know.

import { CATALOGUES, t, type Lang, type MessageId } from "../presentation/i18n/translate.js";

/** What the page knows of a failed request. */
export interface ErrorFacts {
  code: string;
  message: string;
  field?: string | undefined;
  status?: number | undefined;
}

/** The message to show for an error, in `lang`. */
export function errorText(lang: Lang, error: ErrorFacts): string {
  if (lang === "en") return error.message;
  const catalogue = CATALOGUES[lang];
  // A field's problem has its own sentence for the inputs of the add/edit form.
  const fieldId = `error.${error.code}.${error.field ?? ""}` as MessageId;
  const id = error.field && fieldId in catalogue ? fieldId : (`error.${error.code}` as MessageId);
  if (!(id in catalogue)) return error.message;
  return t(lang, id, { field: error.field ?? "", status: error.status ?? "", detail: withoutField(error.message, error.field) });
}

/** The bridge's words without the `url: ` it puts in front of a field's problem. */
function withoutField(message: string, field: string | undefined): string {
  const prefix = field ? `${field}: ` : "";
  return prefix && message.startsWith(prefix) ? message.slice(prefix.length) : message;
}
