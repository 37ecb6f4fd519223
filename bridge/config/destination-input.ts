// Validates what a client sends to create or change a destination. Each problem names its field;
// unknown fields are refused so a typo never passes silently.

import { z } from "zod";
import { destinationSchema, encodeSchema, ID_PATTERN, prioritySchema, streamKeySchema } from "./schema.js";
import { formatKeyPath } from "./errors.js";
import { invalid } from "../domain/errors.js";
import type { DestinationInput, DestinationPatch } from "../../contract/api.js";

const fields = destinationSchema.shape;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** A name from the API: no control characters (they break logs, key images and the page's lines). */
const nameInput = fields.name.refine((value) => !CONTROL.test(value), "must not contain control characters (new lines, tabs, NUL…)");
/** `source` from the API: null or "" is none (the main stream); a PATCH removes it with either. */
const sourceInput = z.preprocess((value) => (value === null ? "" : value), z.union([z.literal(""), fields.source.unwrap()])).optional();
const inputSchema = z.strictObject({
  id: fields.id.optional(),
  name: nameInput,
  url: fields.url,
  key: streamKeySchema.optional(),
  enabled: z.boolean().optional(),
  transport: z.enum(["auto", "direct", "stunnel"], { message: "must be one of auto, direct, stunnel" }).optional(),
  platform: fields.platform,
  source: sourceInput,
  encode: encodeSchema.optional(),
  priority: prioritySchema.optional(),
  giveWay: z.boolean("must be true or false").optional(),
});
// In a PATCH, `encode: null` goes back to copying, as "copy" does.
const patchSchema = inputSchema.omit({ id: true }).partial().extend({ encode: z.preprocess((value) => (value === null ? "copy" : value), encodeSchema).optional() });

function parseWith<T>(schema: z.ZodType<T>, body: unknown): T {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalid("invalid_request", "The body must be a JSON object, e.g. {\"name\":\"YouTube\",\"url\":\"rtmp://a.rtmp.youtube.com/live2\",\"key\":\"…\"}");
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const unknown = issue.code === "unrecognized_keys" ? issue.keys : undefined;
  if (unknown) {
    throw invalid("unknown_field", `Unknown field ${unknown.map((key) => `"${key}"`).join(", ")}: allowed are id, name, url, key, enabled, transport, platform, source, encode, priority, giveWay`, unknown[0]);
  }
  const field = formatKeyPath(issue.path);
  throw invalid("invalid_field", `${field}: ${issue.message}`, field);
}

/** A valid body of `POST /api/destinations`, or a RelayError naming the field. */
export function parseDestinationInput(body: unknown): DestinationInput {
  return parseWith(inputSchema, body) as DestinationInput;
}

/** A valid body of `PATCH /api/destinations/:id`, or a RelayError naming the field. */
export function parseDestinationPatch(body: unknown): DestinationPatch {
  if (body && typeof body === "object" && "id" in body) {
    throw invalid("invalid_field", "id: cannot be changed; create a new destination instead", "id");
  }
  return parseWith(patchSchema, body) as DestinationPatch;
}

/** A slug id for a destination name, made unique against `taken` (`youtube`, `youtube-2`, …). */
export function deriveId(name: string, taken: ReadonlySet<string>): string {
  const base =
    name
      .normalize("NFKD")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 56) || "destination";
  const slug = ID_PATTERN.test(base) ? base : "destination";
  if (!taken.has(slug)) return slug;
  for (let n = 2; ; n += 1) if (!taken.has(`${slug}-${n}`)) return `${slug}-${n}`;
}
