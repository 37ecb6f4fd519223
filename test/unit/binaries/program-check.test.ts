// A program path set by hand is run only once it is known to be that program: a regular executable
// file whose version banner is its own. On real files: the programs installed here, a folder, a shell,
// and a script named like the program.

import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import which from "which";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configuredProgramProblem, programFileProblem } from "../../../bridge/binaries/program-check.js";
import { findBinary } from "../../../bridge/binaries/find-binary.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "relay-programs-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function script(name: string, body: string): Promise<string> {
  const folder = join(dir, `${name}-${Math.random().toString(16).slice(2)}`);
  await mkdir(folder);
  const path = join(folder, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

describe.skipIf(process.platform === "win32")("program paths set by hand", () => {
  it("takes the real programs", async () => {
    for (const [program, name] of [["ffmpeg", "ffmpeg"], ["nginx", "nginx"], ["stunnel", "stunnel4"]] as const) {
      const path = (await which(name, { nothrow: true })) ?? (name === "nginx" ? "/usr/sbin/nginx" : null);
      expect(path, `${name} must be installed for this test`).toBeTruthy();
      expect(await configuredProgramProblem(program, path!), program).toBeNull();
      expect(await findBinary(program, path!)).toBe(path);
    }
  }, 30_000);

  it("refuses a folder, a missing file and a file that cannot run, saying why", async () => {
    expect(await programFileProblem(dir)).toMatch(/is a folder, not a program/);
    expect(await programFileProblem(join(dir, "nothing-here"))).toBe("does not exist");
    const plain = join(dir, "plain");
    await writeFile(plain, "not a program");
    await chmod(plain, 0o644);
    expect(await programFileProblem(plain)).toMatch(/is not executable/);
    await expect(findBinary("stunnel", dir)).rejects.toThrow(/^binaries\.stunnel = .* is a folder, not a program/);
  });

  it("refuses a shell and a script that is not the program, without ever running them with more than the version question", async () => {
    const marker = join(dir, "ran-with");
    const fake = await script("ffmpeg", `echo "$@" >> ${marker}\necho "hello"`);
    expect(await configuredProgramProblem("ffmpeg", fake)).toMatch(/^is not ffmpeg: asked its version, it did not answer "ffmpeg version …"/);
    await expect(findBinary("ffmpeg", fake)).rejects.toThrow(/binaries\.ffmpeg = .*ffmpeg is not ffmpeg/);
    expect(await configuredProgramProblem("ffmpeg", "/bin/sh")).toMatch(/is not ffmpeg/);
    expect(await configuredProgramProblem("nginx", "/bin/sh")).toMatch(/is not nginx/);
    // ffmpeg's banner from stunnel's path: each program is asked for its own.
    const ffmpegPath = (await which("ffmpeg"))!;
    expect(await configuredProgramProblem("stunnel", ffmpegPath)).toMatch(/is not stunnel/);
    const { readFile } = await import("node:fs/promises");
    expect((await readFile(marker, "utf8")).trim().split("\n")).toEqual(["-hide_banner -version"]);
  }, 30_000);

  it("checks a file again once it was replaced", async () => {
    const path = await script("nginx", 'echo "nginx version: nginx/1.22.1" >&2');
    expect(await configuredProgramProblem("nginx", path)).toBeNull();
    await writeFile(path, "#!/bin/sh\necho replaced; echo more\n");
    expect(await configuredProgramProblem("nginx", path)).toMatch(/is not nginx/);
  });
});
