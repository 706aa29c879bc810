/**
 * How many stages that declare `resources: { gpu }` may run at once: `--gpus N` when given; otherwise 1 when the
 * stages' tensor backend is a GPU backend (`GANFLOW_BACKEND` = webgpu or tfjs-node-gpu), else no limit beyond
 * `--jobs` — on a CPU backend those stages compute on the CPU and may run side by side. With `--backend auto` the
 * runner asks the started backend (`RunOptions.gpuBackendActive`) when the first such stage must run.
 */

/** Tensor backends that compute on a GPU. */
const gpuBackends = new Set(["webgpu", "tfjs-node-gpu"])

/** Whether the backend named in `GANFLOW_BACKEND` runs on a GPU. */
export const gpuBackendRequested = (env: NodeJS.ProcessEnv = process.env): boolean => gpuBackends.has(env["GANFLOW_BACKEND"] ?? "")

/** Permits of the GPU semaphore (see the module doc). */
export const gpuPermits = (asked: number | undefined, jobs: number, env: NodeJS.ProcessEnv = process.env): number =>
  Math.max(1, asked ?? (gpuBackendRequested(env) ? 1 : jobs))
