import { defineConfig, mergeConfig } from "vitest/config"
import shared from "../../vitest.config.ts"

// The float64 maths tests take a few CPU seconds each; on a shared 2-core machine that can
// exceed vitest's 5 s default, so allow more (the whole suite stays well under 90 s of CPU).
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 60_000 } }))
