import { defineConfig } from "vitest/config";

// Unit tests sit beside nothing but their subject; integration tests drive real nginx/ffmpeg/stunnel,
// so they run one file at a time (they bind ports and spawn processes).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    reporters: ["default"],
  },
});
