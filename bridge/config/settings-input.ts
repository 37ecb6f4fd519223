// Validates `PATCH /api/settings`: the ports a streamer may need to change from the page (a port
// conflict on 1935, a bridge port taken by another program). Each problem names its field.

import { z } from "zod";
import { formatKeyPath } from "./errors.js";
import { ApiError } from "../http/errors.js";

const port = z.number().int().min(1, "must be a port from 1 to 65535").max(65535, "must be a port from 1 to 65535");
const settingsSchema = z.strictObject({
  ingest: z.strictObject({ port: port.optional() }).optional(),
  bridge: z.strictObject({ port: port.optional() }).optional(),
});

/** A body of `PATCH /api/settings`. */
export type SettingsPatch = z.infer<typeof settingsSchema>;

/** The settings the page can change, as answered by `GET`/`PATCH /api/settings`. */
export interface SettingsView {
  ingest: { host: string; port: number; app: string };
  /** `port` as configured; `listeningPort` is where this bridge listens until it is restarted. */
  bridge: { host: string; port: number; listeningPort: number; restartNeeded: boolean };
}

/** A valid settings patch, or an ApiError naming the field. */
export function parseSettingsPatch(body: unknown): SettingsPatch {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ApiError(400, "invalid_request", 'The body must be a JSON object, e.g. {"ingest":{"port":1936}}');
  }
  const result = settingsSchema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const field = formatKeyPath([...issue.path, issue.keys[0]!]);
    throw new ApiError(400, "unknown_field", `Unknown field "${field}": allowed are ingest.port and bridge.port`, field);
  }
  const field = formatKeyPath(issue.path);
  throw new ApiError(400, "invalid_field", `${field}: ${issue.message}`, field);
}
