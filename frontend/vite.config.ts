import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// Django serves the built files as static files under /static/app/ and index.html at "/".
export const BASE = "/static/app/";

export default defineConfig(({ mode }) => {
  // In the browser ELK runs in a Web Worker; tests (jsdom has no Worker) keep the bundled ELK.
  const alias: Record<string, string> =
    mode === "test" ? {} : { "elkjs/lib/elk.bundled.js": fileURLToPath(new URL("./src/editor/elkInWorker.ts", import.meta.url)) };
  return {
  base: BASE,
  plugins: [react()],
  resolve: { alias },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The ELK worker script is one 1.6 MB file that cannot be split.
    chunkSizeWarningLimit: 1700,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts", "src/**/*.test.tsx", "test/**/*.test.ts", "test/**/*.test.tsx"],
    setupFiles: ["test/setup.ts"],
    // The machine is shared by several helpers: keep the run bounded.
    pool: "threads",
    maxWorkers: 2,
    // Generous: the shared 2-core machine is often under a load of 5-10.
    testTimeout: 60000,
  },
  };
});
