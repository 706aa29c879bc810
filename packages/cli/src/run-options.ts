/**
 * The run options a command line gives every run it starts (`run`, each variant of a `sweep`): profile, `--jobs`,
 * `--gpus`, `--only`, the store, and the stages' services with the backend started lazily.
 */
import { isGpuBackend, type RunOptions } from "@ganflow/core"
import type { Arguments } from "./arguments.ts"
import { stageServicesLayer } from "./stage-services-layer.ts"
import type { LazyTensorBackend } from "./tensor-backend-layer.ts"

/** The options of `args` for runs in workspace `root` whose stages use `backend`. */
export const commandRunOptions = (root: string, args: Arguments, backend: LazyTensorBackend): RunOptions => ({
  root,
  profile: args.profile,
  jobs: args.jobs,
  ...(args.gpus === undefined ? {} : { gpus: args.gpus }),
  // with --backend auto, whether GPU stages must take turns is known once the backend starts (asked lazily:
  // a run whose GPU stages are all cached never starts it)
  gpuBackendActive: () =>
    backend
      .start()
      .then((r) => "name" in r && isGpuBackend(r.name))
      .catch(() => false),
  services: stageServicesLayer(backend),
  only: args.only,
  storeDir: args.store,
})
