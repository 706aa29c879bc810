/**
 * @ganflow/backend: choose and initialise the tensor backend, record which one runs, and fill in the training
 * kernels WebAssembly lacks.
 *
 *   const info = await initBackend({ backend: "auto", threads: 2 })  // { name: "wasm", threads: 2, notes: [...] }
 *   describeBackend()                                                // the same record, for run records
 */
export { initBackend } from "./init-backend.ts"
export { describeBackend } from "./describe-backend.ts"
export { backendRecord } from "./backend-record.ts"
export { selectBackend } from "./select-backend.ts"
export { silenceTfjsNotices } from "./silence-tfjs-notices.ts"
export { TensorBackend, startedBackend, initBackendEffect, layerTensorBackend, layerCurrentTensorBackend, type BackendRecord, type TensorBackendApi } from "./tensor-backend.ts"
export { BackendOptions, parseBackendOptions, type BackendOptionsInput } from "./backend-options.ts"
export {
  backendNames,
  preferenceOrder,
  type BackendChoice,
  type BackendInfo,
  type BackendName,
} from "./backend-info.ts"
export type { BackendCandidate, CandidateOutcome, CandidateSettings } from "./backend-candidate.ts"
export { defaultCandidates } from "./probes/default-candidates.ts"
export { findGpuAdapter, type AdapterSearch } from "./probes/web-gpu-adapter.ts"
export { findSwiftShaderManifest } from "./probes/vulkan-drivers.ts"
export { wasmTrainingKernels, registerWasmTrainingKernels } from "./wasm/register-training-kernels.ts"
export {
  BackendNotInitialised,
  BackendOptionsInvalid,
  BackendUnavailable,
  KernelInputUnsupported,
  type BackendError,
} from "./backend-errors.ts"
