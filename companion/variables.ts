// The module's variables: `<id>_state`, `<id>_bitrate`, `<id>_uptime`, `<id>_name`, `<id>_quality` per destination,
// `ingest_live`, `ingest_bitrate`, `obs_connected` and `obs_streaming`, named like the bridge's `/api/variables`. Pure.

import type { CompanionVariableDefinition, CompanionVariableValues } from "@companion-module/base";
import type { DestinationView, StatusView } from "../bridge/shared/api.js";
import { formatDuration } from "../bridge/shared/key-image.js";
import { variablePrefix } from "../bridge/shared/variable-names.js";

/** States in which a destination's platform session is up, so it has an uptime. */
const CONNECTED_STATES: ReadonlySet<string> = new Set(["live", "holding"]);

/** Time on air of a destination (`3:27`, `1:02:03`), or "" when it is not live. */
export function formatUptime(view: Pick<DestinationView, "state" | "since">, now: number): string {
  if (!CONNECTED_STATES.has(view.state) || !view.since) return "";
  const since = Date.parse(view.since);
  return Number.isNaN(since) ? "" : formatDuration(now - since);
}

/** Every variable's definition, in the order Companion lists them. */
export function variableDefinitions(destinations: readonly Pick<DestinationView, "id" | "name">[]): CompanionVariableDefinition[] {
  const definitions: CompanionVariableDefinition[] = [
    { variableId: "ingest_live", name: "Ingest: OBS is sending (true/false)" },
    { variableId: "ingest_bitrate", name: "Ingest: bitrate (kb/s)" },
    { variableId: "obs_connected", name: "OBS: linked to the bridge over its WebSocket (true/false)" },
    { variableId: "obs_streaming", name: "OBS: streaming (true/false)" },
  ];
  const taken = new Set(definitions.map((definition) => definition.variableId));
  for (const destination of destinations) {
    const prefix = variablePrefix(destination.id);
    for (const [suffix, what] of [
      ["name", "name"],
      ["state", "state (off, waiting, starting, live, holding, retrying, failed, stopping)"],
      ["bitrate", "bitrate sent (kb/s)"],
      ["uptime", "time live (m:ss), empty when not live"],
      ["quality", "quality sent (e.g. 720p · 3M, or copy)"],
    ] as const) {
      const variableId = `${prefix}_${suffix}`;
      // A name already taken (ids differing only by '-' and '_', an id such as "ingest") stays with
      // what came first, as in the bridge's /api/variables.
      if (taken.has(variableId)) continue;
      taken.add(variableId);
      definitions.push({ variableId, name: `${destination.name}: ${what}` });
    }
  }
  return definitions;
}

/** Every variable's value at `now`, for the names `variableDefinitions` gives. */
export function variableValues(status: StatusView, now: number): CompanionVariableValues {
  const values: CompanionVariableValues = {
    ingest_live: status.ingest.live,
    ingest_bitrate: Math.round(status.ingest.bitrateKbps),
    obs_connected: status.obs?.connected === true,
    obs_streaming: status.obs?.connected === true && status.obs.streaming,
  };
  for (const destination of status.destinations) {
    const prefix = variablePrefix(destination.id);
    const own: CompanionVariableValues = {
      [`${prefix}_name`]: destination.name,
      [`${prefix}_state`]: destination.state,
      [`${prefix}_bitrate`]: Math.round(destination.bitrateKbps),
      [`${prefix}_uptime`]: formatUptime(destination, now),
      [`${prefix}_quality`]: destination.encodeLabel ?? "copy",
    };
    for (const [name, value] of Object.entries(own)) if (!(name in values)) values[name] = value;
  }
  return values;
}

/** The values in `next` that differ from `previous` (what to send to Companion). */
export function changedValues(previous: CompanionVariableValues, next: CompanionVariableValues): CompanionVariableValues {
  const changed: CompanionVariableValues = {};
  for (const [name, value] of Object.entries(next)) if (previous[name] !== value) changed[name] = value;
  return changed;
}
