// The services panel: nginx (the ingest) and stunnel (RTMPS tunnel), each with a restart button.

import type { ServiceView, StatusView } from "../../shared/api.js";
import { setAttr, setText } from "./dom.js";

/** A program the bridge supervises. */
export type ServiceName = keyof StatusView["services"];

export interface ServicesPanel {
  update(services: StatusView["services"]): void;
}

/** Fills the `#services` section; `restart` does the request and reports failures itself. */
export function mountServicesPanel(root: HTMLElement, restart: (name: ServiceName) => Promise<void>): ServicesPanel {
  const rows = new Map<ServiceName, HTMLElement>();
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
        const view: ServiceView = services[name];
        const state = row.querySelector<HTMLElement>(".service-state")!;
        setAttr(state, "data-service-state", view.state);
        setText(state, view.state);
        const error = row.querySelector<HTMLElement>(".service-error")!;
        setText(error, view.error ?? "");
        error.hidden = !view.error;
      }
    },
  };
}
