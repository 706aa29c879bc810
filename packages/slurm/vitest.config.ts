import { fileURLToPath } from "node:url"
import { defineConfig, mergeConfig } from "vitest/config"
import shared from "../../vitest.config.ts"

// The cluster tests run real Slurm jobs on the one-node cluster that the global setup starts (and stops, unless a
// developer had it running already). One file at a time: the retry test takes the node down on purpose.
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      globalSetup: [fileURLToPath(new URL("./test/slurm-cluster-setup.ts", import.meta.url))],
      fileParallelism: false,
      testTimeout: 90_000,
    },
  }),
)
