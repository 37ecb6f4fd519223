// What the add/edit form sends, and where an error answer belongs on it. Pure: the DOM side only
// reads and writes these values.

import type { DestinationInput, DestinationPatch, DestinationView, Transport } from "../../shared/api.js";
import { findPlatform } from "../../shared/platforms.js";

/** The form's inputs, as text. */
export interface DestinationFormValues {
  platform: string;
  name: string;
  url: string;
  /** Typed stream key; "" = keep the stored one (edit) or none (add). */
  key: string;
  /** Edit only: forget the stored key. */
  clearKey: boolean;
  transport: Transport;
}

/** Inputs that can carry an error message of their own. */
export const FORM_FIELDS = ["platform", "name", "url", "key", "transport"] as const;
export type FormField = (typeof FORM_FIELDS)[number];

/** Empty values for an add form, with a preset chosen. */
export function blankValues(platformId = "custom"): DestinationFormValues {
  return applyPreset({ platform: "custom", name: "", url: "", key: "", clearKey: false, transport: "auto" }, platformId);
}

/** Values that show an existing destination (the key is write-only: never filled in). */
export function valuesFromView(view: DestinationView): DestinationFormValues {
  return {
    platform: view.platform ?? "custom",
    name: view.name,
    url: view.url,
    key: "",
    clearKey: false,
    transport: view.transport,
  };
}

/**
 * Switches to another preset: its server URL, transport and name replace the current ones unless
 * the person typed their own (a value that is not the previous preset's).
 */
export function applyPreset(values: DestinationFormValues, platformId: string): DestinationFormValues {
  const previous = findPlatform(values.platform);
  const next = findPlatform(platformId);
  if (!next) return { ...values, platform: platformId };
  const untouched = (current: string, presetValue: string | undefined) => current.trim() === "" || current === presetValue;
  return {
    ...values,
    platform: next.id,
    name: untouched(values.name, previous?.id === "custom" ? "" : previous?.name) && next.id !== "custom" ? next.name : values.name,
    url: untouched(values.url, previous?.url) ? next.url : values.url,
    transport: next.transport,
  };
}

/** Body of `POST /api/destinations`. */
export function toCreateInput(values: DestinationFormValues): DestinationInput {
  const input: DestinationInput = {
    name: values.name.trim(),
    url: values.url.trim(),
    transport: values.transport,
    platform: values.platform,
  };
  const key = values.key.trim();
  if (key !== "") input.key = key;
  return input;
}

/** Body of `PATCH /api/destinations/:id`: the key only when a new one was typed or it is cleared. */
export function toPatch(values: DestinationFormValues): DestinationPatch {
  const patch: DestinationPatch = {
    name: values.name.trim(),
    url: values.url.trim(),
    transport: values.transport,
    platform: values.platform,
  };
  const key = values.key.trim();
  if (key !== "") patch.key = key;
  else if (values.clearKey) patch.key = "";
  return patch;
}

/** The input an error's `field` names ("url", "destinations.2.url", "key"…), or null for the form. */
export function fieldOfError(field: string | undefined): FormField | null {
  if (!field) return null;
  const last = field.split(/[.[\]/]/).filter(Boolean).pop() ?? "";
  if (last === "id") return "name";
  return (FORM_FIELDS as readonly string[]).includes(last) ? (last as FormField) : null;
}

/** An error message as shown beside its input: without the `url: ` the bridge puts in front. */
export function messageForField(message: string, field: string | undefined): string {
  if (!field) return message;
  const prefix = `${field}: `;
  return message.startsWith(prefix) ? message.charAt(prefix.length).toUpperCase() + message.slice(prefix.length + 1) : message;
}
