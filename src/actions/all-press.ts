// What a press on the "all" key does: start every chosen destination, or stop them all when any of
// them is on (stopping is the safe choice when the streamer is unsure); `press` can pin it to one.

import type { DestinationView } from "../../bridge/shared/api.js";
import type { BridgeCommands } from "../bridge-client.js";
import { chosenDestinations, pressMode, type AllSettings } from "../settings.js";
import type { KeyFeedback, WarnLog } from "./key-feedback.js";

/** Which destinations a press acts on and what it does to them (pure). */
export function planAllPress(views: readonly DestinationView[], settings: AllSettings): { verb: "start" | "stop"; ids: string[] } {
  const chosen = chosenDestinations(settings);
  const targets = chosen.length === 0 ? [...views] : views.filter((view) => chosen.includes(view.id));
  const mode = pressMode(settings.press);
  const verb = mode === "toggle" ? (targets.some((view) => view.enabled) ? "stop" : "start") : mode;
  return { verb, ids: targets.map((view) => view.id) };
}

/** Carries out one press; alerts on the key when the bridge is unreachable or any destination refused. */
export async function pressAll(client: BridgeCommands, key: KeyFeedback, settings: AllSettings, warn: WarnLog = () => undefined): Promise<boolean> {
  let views: DestinationView[];
  try {
    // Asked afresh: the decision must rest on the bridge's state now, not on the last event seen.
    views = await client.listDestinations();
  } catch (error) {
    warn(`Could not list destinations: ${(error as Error).message}`);
    await key.showAlert();
    return false;
  }
  const plan = planAllPress(views, settings);
  if (plan.ids.length === 0) {
    warn("The all-destinations key has no destination to act on");
    await key.showAlert();
    return false;
  }
  const results = await Promise.allSettled(plan.ids.map((id) => client.command(id, plan.verb)));
  const failures = results.flatMap((result, index) => (result.status === "rejected" ? [`${plan.ids[index]}: ${(result.reason as Error).message}`] : []));
  if (failures.length === 0) return true;
  warn(`Could not ${plan.verb} ${failures.join("; ")}`);
  await key.showAlert();
  return false;
}
