// Validates the ports part of `PATCH /api/settings`: the ports a streamer may need to change from the
// page (a port conflict on 1935, a bridge port taken by another program). Each problem names its field.

import { z } from "zod";
import { formatKeyPath } from "./errors.js";
import { invalid } from "../domain/errors.js";
import { configSchema } from "./schema.js";

const port = z.number().int().min(1, "must be a port from 1 to 65535").max(65535, "must be a port from 1 to 65535");
const settingsSchema = z.strictObject({
  ingest: z
    .strictObject({
      port: port.optional(),
      lan: z.boolean("must be true (OBS may run on another computer) or false (this computer only)").optional(),
      key: z
        .string("must be text: the stream key OBS sends")
        .max(256, "must be at most 256 characters")
        .regex(/^[A-Za-z0-9_.-]*$/, "must be letters, digits, '.', '-' or '_'")
        .optional(),
    })
    .optional(),
  bridge: z.strictObject({ port: port.optional() }).optional(),
  uplink: z.strictObject({ kbps: configSchema.shape.uplink.unwrap().shape.kbps.unwrap().optional() }).optional(),
});

/** The ports part of a `PATCH /api/settings` body. */
export type PortsPatch = z.infer<typeof settingsSchema>;

/** The ports of a settings patch (every field but `binaries`), or a RelayError naming the field. */
export function parsePortsPatch(body: object): PortsPatch {
  const result = settingsSchema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const field = formatKeyPath([...issue.path, issue.keys[0]!]);
    throw invalid("unknown_field", `Unknown field "${field}": allowed are binaries, ingest.port, ingest.lan, ingest.key, bridge.port and uplink.kbps`, field);
  }
  const field = formatKeyPath(issue.path);
  throw invalid("invalid_field", `${field}: ${issue.message}`, field);
}
