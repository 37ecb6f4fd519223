// Reads a bridge's `/api/events` stream in tests: keeps the raw text and every parsed status.

import type { StatusView } from "../../bridge/shared/api.js";

export interface EventLog {
  raw(): string;
  statuses(): StatusView[];
  close(): void;
}

export async function collectEvents(url: string, token = ""): Promise<EventLog> {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/events`, {
    signal: controller.signal,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (!response.ok || !response.body) throw new Error(`events answered ${response.status}`);
  let raw = "";
  const statuses: StatusView[] = [];
  const decoder = new TextDecoder();
  let pending = "";
  void (async () => {
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const text = decoder.decode(chunk, { stream: true });
        raw += text;
        pending += text;
        let end: number;
        while ((end = pending.indexOf("\n\n")) >= 0) {
          const frame = pending.slice(0, end);
          pending = pending.slice(end + 2);
          const data = frame.split("\n").filter((line) => line.startsWith("data: ")).map((line) => line.slice(6)).join("\n");
          if (/^event: status$/m.test(frame) && data) statuses.push(JSON.parse(data) as StatusView);
        }
      }
    } catch {
      // aborted
    }
  })();
  return { raw: () => raw, statuses: () => statuses, close: () => controller.abort() };
}
