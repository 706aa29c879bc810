/**
 * @ganflow/backend: choose and initialise the tensor backend, record which one runs, and fill in the training
 * kernels WebAssembly lacks.
 *
 *   const info = await initBackend({ backend: "auto", threads: 2 })  // { name: "wasm", threads: 2, notes: [...] }
 *   describeBackend()                                                // the same record, for run records
 */
export { initBackend } from "./InitBackend.ts"
export { stageBackend } from "./StageBackend.ts"
export { describeBackend } from "./DescribeBackend.ts"
export { backendRecord } from "./BackendRecord.ts"
export { selectBackend } from "./SelectBackend.ts"
export { silenceTfjsNotices } from "./SilenceTfjsNotices.ts"
export { TensorBackend, initBackendEffect, layerTensorBackend } from "./TensorBackend.ts"
export { BackendOptions, parseBackendOptions, type BackendOptionsInput } from "./BackendOptions.ts"
export {
  backendNames,
  preferenceOrder,
  type BackendChoice,
  type BackendInfo,
  type BackendName,
} from "./BackendInfo.ts"
export type { BackendCandidate, CandidateOutcome, CandidateSettings } from "./BackendCandidate.ts"
export { defaultCandidates } from "./probes/DefaultCandidates.ts"
export { findGpuAdapter, type AdapterSearch } from "./probes/WebGpuAdapter.ts"
export { wasmTrainingKernels, registerWasmTrainingKernels } from "./wasm/RegisterTrainingKernels.ts"
export {
  BackendNotInitialised,
  BackendOptionsInvalid,
  BackendUnavailable,
  KernelInputUnsupported,
  type BackendError,
} from "./BackendErrors.ts"
