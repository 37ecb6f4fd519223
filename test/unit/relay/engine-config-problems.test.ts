// An invalid hand edit of the config file is in the status (its `config` entry, by key) until fixed,
// and subscribers hear of it: the page shows it without waiting for a write to fail.

import { readFile, writeFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import type { StatusView } from "../../../contract/api.js";
import { createTestEngine, type TestEngine } from "./engine-fixture.js";

let running: TestEngine | undefined;
afterEach(async () => {
  running?.store.close();
  await running?.dispose();
  running = undefined;
});

const until = async (condition: () => boolean, what: string) => {
  for (const deadline = Date.now() + 10_000; !condition(); await new Promise((resolve) => setTimeout(resolve, 10))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
};

describe("engine: an invalid hand edit in the status", () => {
  it("says what is wrong by key while the file is invalid, never a key, and stops once it is fixed", async () => {
    running = await createTestEngine({ destinations: [{ id: "yt", name: "YouTube", url: "rtmp://127.0.0.1:1936/live", key: "secret-key-4471" }] });
    const { engine, store, file } = running;
    await engine.start();
    await store.watch({ onInvalidEdit: () => undefined, settleMs: 20 });
    const heard: StatusView[] = [];
    engine.onChange((status) => heard.push(status));
    expect(engine.status().config).toBeUndefined();

    const good = JSON.parse(await readFile(file, "utf8"));
    await writeFile(file, JSON.stringify({ ...good, destinations: [{ ...good.destinations[0], url: "http://127.0.0.1/live" }] }));
    await until(() => engine.status().config !== undefined, "the status to show the invalid edit");
    expect(engine.status().config!.problems).toEqual([expect.stringMatching(/^destinations\[0\]\.url: must start with rtmp:\/\/ or rtmps:\/\//)]);
    await until(() => heard.some((status) => status.config !== undefined), "subscribers to hear of it");
    expect(JSON.stringify(engine.status())).not.toContain("secret-key-4471");
    // The bridge keeps running on the last good config.
    expect(engine.status().destinations[0]!.url).toBe("rtmp://127.0.0.1:1936/live");

    await writeFile(file, JSON.stringify({ ...good, ingest: { port: 1980 } }));
    await until(() => engine.status().config === undefined, "the fix to clear it");
    await until(() => heard.at(-1)?.config === undefined, "subscribers to hear the fix");
  });
});
