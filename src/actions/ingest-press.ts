// What a press on the "OBS input" key does: with OBS linked to the bridge, start OBS's stream (or stop
// it while it streams); without OBS, or when the key is set to, open the status page.

import type { StatusView } from "../../contract/api.js";
import type { BridgeCommands } from "../bridge-client.js";
import { ingestPress, type IngestSettings } from "../settings.js";
import type { KeyFeedback, WarnLog } from "./key-feedback.js";

/** The action of one press, from the last status seen and the key's setting (pure). */
export function planIngestPress(status: StatusView | undefined, settings: IngestSettings | undefined): "start" | "stop" | "open-page" {
  if (ingestPress(settings) === "page") return "open-page";
  const obs = status?.obs;
  if (!obs?.connected) return "open-page";
  return obs.streaming ? "stop" : "start";
}

/** Carries out one press; alerts on the key when OBS refused or the bridge cannot be reached. */
export async function pressIngest(
  client: BridgeCommands,
  key: KeyFeedback,
  settings: IngestSettings | undefined,
  openStatusPage: (key: KeyFeedback) => Promise<void>,
  warn: WarnLog = () => undefined,
): Promise<void> {
  const plan = planIngestPress(client.snapshot().status, settings);
  if (plan === "open-page") return openStatusPage(key);
  try {
    await client.obsStream(plan);
  } catch (error) {
    warn(`Could not ${plan} OBS's stream: ${(error as Error).message}`);
    await key.showAlert();
  }
}
