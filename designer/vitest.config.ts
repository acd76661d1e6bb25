import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The machine is shared by several helpers: keep the run bounded.
    pool: "threads",
    maxWorkers: 2,
  },
});
