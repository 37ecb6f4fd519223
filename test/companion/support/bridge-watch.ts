// Follows a bridge's `/api/events` from the test itself and notes when each status arrived, so a test can
// say how long after the bridge's event the module's feedbacks and variables followed.

import { STATUS_EVENT, type StatusView } from "../../../bridge/shared/api.js";
import { createSseParser } from "../../../bridge/shared/sse-parser.js";

export interface StatusArrival {
  /** performance.now() when the event arrived. */
  at: number;
  status: StatusView;
}

export interface BridgeWatch {
  arrivals(): StatusArrival[];
  /** The first arrival at or after `since` that satisfies `match`. */
  first(match: (status: StatusView) => boolean, since?: number): StatusArrival | undefined;
  close(): void;
}

export async function watchBridge(url: string, token: string): Promise<BridgeWatch> {
  const abort = new AbortController();
  const response = await fetch(`${url}/api/events`, { signal: abort.signal, headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!response.ok || !response.body) throw new Error(`events answered ${response.status}`);
  const arrivals: StatusArrival[] = [];
  const parser = createSseParser((event) => {
    if (event.event === STATUS_EVENT) arrivals.push({ at: performance.now(), status: JSON.parse(event.data) as StatusView });
  });
  void (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) parser.push(decoder.decode(chunk, { stream: true }));
    } catch {
      // closed
    }
  })();
  return {
    arrivals: () => arrivals,
    first: (match, since = 0) => arrivals.find((arrival) => arrival.at >= since && match(arrival.status)),
    close: () => abort.abort(),
  };
}
