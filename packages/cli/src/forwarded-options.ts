/**
 * The options a `ganflow` process passes on to the `ganflow` processes it starts (a watch's runs, a Slurm job's
 * `exec-stage`), so they plan the same pipeline with the same params and backend.
 */
import { describeOverride } from "@ganflow/core"
import type { Arguments } from "./arguments.ts"
import { paramsFilePath } from "./params-file.ts"

/** What decides the params and the tensor backend: `--params` (absolute), `--set`, `--profile`, `--backend`, `--threads`. */
export const paramsAndBackendOptions = (args: Arguments): Array<string> => [
  ...(args.paramsFile !== undefined ? ["--params", paramsFilePath(args.paramsFile)] : []),
  ...args.set.flatMap(describeOverride).flatMap((s) => ["--set", s]),
  ...(args.profile !== undefined ? ["--profile", args.profile] : []),
  ...(args.backend !== undefined ? ["--backend", args.backend] : []),
  ...(args.threads !== undefined ? ["--threads", String(args.threads)] : []),
]

/** `--executor slurm` and its placement and resources, when given. */
export const executorOptions = (args: Arguments): Array<string> => {
  if (args.executor !== "slurm") return []
  const { partition, account, qos, time, memory, cpus } = args.slurm
  return [
    "--executor",
    "slurm",
    ...(partition !== undefined ? ["--partition", partition] : []),
    ...(account !== undefined ? ["--account", account] : []),
    ...(qos !== undefined ? ["--qos", qos] : []),
    ...(time !== undefined ? ["--time", time] : []),
    ...(memory !== undefined ? ["--mem", memory] : []),
    ...(cpus !== undefined ? ["--cpus", String(cpus)] : []),
  ]
}
