// The small form that asks for the bridge token when the bridge has one and this browser lacks it.

import { setText } from "./dom.js";

/** Shows `#token-gate`, waits for a token, hides it again and answers the token. */
export function askForToken(gate: HTMLElement, reason: string): Promise<string> {
  const form = gate.querySelector("form")!;
  const input = form.querySelector<HTMLInputElement>("input[name=token]")!;
  const message = gate.querySelector<HTMLElement>(".token-reason")!;
  setText(message, reason);
  gate.hidden = false;
  input.value = "";
  input.focus();
  return new Promise((resolve) => {
    const onSubmit = (event: Event) => {
      event.preventDefault();
      const token = input.value.trim();
      if (token === "") return;
      form.removeEventListener("submit", onSubmit);
      input.value = "";
      gate.hidden = true;
      resolve(token);
    };
    form.addEventListener("submit", onSubmit);
  });
}
