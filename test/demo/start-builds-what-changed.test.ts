// A start builds only what changed: with nothing changed it runs the built bridge at once; after a
// bridge source is edited it says so in one line, rebuilds the bridge alone, and runs the new code.
// In a copy of the project (real rollup, real files), never in the checkout.

import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execa } from "execa";
import { copyBuiltProject, type ProjectCopy } from "../../rig/project-copy.js";

const HELP_LINE = "--version       the bridge's version";

describe("npm start's build check", () => {
  let copy: ProjectCopy;
  beforeAll(async () => {
    copy = await copyBuiltProject();
  });
  afterAll(() => copy?.remove());

  const start = (...args: string[]) =>
    execa(process.execPath, [join(copy.dir, "scripts", "run-after-build.mjs"), "dist/relay-bridge.js", ...args], {
      cwd: copy.dir,
      reject: false,
      all: true,
      env: { RELAY_NO_BUILD: "" },
    });
  const builtAt = async (name: string) => JSON.parse(await readFile(join(copy.dir, "dist", ".build", `${name}.json`), "utf8")).builtAt as number;
  const mtime = async (file: string) => (await stat(join(copy.dir, file))).mtimeMs;

  it("runs the built bridge without building when nothing changed", async () => {
    const before = await mtime("dist/relay-bridge.js");
    const result = await start("--help");
    expect(result.exitCode).toBe(0);
    expect(result.all).toContain(HELP_LINE);
    expect(result.all).not.toMatch(/building/i);
    expect(await mtime("dist/relay-bridge.js")).toBe(before);
  });

  it("rebuilds the bridge alone when one of its sources changed, says why, and runs the new code", async () => {
    const source = join(copy.dir, "bridge", "cli-options.ts");
    const text = await readFile(source, "utf8");
    expect(text).toContain(HELP_LINE);
    await writeFile(source, text.replace(HELP_LINE, `${HELP_LINE} (edited since the build)`));
    const page = await builtAt("page");
    const worker = await builtAt("bridge-key-worker");

    const result = await start("--help");
    expect(result.exitCode).toBe(0);
    expect(result.all).toMatch(/^building the bridge \(bridge\/cli-options\.ts changed\)…$/m);
    expect(result.all).toContain(`${HELP_LINE} (edited since the build)`);
    expect(await builtAt("page")).toBe(page);
    expect(await builtAt("bridge-key-worker")).toBe(worker);

    // Built now: the next start builds nothing again.
    const again = await start("--help");
    expect(again.all).not.toMatch(/building/i);
    expect(again.all).toContain("(edited since the build)");
  });
});
