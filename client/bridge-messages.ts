// The words a client of the bridge (the Stream Deck plugin, the Companion module) says when the bridge
// does not answer, refuses an answer, or its event stream is lost. Written once so both say the same;
// both call the token's setting "Token". Never the token itself: it travels only in a header.
// Pure: no Node APIs, no Stream Deck or Companion imports.

import type { ErrorBody } from "../contract/api.js";
import type { StreamLoss } from "./status-stream.js";

/** Words for a request that got no answer at all (fetch rejected or timed out), naming the likely cause. */
export function unreachableMessage(baseUrl: string, error: unknown): string {
  const cause = errorCode(error);
  if (errorName(error) === "TimeoutError") return `The bridge at ${baseUrl} did not answer in time`;
  if (cause === "ECONNREFUSED") return `Nothing answers at ${baseUrl}: is the Relay bridge running?`;
  if (cause === "ENOTFOUND" || cause === "EAI_AGAIN") return `The host in ${baseUrl} cannot be found`;
  if (cause === "EHOSTUNREACH" || cause === "ENETUNREACH") return `${baseUrl} cannot be reached from this computer (network or firewall)`;
  const detail = (error as { message?: unknown } | undefined)?.message;
  return `The bridge at ${baseUrl} cannot be reached${typeof detail === "string" && detail !== "" ? ` (${detail})` : ""}`;
}

/** Words for a refused answer (status and body text): the token, the bridge's own message, or a wrong address. */
export function refusalMessage(baseUrl: string, status: number, body: string): string {
  if (status === 401) return "The bridge refused the token: copy bridge.token from the bridge's config file into the Token field";
  return errorMessage(body) ?? `${baseUrl} answered HTTP ${status}: is it the Relay bridge's host and port?`;
}

/** Words for the loss of the event stream (`StatusStream`'s `onLoss`). */
export function streamLossMessage(baseUrl: string, loss: StreamLoss): string {
  switch (loss.kind) {
    case "refused":
      return refusalMessage(baseUrl, loss.status, loss.body);
    case "not-bridge":
      return `${baseUrl} answers, but it is not a Relay bridge: check the host and port`;
    case "closed":
      return "The bridge closed the connection (stopped or restarting)";
    case "failed":
      return unreachableMessage(baseUrl, loss.error);
  }
}

/** The `error.message` of a bridge error body, if the text is one. */
export function errorMessage(body: string): string | undefined {
  const message = errorBodyOf(body)?.message;
  return typeof message === "string" && message !== "" ? message : undefined;
}

/** The `error.code` of a bridge error body (`not_found`, `unauthorized`…), if the text is one. */
export function errorCodeOf(body: string): string | undefined {
  const code = errorBodyOf(body)?.code;
  return typeof code === "string" && code !== "" ? code : undefined;
}

function errorBodyOf(body: string): Partial<Record<keyof ErrorBody["error"], unknown>> | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: unknown } | null;
    return typeof parsed?.error === "object" && parsed.error !== null ? (parsed.error as Partial<Record<keyof ErrorBody["error"], unknown>>) : undefined;
  } catch {
    return undefined;
  }
}

/** The system error code of a failed fetch: Node's undici puts it on `cause`, other runtimes on the error. */
function errorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  if (typeof cause === "string") return cause;
  const own = (error as { code?: unknown } | undefined)?.code;
  return typeof own === "string" ? own : undefined;
}

function errorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | undefined)?.name;
  return typeof name === "string" ? name : undefined;
}
