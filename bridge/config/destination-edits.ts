// The changes the API makes to the destinations, as edits of a config draft (inside the store's
// validated, atomic write). A refused edit throws a RelayError and the file is left as it was.

import type { Config, Destination } from "./schema.js";
import { MAX_DESTINATIONS } from "./schema.js";
import { deriveId } from "./destination-input.js";
import { moveKeyOutOfUrl, shownUrl } from "./url-key.js";
import { conflict, notFound, RelayError } from "../domain/errors.js";
import type { DestinationInput, DestinationPatch, EncodeInput } from "../../contract/api.js";
import type { EncodeSettings } from "../../contract/encode.js";

/** Adds a destination (off unless asked); answers it as written. */
export function addDestination(draft: Config, input: DestinationInput): Destination {
  if (draft.destinations.length >= MAX_DESTINATIONS) {
    throw new RelayError("limit", "too_many_destinations", `There are ${MAX_DESTINATIONS} destinations already, the most the bridge takes: delete one you no longer use`);
  }
  const taken = new Set(draft.destinations.map((destination) => destination.id));
  if (input.id !== undefined && taken.has(input.id)) {
    throw conflict("duplicate_id", `A destination with id "${input.id}" exists already: pick another id or PATCH that one`, "id");
  }
  const created: Destination = {
    id: input.id ?? deriveId(input.name, taken),
    name: input.name,
    url: input.url,
    key: input.key ?? "",
    enabled: input.enabled ?? false,
    transport: input.transport ?? "auto",
    ...(input.platform !== undefined ? { platform: input.platform } : {}),
    ...(input.source ? { source: input.source } : {}),
    ...(isReencode(input.encode) ? { encode: input.encode } : {}),
    ...(input.priority !== undefined ? { priority: input.priority } : {}),
    ...(input.giveWay !== undefined ? { giveWay: input.giveWay } : {}),
  };
  moveKeyOutOfUrl(created);
  draft.destinations.push(created);
  return created;
}

/** Applies the fields a PATCH sets (absent fields stay as they are). */
export function patchDestination(draft: Config, id: string, patch: DestinationPatch): void {
  const target = findDestination(draft, id);
  for (const [field, value] of Object.entries(patch)) {
    if (field === "encode") {
      // "copy" (or null) is the default: the file keeps no field for it.
      if (isReencode(value as EncodeInput)) target.encode = value as EncodeSettings;
      else if (value !== undefined) delete target.encode;
      continue;
    }
    // The URL as the page shows it (a key inside it as •••) sent back unchanged: the URL stays as it is.
    if (field === "url" && value === shownUrl(target.url, target.platform) && value !== target.url) continue;
    if (field === "source" && (value === "" || value === null)) {
      // None: the destination follows the main stream again; the file keeps no field for it.
      delete target.source;
      continue;
    }
    if (value !== undefined) (target as Record<string, unknown>)[field] = value;
  }
  moveKeyOutOfUrl(target);
}

function isReencode(encode: EncodeInput | undefined): encode is EncodeSettings {
  return typeof encode === "object" && encode !== null;
}

/** Removes a destination. */
export function removeDestination(draft: Config, id: string): void {
  findDestination(draft, id);
  draft.destinations = draft.destinations.filter((destination) => destination.id !== id);
}

/**
 * Sets the user's wish; "toggle" flips the one in the draft, so two toggles at once flip twice.
 * Answers the wish as written.
 */
export function setWish(draft: Config, id: string, wish: boolean | "toggle"): boolean {
  const target = findDestination(draft, id);
  target.enabled = wish === "toggle" ? !target.enabled : wish;
  return target.enabled;
}

function findDestination(draft: Config, id: string): Destination {
  const target = draft.destinations.find((destination) => destination.id === id);
  if (!target) throw notFound(`Destination "${id}"`);
  return target;
}
