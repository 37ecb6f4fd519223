// The core's errors know no HTTP; the HTTP layer gives each kind its status, keeping code, message, field.

import { describe, expect, it } from "vitest";
import { conflict, invalid, notFound, RelayError, type ProblemKind } from "../../../bridge/domain/errors.js";
import { fromRelayError } from "../../../bridge/http/errors.js";

describe("core errors to HTTP", () => {
  it.each<[ProblemKind, number]>([
    ["invalid", 400],
    ["limit", 400],
    ["not_found", 404],
    ["conflict", 409],
    ["refused", 502],
    ["unavailable", 503],
  ])("answers a %s problem with %i", (kind, status) => {
    const answer = fromRelayError(new RelayError(kind, "some_code", "What went wrong: how to fix it", "field"));
    expect({ status: answer.status, code: answer.code, message: answer.message, field: answer.field }).toEqual({
      status,
      code: "some_code",
      message: "What went wrong: how to fix it",
      field: "field",
    });
  });

  it("builds the common problems with their codes", () => {
    expect([notFound('Destination "x"').code, notFound('Destination "x"').message]).toEqual(["not_found", 'Destination "x" does not exist']);
    expect(invalid("invalid_field", "url: …", "url")).toMatchObject({ kind: "invalid", field: "url" });
    expect(conflict("obs_streaming", "OBS is streaming")).toMatchObject({ kind: "conflict", code: "obs_streaming" });
  });
});
