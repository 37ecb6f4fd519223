// What the connection to the bridge is doing, and how Companion shows it (the connection's status
// colour and message). Pure: the link reports facts, this says what they mean to the user, in the
// words the plugin says too (client/bridge-messages.ts).

import { InstanceStatus } from "@companion-module/base";
import { refusalMessage } from "../client/bridge-messages.js";

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
