// The link's reading of the bridge's answers (the shared SSE parser on a byte stream cut anywhere) and
// its verdicts, with answers written here; the real bridge is in module.integration.test.ts.

import { describe, expect, it } from "vitest";
import type { StatusView } from "../../contract/api.js";
import { BridgeLink } from "../../companion/bridge-link.js";
import type { LinkState } from "../../companion/link-state.js";
import { destinationView, statusView } from "../../rig/status-views.js";

const ADDRESS = { ok: true as const, baseUrl: "http://127.0.0.1:8787", token: "s3cret" };
const FAST = { initialMs: 5, maxMs: 20, jitter: 0 };

/** A Response whose body delivers `chunks` one by one, then stays open (or ends when `end`). */
function eventStream(chunks: string[], { end = false } = {}): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      if (end) controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

function record() {
  const statuses: StatusView[] = [];
  const states: LinkState[] = [];
  return { statuses, states, listener: { onStatus: (status: StatusView) => statuses.push(status), onState: (state: LinkState) => states.push(state) } };
}

const until = async (check: () => boolean) => {
  const deadline = Date.now() + 2000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe("BridgeLink", () => {
  it("reads statuses from an event stream cut at any byte, with the token in the header", async () => {
    const first = statusView([destinationView({ id: "youtube", state: "live" })]);
    const second = statusView([destinationView({ id: "youtube", state: "off" })]);
    const text = `: hello\n\nevent: status\ndata: ${JSON.stringify(first)}\n\nevent: other\ndata: {}\n\nevent: status\r\ndata: ${JSON.stringify(second)}\r\n\r\n`;
    const chunks = text.match(/[\s\S]{1,7}/g)!;
    const seen: Request[] = [];
    const { statuses, states, listener } = record();
    const link = new BridgeLink(listener, {
      backoff: FAST,
      fetch: async (input, init) => {
        seen.push(new Request(input as string, init));
        return eventStream(chunks);
      },
    });
    link.connect(ADDRESS);
    await until(() => statuses.length === 2);
    link.close();
    expect(statuses).toEqual([first, second]);
    expect(states).toEqual([{ kind: "connected" }]);
    expect(link.status()).toEqual(second);
    expect(seen[0]!.url).toBe("http://127.0.0.1:8787/api/events");
    expect(seen[0]!.headers.get("authorization")).toBe("Bearer s3cret");
  });

  it("reports a refused token, keeps trying, and connects once the token is right", async () => {
    let answers = 0;
    const { states, listener } = record();
    const link = new BridgeLink(listener, {
      backoff: FAST,
      fetch: async () => (++answers < 3 ? Response.json({ error: { code: "unauthorized", message: "token" } }, { status: 401 }) : eventStream([`event: status\ndata: ${JSON.stringify(statusView([]))}\n\n`])),
    });
    link.connect(ADDRESS);
    await until(() => states.some((state) => state.kind === "connected"));
    link.close();
    expect(states.map((state) => state.kind)).toEqual(["refused-token", "connected"]);
    expect(JSON.stringify(states)).not.toContain("s3cret");
  });

  it("says when the address answers but is not a Relay bridge", async () => {
    const { states, listener } = record();
    const link = new BridgeLink(listener, { backoff: FAST, fetch: async () => new Response("<html></html>", { headers: { "content-type": "text/html" } }) });
    link.connect(ADDRESS);
    await until(() => states.length >= 1);
    link.close();
    expect(states[0]).toEqual({ kind: "unreachable", message: "http://127.0.0.1:8787 answers, but it is not a Relay bridge: check the host and port" });
  });

  it("forgets the status when the stream ends and reconnects", async () => {
    let opened = 0;
    const { statuses, states, listener } = record();
    const link = new BridgeLink(listener, {
      backoff: FAST,
      fetch: async () => {
        opened++;
        return eventStream([`event: status\ndata: ${JSON.stringify(statusView([]))}\n\n`], { end: opened === 1 });
      },
    });
    link.connect(ADDRESS);
    await until(() => opened === 2 && statuses.length === 2);
    link.close();
    expect(states.map((state) => state.kind)).toEqual(["connected", "unreachable", "connected"]);
  });

  it("reports unusable settings without trying them", async () => {
    let calls = 0;
    const { states, listener } = record();
    const link = new BridgeLink(listener, { fetch: async () => (calls++, new Response("")) });
    link.connect({ ok: false, problem: "Host is empty" });
    expect(states).toEqual([{ kind: "bad-settings", message: "Host is empty" }]);
    await expect(link.command("youtube", "start")).rejects.toThrow("Host is empty");
    expect(calls).toBe(0);
  });

  it("passes the bridge's reason for a refused command", async () => {
    const link = new BridgeLink(record().listener, {
      backoff: FAST,
      fetch: async (input) =>
        String(input).endsWith("/api/events") ? eventStream([]) : Response.json({ error: { code: "not_found", message: 'Destination "nope" does not exist' } }, { status: 404 }),
    });
    link.connect(ADDRESS);
    await expect(link.command("nope", "toggle")).rejects.toMatchObject({ message: 'Destination "nope" does not exist', status: 404, code: "not_found" });
    link.close();
  });
});
