// The EN/FR switch in the page's header: shows the language in use and asks for the other one.

import { parseLanguage, type Lang } from "../presentation/i18n/translate.js";

/** Wires the `#language` buttons of index.html; `choose` is called with a language other than `current`. */
export function mountLanguageSwitch(root: HTMLElement, current: Lang, choose: (lang: Lang) => void): void {
  for (const button of root.querySelectorAll<HTMLButtonElement>("button[data-lang]")) {
    const lang = parseLanguage(button.dataset.lang);
    button.setAttribute("aria-pressed", String(lang === current));
    button.addEventListener("click", () => {
      if (lang && lang !== current) choose(lang);
    });
  }
}
