// A copy of this project in a temporary folder, built as the checkout is: the sources, the scripts,
// the build and its records, with their modification times kept (what a start compares), and
// node_modules linked. Tests that edit sources or start scripts do it there, never in the checkout.

import { cp, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../", import.meta.url));

const COPIED = ["bridge", "src", "companion", "page", "contract", "client", "presentation", "scripts", "dist", "package.json", "package-lock.json", "rollup.config.mjs", "tsconfig.json", "tsconfig.base.json", "tsconfig.node.json", "tsconfig.dom.json", "tsconfig.test.json"];

export interface ProjectCopy {
  dir: string;
  remove(): Promise<void>;
}

export async function copyBuiltProject(): Promise<ProjectCopy> {
  const dir = await mkdtemp(join(tmpdir(), "relay-project-"));
  for (const entry of COPIED) await cp(join(ROOT, entry), join(dir, entry), { recursive: true, preserveTimestamps: true });
  await symlink(join(ROOT, "node_modules"), join(dir, "node_modules"), "junction");
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
