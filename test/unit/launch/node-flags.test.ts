// Node's options for the bridge are the same however it is started: npm start (a package.json script,
// which cannot import them) repeats them.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BRIDGE_NODE_FLAGS } from "../../../bridge/launch/node-flags.mjs";

describe("the bridge's Node options", () => {
  it("are given by npm start as by the launchers that import them", () => {
    const start = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts.start!;
    expect(BRIDGE_NODE_FLAGS.length).toBeGreaterThan(0);
    for (const flag of BRIDGE_NODE_FLAGS) expect(start.split(" ")).toContain(flag);
  });
});
