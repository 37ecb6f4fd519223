// Alerts to the phone with the real programs: a relay refused by its platform goes failed and both
// webhooks (json and ntfy) get it in the streamer's language; the OBS stand-in gone past the
// threshold is ingest_lost, back is ingest_back; the test alert; the URLs never leave the bridge.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";
import { startPlatform, type Platform } from "../../rig/platform.js";
import { startObs, type Obs } from "../../rig/obs-stand-in.js";
import { watchEvents, type EventWatch } from "../../rig/events.js";
import { startWebhookReceiver, type ReceivedHook, type WebhookReceiver } from "../../rig/webhook-receiver.js";
import { INGEST_LOST_MS } from "../../bridge/alerts/alert-watch.js";
import type { AlertBody, AlertsView, AlertTestView } from "../../contract/api.js";

const KEYS = { good: "alerts_good_key_5e1a", bad: "alerts_refused_key_77c2" };
const HOOKS = { json: "/hooks/json-secret-9f3b1c", ntfy: "/relay-topic-secret-4a7d20" };
const RELAYS = { retryInitialMs: 300, retryMaxMs: 600, maxFailures: 2, stallTimeoutMs: 2000 };

describe("alerts to the phone", () => {
  let receiver: WebhookReceiver;
  let platform: Platform;
  let refusing: Platform;
  let bridge: RunningBridge;
  let events: EventWatch;
  let obs: Obs | undefined;
  const jsonHooks = () => receiver.received.filter((hook) => hook.path === HOOKS.json);
  const jsonEvent = (event: string) => (hook: ReceivedHook) => hook.path === HOOKS.json && (JSON.parse(hook.body) as AlertBody).event === event;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    platform = await startPlatform();
    refusing = await startPlatform({ acceptKeys: ["only-this-key"] });
    bridge = await startBridge({
      extra: {
        relays: RELAYS,
        alerts: { webhooks: [{ url: receiver.base + HOOKS.json, format: "json" }, { url: receiver.base + HOOKS.ntfy, format: "ntfy" }], language: "fr" },
      },
      destinations: [
        { id: "good", name: "Good", url: platform.url, key: KEYS.good, enabled: true },
        { id: "refuser", name: "Refusée", url: refusing.url, key: KEYS.bad, enabled: true },
      ],
    });
    events = await watchEvents(bridge.url);
    obs = startObs({ url: `${bridge.ingestUrl}/obs` });
  });

  afterAll(async () => {
    events?.close();
    await obs?.stop();
    await bridge?.stop();
    await Promise.all([platform?.stop(), refusing?.stop(), receiver?.close()]);
  });

  it("posts a platform that refuses the key as destination_failed, to each webhook in its format, in the streamer's language", async () => {
    const failed = await events.waitFor((status) => status.destinations.find((view) => view.id === "refuser")?.state === "failed", { timeoutMs: 60_000, what: "refuser failed" });
    const hook = await receiver.waitFor(jsonEvent("destination_failed"), { what: "destination_failed at the json webhook" });
    const body = JSON.parse(hook.body) as AlertBody;
    expect(Object.keys(body).sort()).toEqual(["at", "destination", "event", "text"]);
    expect(body.destination).toMatchObject({ id: "refuser", name: "Refusée", state: "failed" });
    expect(body.destination!.lastError).toBeTruthy();
    expect(body.text).toContain("Refusée a échoué et ne réessaie plus");
    expect(Number.isNaN(Date.parse(body.at))).toBe(false);
    expect(hook.headers["content-type"]).toBe("application/json");
    const ntfy = await receiver.waitFor((each) => each.path === HOOKS.ntfy && each.headers.tags === "rotating_light", { what: "destination_failed at the ntfy webhook" });
    expect(ntfy.body).toBe(body.text);
    expect(ntfy.headers.priority).toBe("high");
    const title = String(ntfy.headers.title);
    expect(Buffer.from(title.slice(10, -2), "base64").toString("utf8")).toBe("Refusée a échoué");
    // Measured, not asserted (timing is the benchmark's): from the failed state on the event stream to the webhook.
    console.log(`destination_failed reached the webhook ${hook.wallAt - failed.wallAt} ms after the failed state was sent`);
    // The platform that works is not alerted.
    expect(jsonHooks().filter((each) => (JSON.parse(each.body) as AlertBody).destination?.id === "good")).toEqual([]);
  });

  it("posts OBS gone past the threshold as ingest_lost, and back as ingest_back", async () => {
    await events.waitFor((status) => status.destinations.find((view) => view.id === "good")?.state === "live", { timeoutMs: 60_000, what: "good live" });
    await obs!.stop();
    obs = undefined;
    const gone = await events.waitFor((status) => !status.ingest.live, { what: "the ingest offline" });
    const lost = await receiver.waitFor(jsonEvent("ingest_lost"), { what: "ingest_lost" });
    const lostBody = JSON.parse(lost.body) as AlertBody;
    expect(lostBody.destination).toBeUndefined();
    expect(lostBody.text).toMatch(/^OBS n'envoie plus rien à Relay depuis \d+ s/);
    // Not on a blip: only once OBS has been gone the threshold (the bridge's clock against its own status).
    expect(Date.parse(lostBody.at) - gone.wallAt).toBeGreaterThanOrEqual(INGEST_LOST_MS - 100);
    expect(jsonHooks().filter((hook) => (JSON.parse(hook.body) as AlertBody).event === "ingest_back")).toEqual([]);
    obs = startObs({ url: `${bridge.ingestUrl}/obs` });
    const back = await receiver.waitFor(jsonEvent("ingest_back"), { what: "ingest_back" });
    expect((JSON.parse(back.body) as AlertBody).text).toBe("OBS envoie de nouveau à Relay.");
  });

  it("sends a test alert on request and answers what each webhook did", async () => {
    const answer = await bridge.json<AlertTestView>("/api/alerts/test", { method: "POST" });
    expect(answer).toEqual({ results: [{ format: "json", ok: true }, { format: "ntfy", ok: true }] });
    const test = await receiver.waitFor(jsonEvent("test"), { what: "the test alert" });
    expect((JSON.parse(test.body) as AlertBody).text).toBe("Alerte de test de Relay : ses alertes vous parviennent ici.");
  });

  it("keeps the webhook URLs write-only: GET shows formats only, PATCH keeps or replaces, a bad URL is refused without quoting it", async () => {
    expect(await bridge.json<AlertsView>("/api/alerts")).toEqual({ webhooks: [{ format: "json", hasUrl: true }, { format: "ntfy", hasUrl: true }], language: "fr" });
    const refused = await bridge.api("/api/alerts", { method: "PATCH", body: JSON.stringify({ webhooks: [{ url: "ftp://host/secret-path-x", format: "json" }] }) });
    expect(refused.status).toBe(400);
    const error = await refused.text();
    expect(error).toContain("webhooks[0].url");
    expect(error).not.toContain("secret-path-x");
    const kept = await bridge.json<AlertsView>("/api/alerts", { method: "PATCH", body: JSON.stringify({ webhooks: [{ keep: 1, format: "slack" }], language: "en" }) });
    expect(kept).toEqual({ webhooks: [{ format: "slack", hasUrl: true }], language: "en" });
    const answer = await bridge.json<AlertTestView>("/api/alerts/test", { method: "POST" });
    expect(answer.results).toEqual([{ format: "slack", ok: true }]);
    const slack = await receiver.waitFor((hook) => hook.path === HOOKS.ntfy && hook.body.includes("Relay test alert"), { what: "the test alert as Slack takes it" });
    expect(JSON.parse(slack.body)).toEqual({ text: "*Relay test alert*\nTest alert from Relay: its alerts reach you here." });
  });

  it("never lets a webhook URL or a stream key out: not in answers, events or the log", async () => {
    const outside = [bridge.output(), events.raw(), JSON.stringify(await bridge.json("/api/status")), JSON.stringify(await bridge.json("/api/alerts"))].join("\n");
    for (const secret of [HOOKS.json, HOOKS.ntfy, KEYS.bad, KEYS.good]) expect(outside).not.toContain(secret);
    for (const hook of receiver.received) for (const key of Object.values(KEYS)) expect(hook.body).not.toContain(key);
    // The log says what was sent where, by the webhook's number.
    expect(bridge.output()).toContain("alert destination_failed (refuser) sent to webhook 1 (json)");
  });
});
