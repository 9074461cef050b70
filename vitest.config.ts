import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "engine/**/*.test.ts",
      "host/**/*.test.ts",
      "bench/**/*.test.ts",
      "examples/**/*.test.ts",
      "renderer/**/*.test.ts",
      "electron/**/*.test.ts",
    ],
    setupFiles: ["host/testing/isolatedHome.ts"],
    testTimeout: 20_000,
    // Timing-sensitive semantics (concurrency counts, a 10 Hz timer) need the CPU to themselves.
    fileParallelism: false,
  },
});
