import { defineConfig, mergeConfig } from "vitest/config"
import shared from "../../vitest.config.ts"

// Training tests run real (small) GAN steps; the machine may be shared and loaded.
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } }))
