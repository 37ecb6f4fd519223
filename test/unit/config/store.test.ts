import { chmod, lstat, mkdir, mkdtemp, symlink, readFile, rm, stat, writeFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { ConfigStore, parseConfig } from "../../../bridge/config/store.js";
import { ConfigError } from "../../../bridge/config/errors.js";
import { defaultConfig, serverUrlProblem } from "../../../bridge/config/schema.js";
import { configDir, defaultConfigPath, runtimeDirFor } from "../../../bridge/launch/paths.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "relay-config-"));
});

const destination = { id: "yt", name: "YouTube", url: "rtmp://a.rtmp.youtube.com/live2", key: "k-1" };

describe("config schema", () => {
  it("fills every default docs/config.md lists", () => {
    expect(defaultConfig()).toEqual({
      bridge: { host: "127.0.0.1", port: 8787, token: "", allowedHosts: [] },
      ingest: { host: "127.0.0.1", port: 1935, app: "live", key: "", holdSeconds: 30, slate: "" },
      binaries: { nginx: "", ffmpeg: "", stunnel: "" },
      tls: { verify: true, caFile: "" },
      relays: { retryInitialMs: 1000, retryMaxMs: 30000, maxFailures: 6, stallTimeoutMs: 10000 },
      uplink: { kbps: 0, probeInitialMs: 20000, probeMaxMs: 300000 },
      obs: { url: "", password: "" },
      alerts: { webhooks: [], language: "en" },
      destinations: [],
    });
    const parsed = parseConfig(JSON.stringify({ destinations: [destination] }), "c.json");
    expect(parsed.destinations[0]).toMatchObject({ enabled: false, transport: "auto" });
  });

  it("checks alerts.webhooks: http or https URLs and a known format, never quoting the URL", () => {
    const parse = (webhooks: unknown) => () => parseConfig(JSON.stringify({ alerts: { webhooks } }), "c.json");
    expect(parseConfig(JSON.stringify({ alerts: { webhooks: [{ url: "https://ntfy.sh/relay-topic-x1" }] } }), "c.json").alerts.webhooks).toEqual([{ url: "https://ntfy.sh/relay-topic-x1", format: "json" }]);
    expect(parse([{ url: "ftp://host/secret-topic-a", format: "ntfy" }])).toThrow(/alerts\.webhooks\[0\]\.url: must start with https:\/\//);
    expect(parse([{ url: "https://user:pw@host/secret-topic-b", format: "ntfy" }])).toThrow(/must not carry a user name or password/);
    expect(parse([{ url: "https://host/t", format: "telegram" }])).toThrow(/alerts\.webhooks\[0\]\.format: must be one of json, discord, slack, ntfy/);
    for (const url of ["ftp://host/secret-topic-a", "https://user:pw@host/secret-topic-b", "not a url secret-topic-c"]) {
      try {
        parse([{ url }])();
      } catch (error) {
        expect((error as Error).message).not.toContain("secret-topic");
      }
    }
  });

  it("checks obs.url and obs.password with messages that say how to fix them (never quoting the password)", () => {
    const secret = "pw\u0001secret";
    try {
      parseConfig(JSON.stringify({ obs: { url: "http://127.0.0.1:4455", password: secret } }), "c.json");
      expect.unreachable();
    } catch (error) {
      const problems = (error as ConfigError).problems.join("\n");
      expect(problems).toContain("obs.url: must start with ws:// or wss://");
      expect(problems).toContain("obs.password: must not contain control characters");
      expect(problems).not.toContain("secret");
    }
    expect(parseConfig(JSON.stringify({ obs: { url: "ws://127.0.0.1:4455", password: "x" } }), "c.json").obs).toEqual({ url: "ws://127.0.0.1:4455", password: "x" });
  });

  it("names every key at fault, and why", () => {
    const text = JSON.stringify({
      bridge: { port: 70000 },
      ingest: { app: "li ve" },
      destinations: [destination, { ...destination, url: "http://x" }, { ...destination, id: "Bad Id", name: "" }],
    });
    try {
      parseConfig(text, "c.json");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join("\n");
      expect(problems).toContain("bridge.port: must be a port from 1 to 65535");
      expect(problems).toContain("ingest.app:");
      expect(problems).toContain("destinations[1].url: must start with rtmp:// or rtmps://");
      expect(problems).toContain("destinations[2].id: must be a slug");
      expect(problems).toContain("destinations[2].name: must not be empty");
      expect(problems).toContain('destinations[1].id: "yt" is used twice');
    }
  });

  it("holds at most 100 destinations", () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ ...destination, id: `d${i}` }));
    expect(() => parseConfig(JSON.stringify({ destinations: many }), "c.json")).toThrow(/destinations: must hold at most 100 destinations/);
  });

  it("reports broken JSON", () => {
    expect(() => parseConfig("{ nope", "c.json")).toThrow(/not valid JSON/);
  });

  it("checks server URLs like a streamer would paste them", () => {
    expect(serverUrlProblem("rtmps://live-api-s.facebook.com:443/rtmp/")).toBeNull();
    expect(serverUrlProblem("rtmp://a.rtmp.youtube.com/live2")).toBeNull();
    expect(serverUrlProblem("")).toMatch(/empty/);
    expect(serverUrlProblem("rtmp://host/app key")).toMatch(/spaces/);
    expect(serverUrlProblem("rtmp://host/app\n")).toMatch(/control/);
    expect(serverUrlProblem("srt://host:9000")).toMatch(/rtmp:\/\/ or rtmps:\/\//);
    expect(serverUrlProblem("rtmp://user:pw@host/app")).toMatch(/user name or password/);
    expect(serverUrlProblem("%%%")).toMatch(/not a URL/);
    expect(serverUrlProblem("rtmp:///app")).toMatch(/host/);
  });
});

