/**
 * The candidates `initBackend` walks, in preference order: GPU first, then native CPU code, then WebAssembly,
 * then plain JavaScript.
 */
import type { BackendCandidate } from "../backend-candidate.ts"
import { cpuCandidate } from "./cpu-candidate.ts"
import { nativeCandidate } from "./native-candidate.ts"
import { tfjsNodeCpuCandidate, tfjsNodeGpuCandidate } from "./tfjs-node-candidates.ts"
import { wasmCandidate } from "./wasm-candidate.ts"
import { webGpuCandidate } from "./web-gpu-candidate.ts"

/** tfjs-node-gpu, tfjs-node, webgpu, native, wasm, cpu. */
export const defaultCandidates: ReadonlyArray<BackendCandidate> = [
  tfjsNodeGpuCandidate,
  tfjsNodeCpuCandidate,
  webGpuCandidate,
  nativeCandidate,
  wasmCandidate,
  cpuCandidate,
]
