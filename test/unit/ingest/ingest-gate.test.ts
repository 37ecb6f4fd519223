// The ingest gate against nginx's stat page: a stat answer that was on its way while a publish was
// being accepted, or ended, is older than that notification and must not undo it. The stat page is a
// real HTTP server on loopback whose answers the test holds and releases; the data plane is a recorder
// of what the gate asks of it (the gate is what is under test, not the reader).

import { EventEmitter } from "node:events";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { configSchema } from "../../../bridge/config/schema.js";
import { IngestGate } from "../../../bridge/ingest/ingest-gate.js";
import { createLogger } from "../../../bridge/log/logger.js";
import type { DataPlane } from "../../../bridge/media/data-plane.js";
import { SecretRegistry } from "../../../bridge/secrets/redact.js";

const statOf = (names: string[]) =>
  `<?xml version="1.0"?><rtmp><server><application><name>live</name><live>${names
    .map((name) => `<stream><name>${name}</name><time>5000</time><bytes_in>1000</bytes_in><bw_in>0</bw_in><nclients>2</nclients><publishing/><active/></stream>`)
    .join("")}</live></application></server></rtmp>`;

/** A stat page whose every answer waits until the test gives it. */
class HeldStatPage {
  readonly #waiting: ServerResponse[] = [];
  #server: Server | undefined;

