/**
 * How many stages that declare `resources: { gpu }` may run at once: `--gpus N` when given; otherwise 1 when the
 * stages' tensor backend is a GPU backend (`--backend webgpu` or `tfjs-node-gpu`), else no limit beyond `--jobs` —
 * on a CPU backend those stages compute on the CPU and may run side by side. With `--backend auto` the runner asks
 * the started backend (`RunOptions.gpuBackendActive`) when the first such stage must run.
 */

/** Tensor backends that compute on a GPU. */
const gpuBackends = new Set(["webgpu", "tfjs-node-gpu"])

/** Whether the named backend (as given to `--backend`) runs on a GPU. */
export const isGpuBackend = (backend: string | undefined): boolean => gpuBackends.has(backend ?? "")

/** Permits of the GPU semaphore (see the module doc); `onGpu`: whether the stages' backend computes on a GPU. */
export const gpuPermits = (asked: number | undefined, jobs: number, onGpu: boolean): number => Math.max(1, asked ?? (onGpu ? 1 : jobs))
