/**
 * Shared test settings: each package runs `vitest run` in its own folder and vitest finds this file from there
 * upwards. Tests run with tfjs' notices silenced, as `ganflow run` and the benchmarks do.
 */
import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    setupFiles: [fileURLToPath(new URL("./packages/backend/test/silence-tfjs-in-tests.ts", import.meta.url))],
  },
})
