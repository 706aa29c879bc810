import { fileURLToPath } from "node:url"
import { defineConfig, mergeConfig } from "vitest/config"
import shared from "../../vitest.config.ts"
import { clusterRequired, clusterUnavailable } from "./test/cluster-availability.ts"

/** The test files that run real Slurm jobs on the local cluster. */
const clusterTests = ["test/run-job.test.ts", "test/retries.test.ts", "test/missing-commands.test.ts", "test/slurm-executor.test.ts"]

const missing = clusterUnavailable()
if (missing !== undefined && clusterRequired()) throw new Error(`@ganflow/slurm: the cluster tests are required here (CI or GANFLOW_REQUIRE_SLURM=1) but ${missing}`)
if (missing !== undefined) process.stderr.write(`@ganflow/slurm: skipping the ${clusterTests.length} cluster test files: ${missing} (GANFLOW_REQUIRE_SLURM=1 makes this an error)\n`)

// The cluster tests run real Slurm jobs on the one-node cluster that the global setup starts (and stops, unless a
// developer had it running already). One file at a time: the retry test takes the node down on purpose.
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      ...(missing === undefined ? { globalSetup: [fileURLToPath(new URL("./test/slurm-cluster-setup.ts", import.meta.url))] } : { exclude: [...clusterTests, "**/node_modules/**"] }),
      fileParallelism: false,
      testTimeout: 90_000,
    },
  }),
)
