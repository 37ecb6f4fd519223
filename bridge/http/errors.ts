// Every error the HTTP API answers with: a status, a stable code and a message that says how to fix it.
// The core throws RelayErrors (no HTTP in them); this is where their kinds become statuses.

import { RelayError, type ProblemKind } from "../domain/errors.js";

/** An error meant for the API's caller: `{ error: { code, message, field? } }` with `status`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The HTTP status of each kind of core problem. */
const STATUS_OF: Record<ProblemKind, number> = {
  invalid: 400,
  limit: 400,
  not_found: 404,
  conflict: 409,
  refused: 502,
  unavailable: 503,
};

/** The answer to a core problem. */
export function fromRelayError(error: RelayError): ApiError {
  return new ApiError(STATUS_OF[error.kind], error.code, error.message, error.field);
}

export const badRequest = (message: string, field?: string) => new ApiError(400, "invalid_request", message, field);
