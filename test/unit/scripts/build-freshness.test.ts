import { describe, expect, it } from "vitest";
import { join } from "node:path";
// @ts-expect-error: a plain ES module of the build scripts, without types
import { buildLine, staleBundles } from "../../../scripts/build/build-freshness.mjs";
// @ts-expect-error: a plain ES module of the build scripts, without types
import { bundlesFor, describeBundles } from "../../../scripts/build/bundles.mjs";

const ROOT = "/project";
const BRIDGE = ["bridge", "bridge-key-worker", "page"];

interface Record {
  name: string;
  builtAt: number;
  outputs: string[];
  inputs: string[];
}

/** A file system of modification times and build records, as build-freshness reads it. */
function files(times: { [path: string]: number }, records: Record[]) {
  const texts = new Map(records.map((record) => [join(ROOT, "dist/.build", `${record.name}.json`), JSON.stringify(record)]));
  return {
    mtime: (path: string) => times[path.slice(ROOT.length + 1)] ?? null,
    read: (path: string) => texts.get(path) ?? null,
  };
}

const SHARED = { "package.json": 10, "package-lock.json": 10, "rollup.config.mjs": 10, "tsconfig.base.json": 10 };

const bridgeRecord: Record = { name: "bridge", builtAt: 100, outputs: ["dist/relay-bridge.js"], inputs: ["bridge/main.ts", "bridge/cli-options.ts"] };
const workerRecord: Record = { name: "bridge-key-worker", builtAt: 100, outputs: ["dist/key-render-worker.js"], inputs: ["bridge/render/worker.ts"] };
const pageRecord: Record = { name: "page", builtAt: 100, outputs: ["dist/page/app.js", "dist/page/index.html"], inputs: ["page/app.ts", "page/index.html"] };
const pluginBridgeRecord: Record = { name: "plugin-bridge", builtAt: 125, outputs: ["com.relay.sdPlugin/bin/relay-bridge.js"], inputs: ["bridge/main.ts", "dist/page/app.js", "dist/page/index.html"] };

const built = {
  ...SHARED,
  "bridge/main.ts": 50,
  "bridge/cli-options.ts": 50,
  "bridge/render/worker.ts": 50,
  "page/app.ts": 50,
  "page/index.html": 50,
  "dist/relay-bridge.js": 120,
  "dist/key-render-worker.js": 120,
  "dist/page/app.js": 120,
  "dist/page/index.html": 120,
  "com.relay.sdPlugin/bin/relay-bridge.js": 140,
};
const records = [bridgeRecord, workerRecord, pageRecord, pluginBridgeRecord];

describe("which bundles a start must build", () => {
  it("builds nothing when nothing changed since the last build", () => {
    expect(staleBundles(ROOT, [...BRIDGE, "plugin-bridge"], files(built, records))).toEqual([]);
  });

  it("builds a bundle that was never built, and only the bundles asked for", () => {
    expect(staleBundles(ROOT, BRIDGE, files(built, [bridgeRecord, pageRecord]))).toEqual([{ name: "bridge-key-worker", reason: "not built yet" }]);
  });

  it("treats an unreadable record as never built", () => {
    const broken = files(built, records);
    const read = (path: string) => (path.endsWith("bridge.json") && !path.endsWith("plugin-bridge.json") ? "{ half a rec" : broken.read(path));
    expect(staleBundles(ROOT, ["bridge"], { ...broken, read })).toEqual([{ name: "bridge", reason: "not built yet" }]);
  });

  it("builds a bundle whose output was deleted", () => {
    const { "dist/key-render-worker.js": _gone, ...rest } = built;
    expect(staleBundles(ROOT, BRIDGE, files(rest, records))).toEqual([{ name: "bridge-key-worker", reason: "dist/key-render-worker.js is missing" }]);
  });

  it("builds the bundle a changed source belongs to, naming the source", () => {
    const edited = { ...built, "bridge/cli-options.ts": 130 };
    expect(staleBundles(ROOT, BRIDGE, files(edited, records))).toEqual([{ name: "bridge", reason: "bridge/cli-options.ts changed" }]);
  });

  it("counts a file saved while the last build ran as changed (the record keeps the build's start)", () => {
    const savedDuring = { ...built, "bridge/main.ts": 101 };
    expect(staleBundles(ROOT, ["bridge"], files(savedDuring, records))).toEqual([{ name: "bridge", reason: "bridge/main.ts changed" }]);
  });

  it("builds a bundle one of whose sources went away", () => {
    const { "bridge/cli-options.ts": _gone, ...rest } = built;
    expect(staleBundles(ROOT, ["bridge"], files(rest, records))).toEqual([{ name: "bridge", reason: "bridge/cli-options.ts is gone" }]);
  });

  it("says how many more files changed after the first", () => {
    const edited = { ...built, "bridge/main.ts": 130, "bridge/cli-options.ts": 130 };
    expect(staleBundles(ROOT, ["bridge"], files(edited, records))).toEqual([{ name: "bridge", reason: "bridge/main.ts changed, and 1 more" }]);
  });

  it("builds everything asked for when the lock file or the rollup config changed", () => {
    for (const shared of ["package-lock.json", "rollup.config.mjs", "tsconfig.base.json", "package.json"]) {
      const edited = { ...built, [shared]: 130 };
      expect(staleBundles(ROOT, BRIDGE, files(edited, records))).toEqual(BRIDGE.map((name) => ({ name, reason: `${shared} changed` })));
    }
  });

  it("rebuilds a bundle that copies another's output when that one is rebuilt first", () => {
    const edited = { ...built, "page/app.ts": 130 };
    expect(staleBundles(ROOT, ["page", "plugin-bridge"], files(edited, records))).toEqual([
      { name: "page", reason: "page/app.ts changed" },
      { name: "plugin-bridge", reason: "dist/page/app.js is rebuilt first" },
    ]);
  });
});

describe("what a start says and builds for each program", () => {
  it("needs only the bridge, its key renderer and the page for the bridge and the demo", () => {
    expect(bundlesFor("dist/relay-bridge.js")).toEqual(BRIDGE);
    expect(bundlesFor("./scripts/demo.ts")).toEqual(BRIDGE);
    expect(bundlesFor("scripts\\demo.ts")).toEqual(BRIDGE);
  });

  it("needs every bundle for any other program", () => {
    expect(bundlesFor("scripts/something-else.ts")).toHaveLength(8);
  });

  it("says in one line what it builds and why", () => {
    expect(buildLine([{ name: "bridge", reason: "bridge/main.ts changed" }])).toBe("building the bridge (bridge/main.ts changed)…");
    expect(buildLine(BRIDGE.map((name) => ({ name, reason: "package-lock.json changed" })))).toBe(
      "building the bridge, the bridge's key renderer and the status page (package-lock.json changed)…",
    );
    expect(
      buildLine([
        { name: "page", reason: "page/app.ts changed" },
        { name: "plugin-bridge", reason: "dist/page/app.js is rebuilt first" },
      ]),
    ).toBe("building the status page and the plugin's bridge (page/app.ts changed; dist/page/app.js is rebuilt first)…");
    expect(describeBundles(["bridge", "page"])).toBe("the bridge and the status page");
  });
});
