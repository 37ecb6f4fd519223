// The layer rule of eslint.config.mjs, run by ESLint itself on files that would sit in the tree: a
// wrong import fails `npm test` (its lint step), a right one passes.
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { refusal } from "../../../scripts/lint/layers.mjs";

const eslint = new ESLint({ cwd: process.cwd() });

/** The layer rule's messages for `code` placed at `file` (repository-relative). */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? []).filter((message) => message.ruleId === "relay/layers").map((message) => message.message);
}

describe("the layer rule, through ESLint with the repository's config", () => {
  it("refuses a Companion module file that reaches into the bridge", async () => {
    const errors = await layerErrors("companion/wrong.ts", 'import { Engine } from "../bridge/relay/engine.js";\nexport const x = Engine;\n');
    expect(errors).toEqual([expect.stringContaining("the Companion module (companion/) may import only companion/, contract/, client/, presentation/")]);
  });

  it("refuses the ingest importing the relay, the secrets importing ffmpeg, and anything outside test/ importing test/", async () => {
    expect(await layerErrors("bridge/ingest/wrong.ts", 'import "../relay/engine.js";\n')).toEqual([expect.stringContaining("never imports bridge/relay/")]);
    expect(await layerErrors("bridge/secrets/wrong.ts", 'import "../ffmpeg/relay-args.js";\n')).toEqual([expect.stringContaining("never imports bridge/ffmpeg/")]);
    expect(await layerErrors("rig/wrong.ts", 'import "../test/unit/process/fake-spawn.js";\n')).toEqual([expect.stringContaining("never imports test/")]);
  });

  it("refuses Node's modules in the contract and the page", async () => {
    expect(await layerErrors("contract/wrong.ts", 'import { readFile } from "node:fs";\nexport const r = readFile;\n')).toEqual([expect.stringContaining('"node:fs" cannot be imported here')]);
    expect(await layerErrors("page/wrong.ts", 'import "node:path";\n')).toHaveLength(1);
  });

  it("lets the plugin use the launch place and the shared layers, and the bridge use the contract", async () => {
    expect(await layerErrors("src/right.ts", 'import "../bridge/launch/paths.js";\nimport "../contract/api.js";\nimport "../client/status-stream.js";\n')).toEqual([]);
    expect(await layerErrors("bridge/relay/right.ts", 'import "../../contract/api.js";\nimport "../ingest/source-facts.js";\n')).toEqual([]);
  });
});

describe("refusal", () => {
  it("says which folders a layer may import, or which one it never imports", () => {
    expect(refusal({ name: "the page", files: ["page/"], only: ["page/", "contract/"] }, "bridge/http/app")).toBe("the page may import only page/, contract/");
    expect(refusal({ name: "the ingest", files: ["bridge/ingest/"], never: ["bridge/relay/"] }, "bridge/relay/engine.js")).toBe("the ingest never imports bridge/relay/");
    expect(refusal({ name: "the ingest", files: ["bridge/ingest/"], never: ["bridge/relay/"] }, "bridge/relayish/x.js")).toBeNull();
  });
});
