import { defineConfig, mergeConfig } from "vitest/config"
import shared from "../../vitest.config.ts"

// wasm start-up (threads, 8 pthread workers) takes seconds on a busy 2-core machine.
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } }))
