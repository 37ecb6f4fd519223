// The module's variables: every name of the bridge's `/api/variables` (`ingest_*`, `obs_*`, `<id>_state`,
// `<id>_uptime`, `<id>_quality`…), with the same values and meanings, from presentation/variables.ts. Pure.

import type { CompanionVariableDefinition, CompanionVariableValues } from "@companion-module/base";
import type { DestinationView, StatusView } from "../contract/api.js";
import { statusVariables, variableList } from "../presentation/variables.js";

/** Every variable's definition, in the order Companion lists them. */
export function variableDefinitions(destinations: readonly Pick<DestinationView, "id" | "name">[]): CompanionVariableDefinition[] {
  return variableList(destinations).map(({ name, meaning }) => ({ variableId: name, name: meaning }));
}

/** Every variable's value at `now`, for the names `variableDefinitions` gives. */
export function variableValues(status: StatusView, now: number): CompanionVariableValues {
  return statusVariables(status, now);
}

/** The values in `next` that differ from `previous` (what to send to Companion). */
export function changedValues(previous: CompanionVariableValues, next: CompanionVariableValues): CompanionVariableValues {
  const changed: CompanionVariableValues = {};
  for (const [name, value] of Object.entries(next)) if (previous[name] !== value) changed[name] = value;
  return changed;
}
