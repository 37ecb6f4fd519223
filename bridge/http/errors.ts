// Every error the HTTP API answers with: a status, a stable code and a message that says how to fix it.

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

export const notFound = (what: string) => new ApiError(404, "not_found", `${what} does not exist`);
export const badRequest = (message: string, field?: string) => new ApiError(400, "invalid_request", message, field);
