// The ports form under Services: the fix for "port 1935 is already taken" without editing JSON. A new
// ingest port moves nginx at once; a new bridge port applies when the bridge starts again.

import type { SettingsView } from "../contract/api.js";
import type { ApiClient } from "./api-client.js";
import { setText } from "./dom.js";
import { errorMessage, tr } from "./page-language.js";

/** Fills and wires the `form.ports` of index.html. */
export function mountPortsForm(form: HTMLFormElement, client: ApiClient): { load(): Promise<void> } {
  const ingestPort = form.querySelector<HTMLInputElement>("input[name=ingestPort]")!;
  const bridgePort = form.querySelector<HTMLInputElement>("input[name=bridgePort]")!;
  const result = form.querySelector<HTMLElement>(".ports-result")!;
  const show = (settings: SettingsView, saved: boolean) => {
    ingestPort.value = String(settings.ingest.port);
    bridgePort.value = String(settings.bridge.port);
    const restart = settings.bridge.restartNeeded
      ? tr("page.ports.restart", { listening: settings.bridge.listeningPort, port: settings.bridge.port })
      : "";
    const said = saved ? tr("page.ports.saved", { port: settings.ingest.port }) : "";
    setText(result, [said, restart].filter(Boolean).join(" "));
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const settings = await client.request<SettingsView>("/api/settings", {
        method: "PATCH",
        body: { ingest: { port: Number(ingestPort.value) }, bridge: { port: Number(bridgePort.value) } },
      });
      show(settings, true);
    } catch (error) {
      setText(result, errorMessage(error));
    }
  });
  return {
    async load() {
      show(await client.get<SettingsView>("/api/settings"), false);
    },
  };
}
