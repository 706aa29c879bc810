import { defineConfig, mergeConfig } from "vitest/config"
import shared from "../../vitest.config.ts"

// Shared 2-core CI machines are slow and noisy: generous per-test timeouts, files run one at a time
// so the image and voxel tests do not compete for the same two cores.
export default mergeConfig(shared, defineConfig({
  test: { testTimeout: 60_000, hookTimeout: 60_000, fileParallelism: false },
}))
