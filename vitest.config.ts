import { defineConfig } from "vitest/config";

// Two kinds of test, told apart by their folder:
// - unit: test/unit (laid out like the code) and test/bench (the benchmark's judging and parsing):
//   pure logic, or tiny real children of Node's own; no build needed; files run in parallel.
// - everything else drives the built programs or the real nginx/ffmpeg/stunnel, Chromium, OBS and the
//   Stream Deck and Companion stand-ins: one file at a time (they bind ports and spawn processes),
//   after the unit tests.
const UNIT = ["test/unit/**/*.test.ts", "test/bench/**/*.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ["default"],
    projects: [
      { extends: true, test: { name: "unit", include: UNIT, sequence: { groupOrder: 0 } } },
      {
        extends: true,
        test: { name: "integration", include: ["test/**/*.test.ts"], exclude: UNIT, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
