// Hand edits of the config file and the API's writes at the same time: an edit is never overwritten,
// a config swapped for a symbolic link is still followed, and an invalid edit is said (by key) until fixed.

import { mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from "node:fs/promises";
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { asideFileName, ConfigStore } from "../../../bridge/config/store.js";
import { ConfigError } from "../../../bridge/config/errors.js";

let dir: string;
let store: ConfigStore | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "relay-hand-edits-"));
});
afterEach(async () => {
  store?.close();
  store = undefined;
  await rm(dir, { recursive: true, force: true });
});

const until = async (condition: () => boolean | Promise<boolean>, what: string) => {
  for (const deadline = Date.now() + 10_000; !(await condition()); await new Promise((resolve) => setTimeout(resolve, 10))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
};

/** A hand edit as an editor saves: the whole file, renamed over the old one. */
async function handEdit(file: string, edit: (config: Record<string, unknown>) => void): Promise<void> {
  // The file is missing for a few system calls while the store swaps it: an editor would try again.
  let text: string | undefined;
  while (text === undefined) text = await readFile(file, "utf8").catch(() => undefined);
  const config = JSON.parse(text);
  edit(config);
  const temp = `${file}.editor~`;
  await writeFile(temp, JSON.stringify(config, null, 2));
  await rename(temp, file);
}

describe("hand edits and API writes at once", () => {
  it("never overwrites an edit that lands while a write is being made: the write is made again on top of it", async () => {
    const file = join(dir, "config.json");
    store = await ConfigStore.open(file);
    let landed = false;
    await store.update((draft) => {
      draft.ingest.holdSeconds = 12;
      if (landed) return;
      landed = true;
      // The streamer saves the file after the store read it, before the store's rename.
      const text = JSON.parse(readFileSync(file, "utf8"));
      text._mine = "hand";
      text.ingest = { ...text.ingest, port: 1999 };
      writeFileSync(file, JSON.stringify(text));
    });
    const saved = JSON.parse(await readFile(file, "utf8"));
    expect(saved._mine).toBe("hand");
    expect(saved.ingest).toMatchObject({ port: 1999, holdSeconds: 12 });
    expect(store.current.ingest).toMatchObject({ port: 1999, holdSeconds: 12 });
  });

  it("refuses clearly, writing nothing, when the file keeps changing under every try", async () => {
    const file = join(dir, "config.json");
    store = await ConfigStore.open(file);
    let n = 0;
    const refused = await store
      .update((draft) => {
        draft.ingest.holdSeconds = 5;
        const text = JSON.parse(readFileSync(file, "utf8"));
        text._edit = ++n;
        writeFileSync(file, JSON.stringify(text));
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).problems.join()).toMatch(/edited 5 times while the bridge wrote it: nothing was written \(your edit is kept\)/);
    const saved = JSON.parse(await readFile(file, "utf8"));
    expect(saved._edit).toBe(n);
    expect(saved.ingest.holdSeconds).toBe(30);
  });

  it("keeps every hand edit made while the API writes non-stop", async () => {
    const file = join(dir, "config.json");
    store = await ConfigStore.open(file);
    await store.watch({ onInvalidEdit: () => undefined, settleMs: 5 });
    let writing = true;
    let writes = 0;
    const writer = (async () => {
      while (writing) {
        // A write the file kept changing under is refused, clearly, and written again by the next one.
        await store!.update((draft) => void (draft.ingest.holdSeconds = (writes % 100) + 1)).catch((error: ConfigError) => {
          expect(error.problems.join()).toMatch(/while the bridge wrote it: nothing was written/);
        });
        writes += 1;
      }
    })();
    const edits = 20;
    for (let i = 1; i <= edits; i += 1) {
      await handEdit(file, (config) => void (config._edits = [...((config._edits as number[] | undefined) ?? []), i]));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    writing = false;
    await writer;
    expect(writes).toBeGreaterThan(0);
    const saved = JSON.parse(await readFile(file, "utf8"));
    expect(saved._edits).toEqual(Array.from({ length: edits }, (_, i) => i + 1));
  });
});

describe("a write cut short", () => {
  it("puts back a config a crash left aside, and removes an aside copy once the file is there", async () => {
    const file = join(dir, "config.json");
    await writeFile(asideFileName(file), JSON.stringify({ ingest: { port: 1970 } }));
    store = await ConfigStore.open(file);
    expect(store.created).toBe(false);
    expect(store.current.ingest.port).toBe(1970);
    await writeFile(asideFileName(file), JSON.stringify({ ingest: { port: 1971 } }));
    store = await ConfigStore.open(file);
    expect(store.current.ingest.port).toBe(1970);
    await expect(readFile(asideFileName(file))).rejects.toThrow(/ENOENT/);
  });
});

describe("a config kept behind a symbolic link", () => {
  it("follows the new target after config.json is swapped for a link, and notices its edits", async () => {
    const file = join(dir, "config.json");
    store = await ConfigStore.open(file);
    const ports: number[] = [];
    store.onChange((change) => ports.push(change.after.ingest.port));
    await store.watch({ onInvalidEdit: () => undefined, settleMs: 20 });
    const elsewhere = join(dir, "elsewhere");
    await mkdir(elsewhere);
    const target = join(elsewhere, "relay.json");
    await writeFile(target, JSON.stringify({ ingest: { port: 1950 } }));
    // Swapped at once, as `ln -sf` then `mv -T` does.
    await symlink(target, join(dir, "link.tmp"));
    await rename(join(dir, "link.tmp"), file);
    await until(() => store!.current.ingest.port === 1950, "the swap to be read");
    // Now the target is edited, in its own folder.
    await handEdit(target, (config) => void (config.ingest = { port: 1951 }));
    await until(() => store!.current.ingest.port === 1951, "the edit of the new target to be noticed");
    expect(ports).toEqual([1950, 1951]);
  });
});

describe("an invalid hand edit, said until fixed", () => {
  it("holds the problems by key while the file is invalid, tells its listeners, and clears them once fixed", async () => {
    const file = join(dir, "config.json");
    store = await ConfigStore.open(file);
    let told = 0;
    store.onProblems(() => (told += 1));
    await store.watch({ onInvalidEdit: () => undefined, settleMs: 20 });
    expect(store.problems).toBeNull();
    await handEdit(file, (config) => void (config.ingest = { port: "x" }));
    await until(() => store!.problems !== null, "the invalid edit");
    expect(store.problems!.join("\n")).toMatch(/^ingest\.port: /);
    expect(told).toBe(1);
    await handEdit(file, (config) => void (config.ingest = { port: 1960 }));
    await until(() => store!.problems === null, "the fix");
    expect(told).toBe(2);
    expect(store.current.ingest.port).toBe(1960);
  });
});