  async listen(): Promise<string> {
    this.#server = createServer((_request, response) => this.#waiting.push(response));
    await new Promise<void>((resolve) => this.#server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/stat`;
  }

  /** Resolves once a request is waiting for its answer. */
  async requested(): Promise<void> {
    while (this.#waiting.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  /** Answers every waiting request with a stat page listing `names` as published. */
  answer(names: string[]): void {
    for (const response of this.#waiting.splice(0)) response.end(statOf(names));
  }

  async close(): Promise<void> {
    this.answer([]);
    await new Promise((resolve) => this.#server?.close(resolve));
  }
}

/** What the gate asks of the data plane, with a reader's subscription that ends when the test says. */
class RecordingDataPlane extends EventEmitter {
  readonly calls: string[] = [];
  readonly #read = new Set<string>();
  #subscribed: (() => void) | undefined;

  streamStarted(name: string): Promise<void> {
    this.calls.push(`start ${name}`);
    this.#read.add(name);
    return new Promise((resolve) => (this.#subscribed = resolve));
  }
  /** The reader's play was taken by nginx. */
  subscribe(): void {
    this.#subscribed?.();
  }
  streamEnded(name: string): void {
    this.calls.push(`end ${name}`);
    this.#read.delete(name);
  }
  endAll(): void {
    this.#read.clear();
  }
  reads(name: string): boolean {
    return this.#read.has(name);
  }
  streams(): string[] {
    return [...this.#read];
  }
  idleMs(): number {
    return Infinity;
  }
  media(): undefined {
    return undefined;
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 60));

describe("IngestGate and the stat page", () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function gateOnHeldStat() {
    const stat = new HeldStatPage();
    const statUrl = await stat.listen();
    const dataPlane = new RecordingDataPlane();
    const config = configSchema.parse({ ingest: { key: "" }, destinations: [] });
    const log = createLogger({ level: "error", redact: (text) => text, write: () => undefined });
    const gate = new IngestGate({ config: () => config, dataPlane: dataPlane as unknown as DataPlane, statUrl, controlUrl: "http://127.0.0.1:1/control", secrets: new SecretRegistry(), log });
    cleanup.push(() => stat.close(), () => gate.stop());
    return { stat, dataPlane, gate };
  }

  it("does not end the reader of a publish being accepted because a stat answer from before it lacks the stream", async () => {
    const { stat, dataPlane, gate } = await gateOnHeldStat();
    gate.start(() => true, 20);
    await stat.requested();
    gate.stop();
    // nginx asks about OBS's publish while the stat answer (written before it) is on its way.
    const accepted = gate.acceptPublish("live", "obs", "7");
    stat.answer([]);
    await settle();
    dataPlane.subscribe();
    expect(await accepted).toBe(true);
    expect(dataPlane.calls).toEqual(["start obs"]);
    expect(dataPlane.reads("obs")).toBe(true);
    expect((gate.view().streams ?? []).map((stream) => stream.name)).toEqual(["obs"]);
  });

  it("does not bring back a publish that ended while a stat answer listing it was on its way", async () => {
    const { stat, dataPlane, gate } = await gateOnHeldStat();
    const accepted = gate.acceptPublish("live", "obs", "7");
    dataPlane.subscribe();
    await accepted;
    gate.start(() => true, 20);
    await stat.requested();
    gate.stop();
    gate.publishDone("live", "obs", "7");
    stat.answer(["obs"]);
    await settle();
    expect(dataPlane.calls).toEqual(["start obs", "end obs"]);
    expect(gate.view().streams ?? []).toEqual([]);
  });

  it("still learns from the stat page a publish whose notification was missed, and lets go of one that vanished", async () => {
    const { stat, dataPlane, gate } = await gateOnHeldStat();
    gate.start(() => true, 20);
    await stat.requested();
    stat.answer(["obs"]);
    await settle();
    expect(dataPlane.calls).toEqual(["start obs"]);
    dataPlane.subscribe();
    // The stream's time on the stat page (5 s) is past the grace a new publish gets: gone means gone.
    await stat.requested();
    stat.answer([]);
    await settle();
    expect(dataPlane.calls).toEqual(["start obs", "end obs"]);
  });
});

/** A data plane whose reader subscribes at once. */
class PromptDataPlane extends RecordingDataPlane {
  override streamStarted(name: string): Promise<void> {
    void super.streamStarted(name);
    return Promise.resolve();
  }
}

describe("IngestGate and what publishers send it", () => {
  const gates: IngestGate[] = [];
  afterEach(() => {
    for (const gate of gates.splice(0)) gate.stop();
  });

  function gate(lines: string[] = []) {
    const dataPlane = new PromptDataPlane();
    const config = configSchema.parse({ ingest: { key: "" }, destinations: [] });
    const log = createLogger({ level: "debug", redact: (text) => text, write: (line) => lines.push(line) });
    const made = new IngestGate({ config: () => config, dataPlane: dataPlane as unknown as DataPlane, statUrl: "http://127.0.0.1:1/stat", controlUrl: "http://127.0.0.1:1/control", secrets: new SecretRegistry(), log });
    gates.push(made);
    return { gate: made, dataPlane };
  }

  it("logs a publish name on one line: a name with line breaks forges no line", async () => {
    const lines: string[] = [];
    const { gate: ingest } = gate(lines);
    const forged = "obs\n2026-12-07T23:00:00.000Z INFO  [bridge] destination youtube live\r\n";
    expect(await ingest.acceptPublish("live", forged, "9")).toBe(true);
    ingest.publishDone("live", forged, "9");
    const written = lines.join("\n");
    expect(written.split("\n")).toHaveLength(lines.length);
    expect(lines.some((line) => line.includes('ingest "obs\\n2026-12-07T23:00:00.000Z INFO  [bridge] destination youtube live\\r\\n" started'))).toBe(true);
    expect(lines.some((line) => line.includes("\\r\\n\" ended"))).toBe(true);
    ingest.noteWrongApplication("live\n2026-12-07T23:00:00.000Z INFO  [bridge] forged");
    expect(lines.at(-1)).toContain("OBS tried rtmp://THIS-COMPUTER:1935/live\\n2026-12-07T23:00:00.000Z INFO  [bridge] forged: use");
    expect(lines.join("\n").split("\n")).toHaveLength(lines.length);
  });

  it("takes at most 8 streams at once, says so in the log and the status, and always takes the main one back", async () => {
    const lines: string[] = [];
    const { gate: ingest, dataPlane } = gate(lines);
    expect(await ingest.acceptPublish("live", "obs", "1")).toBe(true);
    for (let index = 1; index < 8; index += 1) expect(await ingest.acceptPublish("live", `cam${index}`, String(index + 1))).toBe(true);
    expect(await ingest.acceptPublish("live", "cam8", "20")).toBe(false);
    expect(dataPlane.calls).not.toContain("start cam8");
    expect(lines.at(-1)).toMatch(/WARN .*refused a publish of "cam8": the ingest already reads 8 streams, the most it takes at once \(8/);
    // OBS drops and reconnects: its name is always taken back.
    ingest.publishDone("live", "obs", "1");
    expect(await ingest.acceptPublish("live", "cam9", "21")).toBe(false);
    expect(ingest.view().hint).toMatch(/refused a publish of "cam9"/);
    expect(await ingest.acceptPublish("live", "obs", "22")).toBe(true);
    // One ends: another may come.
    ingest.publishDone("live", "cam1", "2");
    expect(await ingest.acceptPublish("live", "cam8", "23")).toBe(true);
  });

  it("without a key, says that a second name is not the main stream and reads it for no platform", async () => {
    const lines: string[] = [];
    const { gate: ingest } = gate(lines);
    await ingest.acceptPublish("live", "obs", "1");
    ingest.publishDone("live", "obs", "1");
    expect(await ingest.acceptPublish("live", "intruder", "2")).toBe(true);
    expect(lines.at(-1)).toMatch(/WARN .*ingest "intruder" is not the main stream \("obs" is/);
    expect(ingest.view().name).not.toBe("intruder");
  });
});
