/**
 * Candidate for `@tensorflow/tfjs-backend-wasm` (XNNPACK, SIMD, threads) with this package's training kernels.
 */
import { availableParallelism } from "node:os"
import * as tf from "@tensorflow/tfjs-core"
import { version_wasm } from "@tensorflow/tfjs-backend-wasm"
import type { BackendCandidate } from "../backend-candidate.ts"
import { activateWasmBackend } from "../wasm/activate-wasm-backend.ts"

/** WebAssembly; `threads` defaults to every logical core (tfjs' own default would be cores / 2). */
export const wasmCandidate: BackendCandidate = {
  name: "wasm",
  activate: async (settings) => {
    const runtime = await activateWasmBackend(settings.threads ?? availableParallelism())
    return {
      available: true,
      info: {
        name: "wasm",
        tfjsBackend: "wasm",
        versions: { "@tensorflow/tfjs-core": tf.version_core, "@tensorflow/tfjs-backend-wasm": version_wasm },
        threads: runtime.threads,
        simd: runtime.simd,
        isa: runtime.simd ? "wasm-simd128" : "wasm32",
      },
    }
  },
}
