// OBS inside the ingest panel: connected / streaming / reconnecting, "Set up OBS for Relay", start and
// stop of OBS's stream, restore of its settings, and its WebSocket address and password.

import { apiPaths, type ObsSettingsView, type ObsView } from "../contract/api.js";
import type { ApiClient } from "./api-client.js";
import { setAttr, setText } from "./dom.js";
import { describeObs } from "./describe.js";
import { errorMessage, pageLang, tr } from "./page-language.js";

export interface ObsPanel {
  update(obs: ObsView | undefined): void;
}

/** Fills the `.obs` block of the `#ingest` section; `notice` shows a failure or what happened. */
export function mountObsPanel(root: HTMLElement, client: ApiClient, notice: (message: string) => void): ObsPanel {
  const state = root.querySelector<HTMLElement>(".obs-state")!;
  const detail = root.querySelector<HTMLElement>(".obs-detail")!;
  const buttons = {
    setup: root.querySelector<HTMLButtonElement>('[data-obs="setup"]')!,
    start: root.querySelector<HTMLButtonElement>('[data-obs="start"]')!,
    stop: root.querySelector<HTMLButtonElement>('[data-obs="stop"]')!,
    restore: root.querySelector<HTMLButtonElement>('[data-obs="restore"]')!,
  };
  const form = root.querySelector<HTMLFormElement>(".obs-settings")!;
  const url = form.querySelector<HTMLInputElement>('[name="obs-url"]')!;
  const password = form.querySelector<HTMLInputElement>('[name="obs-password"]')!;
  let loaded = false;
  const link = root.querySelector<HTMLDetailsElement>("details.obs-link")!;
  let linkShown = false;

  const run = async (verb: "setup" | "restore" | "start" | "stop") => {
    buttons[verb].disabled = true;
    try {
      notice("");
      const answer = await client.post<{ keyGenerated?: boolean; server?: string }>(apiPaths.obsAction(verb));
      if (verb === "setup") notice(tr(answer.keyGenerated ? "page.obs.didSetupWithKey" : "page.obs.didSetup", { server: answer.server ?? "" }));
    } catch (error) {
      notice(errorMessage(error));
    } finally {
      buttons[verb].disabled = false;
    }
  };
  for (const verb of ["setup", "restore", "start", "stop"] as const) buttons[verb].addEventListener("click", () => void run(verb));

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body: { url: string; password?: string } = { url: url.value.trim() };
    if (password.value !== "") body.password = password.value;
    void client
      .request<ObsSettingsView>(apiPaths.obs, { method: "PATCH", body })
      .then((answer) => {
        password.value = "";
        password.placeholder = answer.hasPassword ? tr("page.obs.passwordKept") : "";
        notice("");
      })
      .catch((error: Error) => notice(errorMessage(error)));
  });

  const load = () => {
    loaded = true;
    void client
      .get<ObsSettingsView>(apiPaths.obs)
      .then((settings) => {
        if (document.activeElement !== url) url.value = settings.url;
        password.placeholder = settings.hasPassword ? tr("page.obs.passwordKept") : "";
      })
      .catch(() => (loaded = false));
  };

  return {
    update(obs) {
      if (!loaded) load();
      // The recommended set-up is in plain sight until OBS is linked (once: a person may close it).
      if (!linkShown) {
        linkShown = true;
        link.open = !obs?.configured;
      }
      const said = describeObs(obs, pageLang());
      setAttr(root, "data-obs", said.state);
      setText(state, said.text);
      setText(detail, said.detail);
      detail.hidden = said.detail === "";
      const connected = obs?.connected === true;
      buttons.setup.hidden = !connected || obs.streaming;
      buttons.restore.hidden = !connected || obs.streaming || !obs.canRestore;
      buttons.start.hidden = !connected || obs.streaming;
      buttons.stop.hidden = !connected || !obs.streaming;
    },
  };
}
