// The one decision of the core: given the config (what the streamer wants) and the ingest (the stream
// each destination reads now), what each relay must be told. Every change — an API call, a hand edit
// of the config file, an ingest event — ends here; the relay fleet then carries the steps out.
// Pure: no runner, process or timer.

import type { Destination } from "../config/schema.js";
import type { RelayEvent } from "./lifecycle.js";

/** What a relay was last told: the destination as it was, the stream it reads, the wish. */
export interface AppliedRelay {
  destination: Destination;
  reads: string | null;
  enabled: boolean;
}

export type ReconcileStep =
  | { type: "add"; destination: Destination; reads: string | null }
  | { type: "remove"; id: string }
  /** The relay now reads stream `reads` (the data plane feeds it from there). */
  | { type: "retarget"; id: string; reads: string }
  | { type: "dispatch"; id: string; event: RelayEvent };

export interface ReconcileInput {
  destinations: readonly Destination[];
  applied: ReadonlyMap<string, AppliedRelay>;
  /** The stream each destination reads now (null: nothing to read). */
  readsOf: (destination: Destination) => string | null;
  /** How long relay `id` of a stream that just went down stays on the stand-in. */
  heldMs: (stream: string, id: string) => number;
}

/**
 * The steps that bring the relays to the config and the ingest: new and removed destinations; a
 * stream that came, went or changed; a changed URL, key, transport or quality (the relay reconnects); a
 * changed wish. In that order for each destination, so a relay reconnecting is also switched.
 */
export function reconcile({ destinations, applied, readsOf, heldMs }: ReconcileInput): ReconcileStep[] {
  const steps: ReconcileStep[] = [];
  const wanted = new Set(destinations.map((destination) => destination.id));
  for (const id of applied.keys()) if (!wanted.has(id)) steps.push({ type: "remove", id });
  for (const destination of destinations) {
    const id = destination.id;
    const reads = readsOf(destination);
    const before = applied.get(id);
    if (!before) {
      steps.push({ type: "add", destination, reads });
      continue;
    }
    if (reads !== before.reads) {
      if (before.reads !== null) steps.push({ type: "dispatch", id, event: { type: "ingestDown", holdMs: reads === null ? heldMs(before.reads, id) : 0 } });
      if (reads !== null) {
        // A relay kept on the stand-in follows the stream it now should (OBS back, maybe under another name).
        steps.push({ type: "retarget", id, reads });
        steps.push({ type: "dispatch", id, event: { type: "ingestUp" } });
      }
    }
    const moved = reachesElsewhere(before.destination, destination);
    if (reads === before.reads && reads !== null && moved) {
      steps.push({ type: "dispatch", id, event: { type: "ingestDown" } });
      steps.push({ type: "dispatch", id, event: { type: "ingestUp" } });
    }
    if (destination.enabled !== before.enabled) steps.push({ type: "dispatch", id, event: { type: destination.enabled ? "enable" : "disable" } });
    // A fixed URL, key, transport or quality re-arms a relay that gave up (`enable` changes nothing in any other state).
    else if (destination.enabled && moved) steps.push({ type: "dispatch", id, event: { type: "enable" } });
  }
  return steps;
}

/** The relay must reconnect: it pushes to another server, key or transport, or at another quality. */
function reachesElsewhere(before: Destination, after: Destination): boolean {
  return (
    before.url !== after.url ||
    before.key !== after.key ||
    before.transport !== after.transport ||
    JSON.stringify(before.encode ?? "copy") !== JSON.stringify(after.encode ?? "copy")
  );
}
