// Finds a program: the path set in the config, else the first of its names on PATH (with the
// Windows extensions), else its well-known install places. Names and places come from the program
// table (programs.mjs), which the set-up script reads too.

import { access, constants } from "node:fs/promises";
import which from "which";
import { ServiceUnavailableError } from "../process/service-supervisor.js";
import { configuredProgramProblem } from "./program-check.js";
import { binaryNames, installHint, wellKnownPaths, type ProgramName, type SearchPlace } from "./programs.mjs";

export type { SearchPlace };

/** Absolute path of `program`, or a ServiceUnavailableError saying how to install it. */
export async function findBinary(
  program: ProgramName,
  configured: string,
  where: SearchPlace = { platform: process.platform, env: process.env },
): Promise<string> {
  if (configured !== "") {
    // A path set by hand is run only once it is known to be the program (never a script or a shell).
    const problem = await configuredProgramProblem(program, configured);
    if (problem === null) return configured;
    if (problem === "does not exist") {
      throw new ServiceUnavailableError(
        `${program} not found at binaries.${program} = ${configured}: fix the path or clear it to look on PATH (install: ${installHint(program, where.platform)})`,
      );
    }
    throw new ServiceUnavailableError(`binaries.${program} = ${configured} ${problem}, or clear it to look on PATH`);
  }
  for (const name of binaryNames(program, where.platform)) {
    const found = await which(name, { nothrow: true });
    if (found) return found;
  }
  for (const candidate of wellKnownPaths(program, where)) {
    if (await isExecutable(candidate)) return candidate;
  }
  throw new ServiceUnavailableError(`${program} is not installed or not on PATH: ${installHint(program, where.platform)}`);
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, process.platform === "win32" ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
