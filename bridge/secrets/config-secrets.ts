// Which texts of the config are secrets: every stream key (as typed and as sent), the ingest key,
// the bridge's token, OBS's password, the platform key kept from OBS's own settings and the alerts'
// webhook URLs (whoever has one can post to the streamer's phone).

import type { Config } from "../config/schema.js";
import { sentStreamKey } from "../../contract/stream-url.js";
import { keyInsideUrl } from "../config/url-key.js";

/** The secrets in `config`, plus `extra` ones that live outside it (a token from RELAY_TOKEN). */
export function configSecrets(config: Config, extra: readonly string[] = []): string[] {
  // Each key as typed and as sent (joinStreamUrl drops its leading slashes): programs print the latter.
  const keys = config.destinations.flatMap((destination) => [destination.key, sentStreamKey(destination.key), keyInsideUrl(destination.url, destination.platform)]);
  // OBS's own platform key, kept from before "Set up OBS for Relay".
  const kept = config.obs.previousService?.settings.key;
  return [
    config.ingest.key,
    config.bridge.token,
    config.obs.password,
    ...(typeof kept === "string" ? [kept] : []),
    ...keys,
    ...config.alerts.webhooks.map((webhook) => webhook.url),
    ...extra,
  ].filter((secret) => secret.length > 0);
}
