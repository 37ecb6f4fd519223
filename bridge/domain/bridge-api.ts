// What the HTTP layer (and any other front) needs from the bridge's core. The engine implements it; tests can
// hand in their own. Inputs are `unknown`: the implementation validates them and throws RelayErrors (errors.ts), which the HTTP layer answers.

import type { DestinationView, StatusView } from "../../contract/api.js";

export type ServiceName = "nginx" | "stunnel";

export interface BridgeApi {
  status(): StatusView;
  /** Calls `listener` after every change; returns the unsubscribe function. */
  onChange(listener: (status: StatusView) => void): () => void;
  listDestinations(): DestinationView[];
  getDestination(id: string): DestinationView | undefined;
  createDestination(input: unknown): Promise<DestinationView>;
  updateDestination(id: string, patch: unknown): Promise<DestinationView>;
  deleteDestination(id: string): Promise<void>;
  /** Sets the user's wish; "toggle" flips it. Answers the destination as it is right after. */
  setEnabled(id: string, wish: boolean | "toggle"): Promise<DestinationView>;
  /** Retries a `retrying` or `failed` destination now. */
  retryNow(id: string): Promise<DestinationView>;
  /** The destination's recent relay output, redacted. */
  destinationLog(id: string): string[];
  /** Stops and starts one supervised program. */
  restartService(name: ServiceName): Promise<void>;
}
