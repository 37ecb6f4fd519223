// What a press on the "all" key does: start every chosen destination, or stop them all when any of
// them is on (stopping is the safe choice when the streamer is unsure); `press` can pin it to one.
// The plan and its carrying out are client/all-destinations.ts, which Companion's all actions use too.

import { commandAll, planAll, type AllPlan } from "../../client/all-destinations.js";
import type { DestinationView } from "../../contract/api.js";
import type { BridgeCommands } from "../bridge-client.js";
import { chosenDestinations, pressMode, type AllSettings } from "../settings.js";
import type { KeyFeedback, WarnLog } from "./key-feedback.js";

/** Which destinations a press acts on and what it does to them (pure). */
export function planAllPress(views: readonly DestinationView[], settings: AllSettings): AllPlan {
  return planAll(views, chosenDestinations(settings), pressMode(settings.press));
}

/** Carries out one press; alerts on the key when the bridge is unreachable, nothing matches, or any destination refused. */
export async function pressAll(client: BridgeCommands, key: KeyFeedback, settings: AllSettings, warn: WarnLog = () => undefined): Promise<boolean> {
  const outcome = await commandAll(client, chosenDestinations(settings), pressMode(settings.press));
  if (outcome.kind === "done") return true;
  warn(outcome.message);
  await key.showAlert();
  return false;
}
