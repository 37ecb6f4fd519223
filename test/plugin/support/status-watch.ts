// Watches a bridge's event stream from the test process, stamping each status with its arrival time
// (performance.now(), the clock the fake host stamps the plugin's messages with).

import type { StatusView } from "../../../bridge/shared/api.js";
import { createSseParser } from "../../../bridge/shared/sse-parser.js";

export interface StampedStatus {
  at: number;
  status: StatusView;
}

export interface StatusWatch {
  events: StampedStatus[];
  /** First status (from `after` on) that `match` accepts. */
  first(match: (status: StatusView) => boolean, after?: number): StampedStatus | undefined;
  close(): void;
}

export async function watchStatus(url: string, token = ""): Promise<StatusWatch> {
  const abort = new AbortController();
  const response = await fetch(`${url}/api/events`, { signal: abort.signal, headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!response.ok || !response.body) throw new Error(`/api/events answered ${response.status}`);
  const events: StampedStatus[] = [];
  const parser = createSseParser((event) => {
    if (event.event === "status") events.push({ at: performance.now(), status: JSON.parse(event.data) as StatusView });
  });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        parser.push(decoder.decode(value, { stream: true }));
      }
    } catch {
      // closed by the test or by the bridge stopping
    }
  })();
  return {
    events,
    first: (match, after = 0) => events.find((event) => event.at >= after && match(event.status)),
    close: () => abort.abort(),
  };
}
