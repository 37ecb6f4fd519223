// The core's errors: what went wrong in the streamer's terms, with a stable code and a message that
// says how to fix it. The core knows no HTTP: `http/errors.ts` maps each kind to a status.

/** What sort of problem it is; the HTTP layer turns each into a status code. */
export type ProblemKind =
  /** The input is wrong (a field, a body): fix it and send it again. */
  | "invalid"
  /** The thing named does not exist. */
  | "not_found"
  /** The request clashes with the current state (a taken id, OBS streaming, nothing to restore). */
  | "conflict"
  /** A limit is reached (the most destinations the bridge takes). */
  | "limit"
  /** A program the request needs is not reachable now (OBS not connected). */
  | "unavailable"
  /** A program the request went to refused it (OBS said no). */
  | "refused";

/** An error for the caller of the bridge's core: kind, stable code, message, and the field at fault. */
export class RelayError extends Error {
  constructor(
    readonly kind: ProblemKind,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "RelayError";
  }
}

/** `what` (e.g. `Destination "yt"`) does not exist. */
export const notFound = (what: string) => new RelayError("not_found", "not_found", `${what} does not exist`);

/** A wrong input, with its stable code (invalid_request, invalid_field, unknown_field…). */
export const invalid = (code: string, message: string, field?: string) => new RelayError("invalid", code, message, field);

/** The request clashes with the current state. */
export const conflict = (code: string, message: string, field?: string) => new RelayError("conflict", code, message, field);
