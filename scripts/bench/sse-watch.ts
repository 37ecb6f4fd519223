// Watches a bridge's `/api/events` and records when each status event arrived, so a state change
// can be timed from the bridge (the destination's `since`) to the client.

import type { StatusView } from "../../bridge/shared/api.js";
import { now } from "./clock.js";
import { Arrivals } from "./arrivals.js";

/** Splits SSE text into whole frames; returns the frames and the unfinished rest. Pure. */
export function splitSseFrames(pending: string): { frames: Array<{ event: string; data: string }>; rest: string } {
  const frames: Array<{ event: string; data: string }> = [];
  let rest = pending.replace(/\r\n/g, "\n");
  let end: number;
  while ((end = rest.indexOf("\n\n")) >= 0) {
    const block = rest.slice(0, end);
    rest = rest.slice(end + 2);
    let event = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
    }
    if (data.length > 0) frames.push({ event, data: data.join("\n") });
  }
  return { frames, rest };
}

/** One status event and when it arrived (epoch ms). */
export interface TimedStatus {
  at: number;
  /** Date.now() at arrival, to compare with the bridge's own timestamps (`since`). */
  wallAt: number;
  status: StatusView;
}

export interface StatusWatch {
  readonly events: TimedStatus[];
  /** Resolves with the first event (arrived at or after `after`) that `match` accepts. */
  waitFor(match: (status: StatusView) => boolean, options?: { after?: number; timeoutMs?: number; what?: string }): Promise<TimedStatus>;
  close(): void;
}

export async function watchStatus(baseUrl: string, token = ""): Promise<StatusWatch> {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/api/events`, {
    signal: controller.signal,
    headers: token ? { authorization: `Bearer ${token}`, accept: "text/event-stream" } : { accept: "text/event-stream" },
  });
  if (!response.ok || !response.body) throw new Error(`/api/events answered ${response.status}`);
  const arrivals = new Arrivals<TimedStatus>();
  void (async () => {
    const decoder = new TextDecoder();
    let pending = "";
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const at = now();
        const wallAt = Date.now();
        const split = splitSseFrames(pending + decoder.decode(chunk, { stream: true }));
        pending = split.rest;
        for (const frame of split.frames) if (frame.event === "status") arrivals.push({ at, wallAt, status: JSON.parse(frame.data) as StatusView });
      }
    } catch {
      // closed
    }
  })();
  return {
    events: arrivals.items,
    waitFor(match, { after = 0, timeoutMs = 15_000, what = "a status event" } = {}) {
      return arrivals.waitFor((event) => event.at >= after && match(event.status), { timeoutMs, what });
    },
    close: () => controller.abort(),
  };
}
