// The banner of an invalid hand edit of the config file: what is wrong, by key, until it is fixed
// (the status's `config` entry; absent when the file is good).

import type { ConfigProblemView } from "../contract/api.js";
import { setText } from "./dom.js";

/** Shows `problems` in `root` (a heading line and one item per key at fault), or hides it. */
export function showConfigProblems(root: HTMLElement, problems: ConfigProblemView | undefined, heading: string): void {
  root.hidden = problems === undefined;
  if (!problems) return;
  setText(root.querySelector("p")!, heading);
  const list = root.querySelector("ul")!;
  const shown = [...list.children].map((item) => item.textContent).join("\n");
  if (shown === problems.problems.join("\n")) return;
  list.replaceChildren(
    ...problems.problems.map((problem) => {
      const item = document.createElement("li");
      item.textContent = problem;
      return item;
    }),
  );
}
