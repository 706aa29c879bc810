/**
 * Chooses, initialises and records the tensor backend: `auto` walks tfjs-node-gpu, tfjs-node, webgpu, native,
 * wasm, cpu and takes the first that runs; an explicit name runs that one or fails saying why.
 */
import "@tensorflow/tfjs-backend-cpu"
import type { BackendCandidate } from "./backend-candidate.ts"
import type { BackendInfo } from "./backend-info.ts"
import { parseBackendOptions, type BackendOptionsInput } from "./backend-options.ts"
import { rememberBackend } from "./internal/current-backend.ts"
import { defaultCandidates } from "./probes/default-candidates.ts"
import { registerGanflowGradients } from "./register-gradients.ts"
import { selectBackend } from "./select-backend.ts"
import { silenceTfjsNotices } from "./silence-tfjs-notices.ts"

/**
 * Makes tfjs compute on the chosen backend and returns its record (also kept for {@link describeBackend}).
 * `threads` applies to wasm and native. Rejects with `BackendOptionsInvalid` (bad options) or
 * `BackendUnavailable` (an explicit backend that cannot run here, with the reason).
 * `candidates` is for tests; it defaults to the real ones.
 */
export const initBackend = async (
  options: BackendOptionsInput = {},
  candidates: ReadonlyArray<BackendCandidate> = defaultCandidates,
): Promise<BackendInfo> => {
  const parsed = parseBackendOptions(options)
  silenceTfjsNotices()
  const info = await selectBackend(candidates, parsed.backend, { threads: parsed.threads })
  registerGanflowGradients() // a probe may have loaded @tensorflow/tfjs, whose gradients replace ours on import
  rememberBackend(info)
  return info
}
