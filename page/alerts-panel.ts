// The alerts section: where failures are posted (a phone through ntfy, Discord, Slack or any JSON
// webhook), in which language, and a test alert. A webhook's URL is write-only: the page lists each
// by number and format, adds new ones and removes them (GET/PATCH /api/alerts, POST /api/alerts/test).

import { apiPaths, type AlertsPatch, type AlertsView, type AlertTestView, type WebhookFormat } from "../contract/api.js";
import type { ApiClient } from "./api-client.js";
import { h, setText } from "./dom.js";
import { errorMessage, tr } from "./page-language.js";

const FORMATS: readonly WebhookFormat[] = ["ntfy", "discord", "slack", "json"];

/** Builds the section's content into `root` (which holds its heading); `load` reads the bridge's. */
export function mountAlertsPanel(root: HTMLElement, client: ApiClient): { load(): Promise<void> } {
  const list = h("ul", { class: "webhooks" });
  const none = h("p", { class: "empty" }, tr("page.alerts.none"));
  const url = h("input", { name: "webhook-url", type: "url", inputmode: "url", spellcheck: "false", autocomplete: "off", placeholder: "https://ntfy.sh/…" });
  const format = h("select", { name: "webhook-format" }, ...FORMATS.map((each) => h("option", { value: each }, each)));
  const language = h("select", { name: "alerts-language" }, h("option", { value: "en", lang: "en" }, "English"), h("option", { value: "fr", lang: "fr" }, "Français"));
  const test = h("button", { type: "button", class: "alerts-test" }, tr("page.alerts.test"));
  const result = h("p", { class: "alerts-result", role: "status" });
  const form = h(
    "form",
    { class: "webhook-add", novalidate: true },
    h("label", {}, h("span", {}, tr("page.alerts.url")), " ", url),
    h("label", {}, h("span", {}, tr("page.alerts.format")), " ", format),
    h("button", { type: "submit" }, tr("page.alerts.add")),
  );
  root.append(
    h("p", { class: "help" }, tr("page.alerts.help")),
    none,
    list,
    form,
    h("div", { class: "alerts-row" }, h("label", {}, h("span", {}, tr("page.alerts.language")), " ", language), test),
    result,
  );
  let current: AlertsView = { webhooks: [], language: "en" };

  const show = (view: AlertsView) => {
    current = view;
    none.hidden = view.webhooks.length > 0;
    language.value = view.language;
    list.replaceChildren(
      ...view.webhooks.map((webhook, index) => {
        const remove = h("button", { type: "button", class: "link danger" }, tr("page.alerts.remove"));
        remove.addEventListener("click", () => void save({ webhooks: keepAllBut(index) }));
        return h("li", {}, h("span", {}, tr("page.alerts.item", { number: index + 1, format: webhook.format })), " ", remove);
      }),
    );
  };
  const keepAllBut = (skip: number): NonNullable<AlertsPatch["webhooks"]> =>
    current.webhooks.flatMap((webhook, index) => (index === skip ? [] : [{ keep: index, format: webhook.format }]));
  const save = async (patch: AlertsPatch): Promise<boolean> => {
    try {
      show(await client.request<AlertsView>(apiPaths.alerts, { method: "PATCH", body: patch }));
      setText(result, tr("page.alerts.saved"));
      return true;
    } catch (error) {
      setText(result, errorMessage(error));
      return false;
    }
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const added = { url: url.value.trim(), format: format.value as WebhookFormat };
    // The URL leaves the field once the bridge took it: it is never shown again.
    if (await save({ webhooks: [...keepAllBut(-1), added] })) url.value = "";
  });
  language.addEventListener("change", () => void save({ language: language.value as "en" | "fr" }));
  test.addEventListener("click", async () => {
    test.disabled = true;
    setText(result, tr("page.alerts.testing"));
    try {
      const answer = await client.post<AlertTestView>(apiPaths.alertsTest);
      setText(
        result,
        answer.results.length === 0
          ? tr("page.alerts.none")
          : answer.results.map((each, index) => (each.ok ? tr("page.alerts.sent", { number: index + 1 }) : tr("page.alerts.notSent", { number: index + 1, error: each.error ?? "" }))).join(" "),
      );
    } catch (error) {
      setText(result, errorMessage(error));
    } finally {
      test.disabled = false;
    }
  });
  return {
    async load() {
      show(await client.get<AlertsView>(apiPaths.alerts));
    },
  };
}
