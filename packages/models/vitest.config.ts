import { defineConfig, mergeConfig } from "vitest/config"
import shared from "../../vitest.config.ts"

// Building the full-size 3D-GAN and DCGAN draws ~20M seeded initial weights: slow on a loaded 2-core machine.
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } }))
