// For the browser pages (status page, Stream Deck settings panels): puts a language into the fixed
// texts of their HTML, where `data-i18n` (text), `data-i18n-placeholder`, `data-i18n-title` and
// `data-i18n-aria-label` name each element's message.

import type { MessageId } from "./en.js";

const ATTRIBUTES = [
  ["placeholder", "data-i18n-placeholder"],
  ["title", "data-i18n-title"],
  ["aria-label", "data-i18n-aria-label"],
] as const;

/** Translates every marked element under `root` with `translate`. */
export function translateStaticTexts(root: ParentNode, translate: (id: MessageId) => string): void {
  for (const element of root.querySelectorAll("[data-i18n]")) element.textContent = translate(element.getAttribute("data-i18n") as MessageId);
  for (const [attribute, marker] of ATTRIBUTES) {
    for (const element of root.querySelectorAll(`[${marker}]`)) element.setAttribute(attribute, translate(element.getAttribute(marker) as MessageId));
  }
}
