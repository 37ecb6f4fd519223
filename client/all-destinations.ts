// "All destinations" as the Stream Deck's all key and Companion's all actions carry it out: list the
// destinations afresh, decide which ones and start or stop, command each, and gather what failed.
// Each side says the outcome its own way (an alert on the key; a log line and a thrown error).

import type { DestinationView } from "../contract/api.js";

/** What a press asks: start, stop, or toggle (stop when any target is on, else start). */
export type AllMode = "start" | "stop" | "toggle";

/** The destinations acted on, in the bridge's order, and what is done to them. */
export interface AllPlan {
  verb: "start" | "stop";
  ids: string[];
}

/** What carrying it out needs of a client of the bridge. */
export interface AllDestinationsClient {
  listDestinations(): Promise<readonly DestinationView[]>;
  command(id: string, verb: "start" | "stop"): Promise<unknown>;
}

/** How it went; `message` says what went wrong, in words for a log. */
export type AllOutcome =
  | { kind: "done"; plan: AllPlan }
  /** The list could not be had: nothing was commanded. */
  | { kind: "unlisted"; error: unknown; message: string }
  /** No destination matches the chosen ids (or the bridge has none). */
  | { kind: "nothing"; plan: AllPlan; message: string }
  /** Some destinations refused; the others were commanded. */
  | { kind: "failed"; plan: AllPlan; failures: string[]; message: string };

/**
 * Which destinations and what to do (pure): the chosen ids the bridge has (every destination when none
 * is chosen); toggle stops when any of them is on, stopping being the safe choice when unsure.
 */
export function planAll(views: readonly Pick<DestinationView, "id" | "enabled">[], chosen: readonly string[], mode: AllMode): AllPlan {
  const targets = chosen.length === 0 ? [...views] : views.filter((view) => chosen.includes(view.id));
  const verb = mode === "toggle" ? (targets.some((view) => view.enabled) ? "stop" : "start") : mode;
  return { verb, ids: targets.map((view) => view.id) };
}

/** Lists afresh (the bridge's state now, not the last event seen), then commands every target at once. */
export async function commandAll(client: AllDestinationsClient, chosen: readonly string[], mode: AllMode): Promise<AllOutcome> {
  let views: readonly DestinationView[];
  try {
    views = await client.listDestinations();
  } catch (error) {
    return { kind: "unlisted", error, message: `Could not list the destinations: ${reasonOf(error)}` };
  }
  const plan = planAll(views, chosen, mode);
  if (plan.ids.length === 0) return { kind: "nothing", plan, message: `No destination to ${plan.verb}: ${chosen.length === 0 ? "the bridge has none" : `the bridge has none of ${chosen.join(", ")}`}` };
  const results = await Promise.allSettled(plan.ids.map((id) => client.command(id, plan.verb)));
  const failures = results.flatMap((result, index) => (result.status === "rejected" ? [`${plan.ids[index]}: ${reasonOf(result.reason)}`] : []));
  if (failures.length === 0) return { kind: "done", plan };
  return { kind: "failed", plan, failures, message: `Could not ${plan.verb} ${failures.join("; ")}` };
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
