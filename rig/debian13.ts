// The Debian 13 root's programs for the tests that need ffmpeg 7.1 or OBS 30.2 (HEVC, AV1 over Enhanced
// RTMP): `npm run relay -- --test` and `.ci/run` build the root (scripts/setup/debian13-root.mjs); here it
// is only checked. A test that needs it is skipped with a message on a developer's machine without it,
// and fails in CI (CI=true): never skipped silently there.

import { checkDebian13Root, debian13Paths } from "../scripts/setup/debian13-root.mjs";

export interface Debian13Programs {
  ffmpeg: string;
  ffprobe: string;
  obs: string;
}

let checked: { programs: Debian13Programs | null; problem: string | null } | undefined;

/** The root's wrappers, or null with why (printed once). */
export function debian13(): Debian13Programs | null {
  if (!checked) {
    const paths = debian13Paths();
    const problem = checkDebian13Root(paths);
    checked = { programs: problem === null ? { ffmpeg: paths.ffmpeg, ffprobe: paths.ffprobe, obs: paths.obs } : null, problem };
    if (problem !== null) {
      process.stderr.write(`Debian 13 test root: ${problem}; run \`npm run relay -- --test\` as root to build it.\n`);
    }
  }
  return checked.programs;
}

/** True when the tests that need the root are to be skipped (not in CI, where they fail instead). */
export function skipWithoutDebian13(): boolean {
  return debian13() === null && process.env.CI !== "true";
}

/** The root's programs; throws with how to get them (a test in CI without the root fails here). */
export function requireDebian13(): Debian13Programs {
  const programs = debian13();
  if (!programs) throw new Error(`the Debian 13 test root is missing or broken (${checked?.problem}): run \`npm run relay -- --test\` as root to build it`);
  return programs;
}
