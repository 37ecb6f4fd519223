// The status as JSON, written once per status: the engine hands every reader the same status object
// until the next change, so /api/status and every event stream share one serialisation of it.

import type { StatusView } from "../../contract/api.js";

const written = new WeakMap<StatusView, string>();

export function statusJson(status: StatusView): string {
  let json = written.get(status);
  if (json === undefined) {
    json = JSON.stringify(status);
    written.set(status, json);
  }
  return json;
}
