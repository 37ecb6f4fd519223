// What the connection to the bridge is doing, and how Companion shows it (the connection's status
// colour and message). Pure: the link reports facts, this says what they mean to the user.

import { InstanceStatus } from "@companion-module/base";

/** The connection to the bridge at one moment. */
export type LinkState =
  | { kind: "connecting" }
  /** The event stream is open and has delivered a status. */
  | { kind: "connected" }
  /** The settings cannot be used (empty host, bad port). */
  | { kind: "bad-settings"; message: string }
  /** The bridge answered 401: the token is missing or wrong. */
  | { kind: "refused-token"; message: string }
  /** Nothing answers, or something that is not a Relay bridge. */
  | { kind: "unreachable"; message: string };

/** Companion's status and message for a link state. */
export function instanceStatusOf(state: LinkState): { status: InstanceStatus; message: string | null } {
  switch (state.kind) {
    case "connecting":
      return { status: InstanceStatus.Connecting, message: null };
    case "connected":
      return { status: InstanceStatus.Ok, message: null };
    case "bad-settings":
    case "refused-token":
      return { status: InstanceStatus.BadConfig, message: state.message };
    case "unreachable":
      return { status: InstanceStatus.ConnectionFailure, message: state.message };
  }
}

/** The state for a refused answer to the event stream (status code and body text). */
export function refusedAnswer(baseUrl: string, status: number, body: string): LinkState {
  const message = refusalMessage(baseUrl, status, body);
  return status === 401 ? { kind: "refused-token", message } : { kind: "unreachable", message };
}

/** Words for a refused request: the token, the bridge's own error message, or a wrong address. */
export function refusalMessage(baseUrl: string, status: number, body: string): string {
  if (status === 401) return "The bridge refused the token: copy bridge.token from the bridge's config file into Token";
  const message = errorMessage(body);
  return message ? `The bridge answered ${status}: ${message}` : `${baseUrl} answered HTTP ${status}: is it the Relay bridge's host and port?`;
}

/** The state for a request that got no answer at all. */
export function unansweredRequest(baseUrl: string, error: unknown): LinkState {
  return { kind: "unreachable", message: unreachableMessage(baseUrl, error) };
}

/** Words for a failed request, naming the likely cause (never the token: it is not in the URL). */
export function unreachableMessage(baseUrl: string, error: unknown): string {
  const cause = (error as { cause?: { code?: string } })?.cause?.code ?? (error as { code?: string })?.code;
  const name = (error as Error)?.name;
  if (name === "TimeoutError") return `The bridge at ${baseUrl} did not answer in time`;
  if (cause === "ECONNREFUSED") return `Nothing answers at ${baseUrl}: is the Relay bridge running, on this host and port?`;
  if (cause === "ENOTFOUND" || cause === "EAI_AGAIN") return `The host in ${baseUrl} cannot be found`;
  if (cause === "EHOSTUNREACH" || cause === "ENETUNREACH") return `${baseUrl} cannot be reached from this computer (network or firewall)`;
  const detail = (error as Error)?.message;
  return `The bridge at ${baseUrl} cannot be reached${detail ? ` (${detail})` : ""}`;
}

/** The `error.message` of a bridge error body, if it is one. */
export function errorMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } };
    return typeof parsed?.error?.message === "string" ? parsed.error.message : undefined;
  } catch {
    return undefined;
  }
}
