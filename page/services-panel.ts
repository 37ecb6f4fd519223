// The services panel: nginx (the ingest) and stunnel (RTMPS tunnel), each with a restart button, and
// ffmpeg (the relays' program: its version, or why it cannot be used).

import type { ServiceView, StatusView } from "../contract/api.js";
import { t, type Lang } from "../presentation/i18n/translate.js";
import { serviceStateLabel } from "./describe.js";
import { setAttr, setText } from "./dom.js";
import { pageLang } from "./page-language.js";

/** A program the bridge supervises and can restart. */
export type ServiceName = "nginx" | "stunnel";

/** What a row shows as the state: with the version where the bridge checks it, and ffmpeg's working encoders. */
export function serviceStateText(view: ServiceView, lang: Lang = "en"): string {
  const state = serviceStateLabel(view.state, lang);
  const text = view.version ? `${state} · ${view.version}` : state;
  const working = view.encoders?.filter((encoder) => encoder.works).map((encoder) => encoder.family);
  return working && working.length > 0 ? `${text} · ${t(lang, "page.services.encoders", { list: working.join(", ") })}` : text;
}

export interface ServicesPanel {
  update(services: StatusView["services"]): void;
}

/** Fills the `#services` section; `restart` does the request and reports failures itself. */
export function mountServicesPanel(root: HTMLElement, restart: (name: ServiceName) => Promise<void>): ServicesPanel {
  const rows = new Map<keyof StatusView["services"], HTMLElement>();
  const ffmpegRow = root.querySelector<HTMLElement>('[data-service="ffmpeg"]');
  if (ffmpegRow) rows.set("ffmpeg", ffmpegRow);
  for (const name of ["nginx", "stunnel"] as const) {
    const row = root.querySelector<HTMLElement>(`[data-service="${name}"]`)!;
    rows.set(name, row);
    const button = row.querySelector<HTMLButtonElement>("button")!;
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        await restart(name);
      } finally {
        button.disabled = false;
      }
    });
  }
  return {
    update(services) {
      for (const [name, row] of rows) {
        const view: ServiceView | undefined = services[name];
        row.hidden = !view;
        if (!view) continue;
        const state = row.querySelector<HTMLElement>(".service-state")!;
        setAttr(state, "data-service-state", view.state);
        setText(state, serviceStateText(view, pageLang()));
        const error = row.querySelector<HTMLElement>(".service-error")!;
        setText(error, view.error ?? "");
        error.hidden = !view.error;
      }
    },
  };
}