describe("ConfigStore", () => {
  it("creates the file with defaults on first start, mode 0600", async () => {
    const file = join(dir, "nested", "config.json");
    const store = await ConfigStore.open(file);
    expect(store.created).toBe(true);
    const written = JSON.parse(await readFile(file, "utf8"));
    expect(written).toMatchObject(defaultConfig());
    // Help by example, in fields the bridge keeps but never reads: nothing is switched on.
    expect(Object.keys(written._help)).toEqual(["bridge", "ingest", "binaries", "tls", "relays", "destinations"]);
    expect(written._examples.map((example: { id: string }) => example.id)).toEqual(["youtube", "twitch", "facebook"]);
    expect(written.destinations).toEqual([]);
    expect((await ConfigStore.open(file)).created).toBe(false);
    if (process.platform !== "win32") expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it("keeps unknown fields through a save", async () => {
    const file = join(dir, "config.json");
    await writeFile(file, JSON.stringify({ future: { x: 1 }, destinations: [{ ...destination, color: "red" }] }));
    const store = await ConfigStore.open(file);
    await store.update((draft) => {
      draft.destinations[0]!.enabled = true;
    });
    const saved = JSON.parse(await readFile(file, "utf8"));
    expect(saved.future).toEqual({ x: 1 });
    expect(saved.destinations[0]).toMatchObject({ color: "red", enabled: true });
  });

  it("never overwrites a bad file", async () => {
    const file = join(dir, "config.json");
    const bad = '{ "bridge": { "port": "eighty" } }';
    await writeFile(file, bad);
    await expect(ConfigStore.open(file)).rejects.toThrow(/bridge\.port/);
    expect(await readFile(file, "utf8")).toBe(bad);
  });

  it("validates before writing: an invalid change writes nothing", async () => {
    const file = join(dir, "config.json");
    const store = await ConfigStore.open(file);
    const before = await readFile(file, "utf8");
    await expect(store.update((draft) => void draft.destinations.push({ ...destination, url: "ftp://x", enabled: false, transport: "auto" }))).rejects.toThrow(
      /destinations\[0\]\.url/,
    );
    expect(await readFile(file, "utf8")).toBe(before);
    expect(store.current.destinations).toEqual([]);
    expect((await readdir(dir)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("removes temp files an interrupted write left beside the config, and nothing else", async () => {
    const file = join(dir, "config.json");
    await writeFile(file, JSON.stringify({ destinations: [destination] }));
    const leftovers = ["config.json.4242.9f3a1c2e.tmp", "config.json.17.00ff.tmp"];
    for (const name of leftovers) await writeFile(join(dir, name), JSON.stringify({ destinations: [destination] }));
    const bystanders = ["config.json.bak", "other.json.4242.9f3a1c2e.tmp", "config.json.x.tmp"];
    for (const name of bystanders) await writeFile(join(dir, name), "keep");
    const store = await ConfigStore.open(file);
    expect([...store.removedTempFiles].sort()).toEqual([...leftovers].sort());
    expect((await readdir(dir)).sort()).toEqual(["config.json", ...bystanders].sort());
  });

  it.skipIf(process.platform === "win32")("makes a config others can read owner-only at start, and says from what", async () => {
    const file = join(dir, "config.json");
    await writeFile(file, JSON.stringify({ destinations: [destination] }), { mode: 0o644 });
    await chmod(file, 0o644);
    const store = await ConfigStore.open(file);
    expect(store.tightenedFromMode).toBe(0o644);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await ConfigStore.open(file)).tightenedFromMode).toBeNull();
  });

  it.skipIf(process.platform === "win32")("writes through a symbolic link to its target: the link stays a link", async () => {
    const elsewhere = join(dir, "dotfiles");
    await mkdir(elsewhere);
    const target = join(elsewhere, "relay.json");
    await writeFile(target, JSON.stringify({ destinations: [destination] }), { mode: 0o600 });
    const link = join(dir, "config.json");
    await symlink(join("dotfiles", "relay.json"), link);
    const store = await ConfigStore.open(link);
    await store.update((draft) => void (draft.destinations[0]!.enabled = true));
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await readFile(target, "utf8")).destinations[0].enabled).toBe(true);
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    expect((await readdir(elsewhere)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("leaves no temp file when a write fails", async () => {
    const file = join(dir, "config.json");
    const store = await ConfigStore.open(file);
    // The rename fails (a folder now stands where the file was): the temp file must go too.
    await rm(file);
    await mkdir(file);
    await expect(store.update((draft) => void draft.destinations.push({ ...destination, enabled: false, transport: "auto" }))).rejects.toThrow();
    expect((await readdir(dir)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("runs concurrent updates one after another, none lost", async () => {
    const file = join(dir, "config.json");
    const store = await ConfigStore.open(file);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.update((draft) => void draft.destinations.push({ ...destination, id: `d${i}`, enabled: false, transport: "auto" })),
      ),
    );
    const saved = JSON.parse(await readFile(file, "utf8"));
    expect(saved.destinations.map((d: { id: string }) => d.id).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `d${i}`).sort());
  });
});

describe("ConfigStore: every change through one door", () => {
  const changes = (store: ConfigStore) => {
    const seen: Array<{ by: string; before: number; after: number }> = [];
    store.onChange((change) => seen.push({ by: change.by, before: change.before.ingest.port, after: change.after.ingest.port }));
    return seen;
  };
  const until = async (condition: () => boolean, what: string) => {
    for (const deadline = Date.now() + 5_000; !condition(); await new Promise((resolve) => setTimeout(resolve, 10))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    }
  };

  it("tells its listeners of each write, before the write's promise resolves", async () => {
    const store = await ConfigStore.open(join(dir, "config.json"));
    const seen = changes(store);
    await store.update((draft) => void (draft.ingest.port = 1936));
    expect(seen).toEqual([{ by: "write", before: 1935, after: 1936 }]);
    await expect(store.update((draft) => void (draft.ingest.port = 0))).rejects.toThrow(ConfigError);
    expect(seen).toHaveLength(1);
  });

  it("picks up a hand edit within a second, and says once that an invalid one is kept out", async () => {
    const file = join(dir, "config.json");
    const store = await ConfigStore.open(file);
    const seen = changes(store);
    const invalid: string[] = [];
    await store.watch({ onInvalidEdit: (error) => invalid.push((error as ConfigError).problems.join("; ")), settleMs: 20 });
    try {
      const edited = { ...JSON.parse(await readFile(file, "utf8")), ingest: { port: 1940 } };
      await writeFile(file, JSON.stringify(edited));
      await until(() => seen.length === 1, "the edit");
      expect(seen).toEqual([{ by: "edit", before: 1935, after: 1940 }]);
      expect(store.current.ingest.port).toBe(1940);

      // An invalid edit: the last good config stays, it is said once however often the file is touched,
      // and a write does not drop the streamer's edit but refuses, naming the fault.
      await writeFile(file, JSON.stringify({ ...edited, ingest: { port: "x" } }));
      await until(() => invalid.length === 1, "the invalid edit to be reported");
      expect(invalid[0]).toContain("ingest.port");
      await writeFile(file, JSON.stringify({ ...edited, ingest: { port: "x" } }));
      // The same text again is not said again (checked below, once the watcher has read the fixed file).
      await store.update(() => undefined).catch((error: ConfigError) => invalid.push(`write: ${error.problems.join("; ")}`));
      expect(invalid).toHaveLength(2);
      expect(invalid[1]).toMatch(/^write: .*ingest\.port/);
      expect(store.current.ingest.port).toBe(1940);
      await writeFile(file, JSON.stringify({ ...edited, ingest: { port: 1941 } }));
      await until(() => seen.length === 2, "the fixed edit");
      expect(seen[1]).toEqual({ by: "edit", before: 1940, after: 1941 });
      expect(invalid).toHaveLength(2);
      // The store's own writes are not taken for edits.
      await store.update((draft) => void (draft.ingest.port = 1942));
      await store.update((draft) => void (draft.ingest.port = 1943));
      expect(seen.map((change) => change.by)).toEqual(["edit", "edit", "write", "write"]);
    } finally {
      store.close();
    }
  });

  it("takes writes again once an invalid edit is undone", async () => {
    const file = join(dir, "config.json");
    const store = await ConfigStore.open(file);
    const good = await readFile(file, "utf8");
    const invalid: string[] = [];
    await store.watch({ onInvalidEdit: (error) => invalid.push(error.message), settleMs: 20 });
    try {
      await writeFile(file, "{ not json");
      await until(() => invalid.length === 1, "the invalid edit to be reported");
      await writeFile(file, good);
      await expect(store.update((draft) => void (draft.ingest.port = 1950))).resolves.toMatchObject({ ingest: { port: 1950 } });
    } finally {
      store.close();
    }
  });
});

describe("config paths", () => {
  it("uses each OS's config folder", () => {
    expect(configDir({ platform: "win32", env: { APPDATA: "C:\\Users\\s\\AppData\\Roaming" }, home: "C:\\Users\\s" })).toContain("relay");
    expect(defaultConfigPath({ platform: "darwin", env: {}, home: "/Users/s" })).toBe("/Users/s/Library/Application Support/relay/config.json");
    expect(defaultConfigPath({ platform: "linux", env: { XDG_CONFIG_HOME: "/x" }, home: "/home/s" })).toBe("/x/relay/config.json");
    expect(defaultConfigPath({ platform: "linux", env: {}, home: "/home/s" })).toBe("/home/s/.config/relay/config.json");
    expect(runtimeDirFor("/x/relay/config.json")).toBe("/x/relay/run");
  });
});

describe("where a config file stops being JSON", () => {
  it("points at the fault without quoting it", async () => {
    const { jsonErrorPlace } = await import("../../../bridge/config/store.js");
    expect(jsonErrorPlace('{\n  "key": live_1\n}')).toBe("at line 2, column 10");
    expect(jsonErrorPlace('{\n "a": 1,\n}')).toBe("at line 3, column 1");
    expect(jsonErrorPlace('{"a": "x" "b": 2}')).toBe("at line 1, column 11");
    expect(jsonErrorPlace("[1,2")).toBe("at line 1, column 5");
    expect(jsonErrorPlace('{"a": tru}')).toBe("at line 1, column 7");
    expect(jsonErrorPlace('{"a": "ok\u0001"}')).toBe("at line 1, column 7");
  });
});
