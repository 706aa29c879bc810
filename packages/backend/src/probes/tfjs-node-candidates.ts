/**
 * Candidates for `@tensorflow/tfjs-node-gpu` (CUDA) and `@tensorflow/tfjs-node` (libtensorflow on the CPU). Both
 * are optional dependencies: their installers download libtensorflow, which fails offline, and npm then leaves
 * them out. Both register the tfjs backend `tensorflow`.
 */
import { availableParallelism } from "node:os"
import * as tf from "@tensorflow/tfjs-core"
import { reasonFrom, unavailable, type BackendCandidate } from "../backend-candidate.ts"
import { importOptional, missingPackage } from "./module-lookup.ts"

const installHint: Record<"tfjs-node-gpu" | "tfjs-node", string> = {
  "tfjs-node-gpu":
    "optional dependency; `npm install @tensorflow/tfjs-node-gpu@4.22.0` needs internet (it downloads libtensorflow 2.9.1) and an NVIDIA driver with CUDA 11.2 + cuDNN 8.1",
  "tfjs-node": "optional dependency; `npm install @tensorflow/tfjs-node@4.22.0` needs internet (it downloads libtensorflow 2.9.1)",
}

const tfjsNodeCandidate = (name: "tfjs-node-gpu" | "tfjs-node"): BackendCandidate => ({
  name,
  activate: async () => {
    const specifier = `@tensorflow/${name}`
    const missing = missingPackage(specifier)
    if (missing !== undefined) return unavailable(`${missing} (${installHint[name]})`)
    let module: Record<string, unknown>
    try {
      module = await importOptional(specifier)
    } catch (cause) {
      return unavailable(`${specifier} is installed but failed to load: ${reasonFrom(cause)}`)
    }
    if (!(await tf.setBackend("tensorflow"))) return unavailable(`${specifier} loaded but its backend did not start`)
    const versions = (module["version"] ?? {}) as Record<string, string>
    return {
      available: true,
      info: {
        name,
        tfjsBackend: "tensorflow",
        versions: { "@tensorflow/tfjs-core": tf.version_core, [specifier]: versions[name] ?? "unknown" },
        threads: availableParallelism(),
        simd: true,
        ...(name === "tfjs-node-gpu" ? { device: "CUDA" } : {}),
      },
    }
  },
})

/** `@tensorflow/tfjs-node-gpu`: TensorFlow's C library with CUDA. */
export const tfjsNodeGpuCandidate: BackendCandidate = tfjsNodeCandidate("tfjs-node-gpu")

/** `@tensorflow/tfjs-node`: TensorFlow's C library on the CPU. */
export const tfjsNodeCpuCandidate: BackendCandidate = tfjsNodeCandidate("tfjs-node")
