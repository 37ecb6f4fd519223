// Alerts to the phone: follows the status (alert-watch.ts decides what is an alert), words each alert in
// `alerts.language` and posts it to every webhook of `alerts.webhooks` through the sender's queues, so a
// slow webhook never holds up a status, a relay or an answer. Also the API's side: the webhooks as
// `GET /api/alerts` shows them (no URL), their change, and the test alert.

import { z } from "zod";
import type { ConfigStore } from "../config/store.js";
import { WEBHOOK_FORMATS, webhookUrlProblem, type Webhook } from "../config/schema.js";
import { formatKeyPath } from "../config/errors.js";
import { invalid } from "../domain/errors.js";
import type { Logger } from "../log/logger.js";
import type { AlertBody, AlertsView, AlertTestView, StatusView, WebhookFormat } from "../../contract/api.js";
import { alertWords } from "./alert-text.js";
import { AlertWatch, type AlertFact } from "./alert-watch.js";
import { webhookRequest } from "./webhook-body.js";
import { WebhookSender, type WebhookTarget } from "./webhook-sender.js";

/** What the HTTP routes ask of the alerts (bridge/http/routes/alerts-routes.ts). */
export interface AlertsApi {
  settings(): AlertsView;
  update(body: unknown): Promise<AlertsView>;
  test(): Promise<AlertTestView>;
}

export interface AlertServiceOptions {
  store: ConfigStore;
  /** The status now and its changes (the status hub). */
  status: { status(): StatusView; onChange(listener: (status: StatusView) => void): () => void };
  log: Logger;
  sender?: WebhookSender;
  watch?: AlertWatch;
}

const format = z.enum(WEBHOOK_FORMATS, { message: `must be one of ${WEBHOOK_FORMATS.join(", ")}` });
const url = z.string("must be a string: the webhook's URL").superRefine((value, ctx) => {
  const problem = webhookUrlProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
const patchSchema = z.strictObject({
  webhooks: z
    .array(z.union([z.strictObject({ url, format: format.optional() }), z.strictObject({ keep: z.number().int().min(0), format: format.optional() })]))
    .optional(),
  language: z.enum(["en", "fr"], { message: "must be en or fr" }).optional(),
});

const PATCH_EXAMPLE = '{"webhooks":[{"url":"https://ntfy.sh/your-topic","format":"ntfy"},{"keep":0}],"language":"en"}';

export class AlertService implements AlertsApi {
  readonly #sender: WebhookSender;
  readonly #watch: AlertWatch;
  #unsubscribe: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: AlertServiceOptions) {
    this.#sender = options.sender ?? new WebhookSender({ log: options.log });
    this.#watch = options.watch ?? new AlertWatch();
  }

  /** Follows the status from now on (what is true now is known, not alerted). */
  start(): void {
    this.#observe(this.options.status.status());
    this.#unsubscribe = this.options.status.onChange((status) => this.#observe(status));
  }

  stop(): void {
    this.#unsubscribe?.();
    clearTimeout(this.#timer);
    this.#sender.stop();
  }

  settings(): AlertsView {
    const alerts = this.options.store.current.alerts;
    return { webhooks: alerts.webhooks.map((webhook) => ({ format: webhook.format, hasUrl: webhook.url !== "" })), language: alerts.language };
  }

  async update(body: unknown): Promise<AlertsView> {
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw invalid("invalid_request", `The body must be a JSON object, e.g. ${PATCH_EXAMPLE}`);
    }
    const result = patchSchema.safeParse(body);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const field = formatKeyPath(issue.path);
      if (issue.code === "unrecognized_keys") {
        throw invalid("unknown_field", `Unknown field ${issue.keys.map((key) => `"${key}"`).join(", ")}: allowed are webhooks (each { url, format } or { keep, format }) and language`, field);
      }
      // A union's own message says nothing: name what each item may be.
      const message = issue.code === "invalid_union" ? `must be { "url": "https://…", "format": "ntfy" } or { "keep": 0 } (a webhook already set)` : issue.message;
      throw invalid("invalid_field", `${field}: ${message}`, field);
    }
    const patch = result.data;
    await this.options.store.update((draft) => {
      const before = draft.alerts.webhooks;
      if (patch.webhooks) {
        draft.alerts.webhooks = patch.webhooks.map((item, index): Webhook => {
          if ("url" in item) return { url: item.url, format: item.format ?? "json" };
          const kept = before[item.keep];
          if (!kept) throw invalid("invalid_field", `webhooks[${index}].keep: there is no webhook ${item.keep} (there are ${before.length}): GET /api/alerts lists them`, `webhooks[${index}].keep`);
          return { ...kept, format: item.format ?? kept.format };
        });
      }
      if (patch.language) draft.alerts.language = patch.language;
    });
    const view = this.settings();
    this.options.log.info(`alerts: ${view.webhooks.length === 0 ? "no webhook" : view.webhooks.map((webhook, index) => `webhook ${index + 1} (${webhook.format})`).join(", ")}, in ${view.language}`);
    return view;
  }

  async test(): Promise<AlertTestView> {
    const { webhooks, language } = this.options.store.current.alerts;
    const words = alertWords("test", language);
    const body: AlertBody = { event: "test", at: new Date().toISOString(), text: words.text };
    const results = await Promise.all(
      webhooks.map(async (webhook, index) => {
        const outcome = await this.#sender.post(target(webhook, index), webhookRequest(webhook.format, body, words));
        return { format: webhook.format, ok: outcome.ok, ...(outcome.error ? { error: outcome.error } : {}) };
      }),
    );
    return { results };
  }

  #observe(status: StatusView): void {
    this.#post(this.#watch.observe(status, Date.now()));
    this.#schedule();
  }

  /** Wakes the watch when OBS has been gone long enough to be told. */
  #schedule(): void {
    clearTimeout(this.#timer);
    const at = this.#watch.nextCheckAt();
    if (at === null) return;
    this.#timer = setTimeout(() => {
      this.#post(this.#watch.check(Date.now()));
      this.#schedule();
    }, Math.max(0, at - Date.now()));
  }

  #post(alerts: readonly AlertFact[]): void {
    const { webhooks, language } = this.options.store.current.alerts;
    for (const alert of alerts) {
      const words = alertWords(alert, language);
      const body: AlertBody = { event: alert.event, at: new Date(alert.at).toISOString(), text: words.text };
      if (alert.destination) body.destination = { ...alert.destination };
      const what = `alert ${alert.event}${alert.destination ? ` (${alert.destination.id})` : ""}`;
      if (webhooks.length === 0) {
        this.options.log.debug(`${what}: no webhook set`);
        continue;
      }
      webhooks.forEach((webhook, index) => this.#sender.send(target(webhook, index), what, webhookRequest(webhook.format, body, words)));
    }
  }
}

function target(webhook: Webhook, index: number): WebhookTarget {
  return { url: webhook.url, label: `webhook ${index + 1} (${webhook.format satisfies WebhookFormat})` };
}
