// The engine's runners follow the config, whoever wrote it: the API or a hand edit of the file.
// No ingest is published here, so no relay starts: switched-on destinations wait for OBS.

import { readFile, writeFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { RelayError } from "../../../bridge/domain/errors.js";
import type { StatusView } from "../../../contract/api.js";
import { createTestEngine, type TestEngine } from "./engine-fixture.js";

let running: TestEngine | undefined;
afterEach(async () => {
  await running?.dispose();
  running = undefined;
});

async function startEngine() {
  running = await createTestEngine({ destinations: [] });
  await running.engine.start();
  return running;
}

const platform = (name: string) => ({ name, url: "rtmp://127.0.0.1:1936/live", key: `${name.toLowerCase()}-key-123` });

describe("engine: one reconcile for every change", () => {
  it("switches a destination on and off through the API, and says so to subscribers", async () => {
    const { engine } = await startEngine();
    await engine.createDestination(platform("YouTube"));
    const heard: StatusView[] = [];
    engine.onChange((status) => heard.push(status));
    expect((await engine.setEnabled("youtube", "toggle")).state).toBe("waiting");
    await new Promise((resolve) => setImmediate(resolve));
    expect(heard.at(-1)?.destinations[0]).toMatchObject({ id: "youtube", enabled: true, state: "waiting" });
    expect((await engine.setEnabled("youtube", "toggle")).state).toBe("off");
  });

  it("builds the status once per change: readers share it until something changes, and see the change at once", async () => {
    const { engine } = await startEngine();
    await engine.createDestination(platform("YouTube"));
    const first = engine.status();
    expect(engine.status()).toBe(first);
    await engine.setEnabled("youtube", true);
    const after = engine.status();
    expect(after).not.toBe(first);
    expect(after.destinations[0]).toMatchObject({ id: "youtube", enabled: true, state: "waiting" });
    expect(engine.status()).toBe(after);
    await engine.updateDestination("youtube", { name: "YouTube (main)" });
    expect(engine.status().destinations[0]!.name).toBe("YouTube (main)");
  });

  it("keeps the shared status through a change of numbers only, and still hands subscribers a fresh one", async () => {
    const { engine, dataPlane } = await startEngine();
    await engine.createDestination(platform("YouTube"));
    const first = engine.status();
    const heard = new Promise<StatusView>((resolve) => engine.onChange(resolve));
    dataPlane.emit("skip", "youtube"); // a skip counter moved, as the data plane reports it: numbers only
    expect(engine.status()).toBe(first);
    expect(await heard).not.toBe(first);
  });

  it("follows a hand edit of the file: a removed destination goes, an added one comes, a wish is applied", async () => {
    const { engine, file } = await startEngine();
    await engine.createDestination(platform("YouTube"));
    await engine.createDestination(platform("Twitch"));
    await engine.setEnabled("youtube", true);
    const edited = JSON.parse(await readFile(file, "utf8"));
    edited.destinations = [
      { ...edited.destinations[1], enabled: true },
      { id: "kick", name: "Kick", url: "rtmp://127.0.0.1:1936/live", key: "kick-key-123", enabled: true },
    ];
    await writeFile(file, JSON.stringify(edited));
    // The next write finds the edit and builds on it.
    await engine.updateDestination("twitch", { name: "Twitch (main)" });
    expect(engine.getDestination("youtube")).toBeUndefined();
    expect(engine.listDestinations().map((view) => [view.id, view.name, view.enabled, view.state])).toEqual([
      ["twitch", "Twitch (main)", true, "waiting"],
      ["kick", "Kick", true, "waiting"],
    ]);
    // The added destination's runner answers the API like any other.
    expect((await engine.setEnabled("kick", false)).state).toBe("off");
  });

  it("refuses to retry a destination that is not retrying, and names an unknown one", async () => {
    const { engine } = await startEngine();
    await engine.createDestination(platform("YouTube"));
    await expect(engine.retryNow("youtube")).rejects.toMatchObject({ kind: "conflict", code: "not_retrying" });
    const unknown = await engine.setEnabled("nope", true).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(RelayError);
    expect(unknown).toMatchObject({ kind: "not_found", message: 'Destination "nope" does not exist' });
  });
});
