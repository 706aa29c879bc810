/**
 * `--executor slurm` for `ganflow run` (options from the command line, else `ganflow.json`'s `slurm` defaults): checks that this machine can submit where the user asked (sbatch on PATH,
 * the partition, account and QoS exist) before anything is written, cancels the jobs of drivers killed on this
 * host, and builds the Slurm executor whose jobs run `ganflow exec-stage` with the same node binary, CLI entry,
 * params and store as this driver.
 */
import { isAbsolute, resolve } from "node:path"
import { Effect, Layer } from "effect"
import { describeOverride, storeDirOf, type RemoteConfigInvalid, type StageExecutor } from "@ganflow/core"
import { overridesOf } from "./params-file.ts"
import { checkSubmission, driverJobs, layerSlurmCli, layerSlurmExecutor, type SlurmExecutorOptions, type SubmitError } from "@ganflow/slurm"
import type { SlurmCommandFailed } from "@ganflow/slurm"
import type { Arguments } from "./arguments.ts"
import { paramsAndBackendOptions } from "./forwarded-options.ts"

/**
 * The Slurm executor for `ganflow run <pipelineFile> --executor slurm` in workspace `root`, after its checks: a
 * machine without sbatch or a partition that does not exist fails here (exit 2), before the store is opened.
 */
export const slurmExecutorFor = (
  root: string,
  pipelineFile: string,
  args: Arguments,
): Effect.Effect<Layer.Layer<StageExecutor>, SubmitError | SlurmCommandFailed | RemoteConfigInvalid> =>
  Effect.gen(function* () {
    const storeDir = resolve(storeDirOf({ root, ...(args.store === undefined ? {} : { storeDir: args.store }) }))
    // ganflow.json's "slurm" defaults, overridden by the command line's options
    const defaults = yield* Effect.flatMap(Effect.promise(() => import("@ganflow/remote")), (remote) => remote.readSlurmDefaults(root))
    const { mem, ...fromConfig } = defaults
    const { partition, account, qos, ...resources } = { ...fromConfig, ...(mem === undefined ? {} : { memory: mem }), ...args.slurm }
    const placement = { ...(partition === undefined ? {} : { partition }), ...(account === undefined ? {} : { account }), ...(qos === undefined ? {} : { qos }) }
    const cli = layerSlurmCli()
    yield* checkSubmission({ name: "ganflow:check", script: "#!/bin/bash\ntrue\n", logPath: "/dev/null", workDir: root, resources, placement }).pipe(Effect.provide(cli))
    const folder = `${storeDir}/slurm`
    const orphans = yield* driverJobs(`${folder}/jobs`).cancelOrphans().pipe(Effect.provide(cli))
    for (const job of orphans) process.stderr.write(`ganflow: cancelled Slurm job ${job.jobId} (stage ${job.stage}) of a driver that is gone (pid ${job.pid})\n`)
    const entry = process.argv[1]!
    // how many of a plan's overrides are the command line's own (a bad --params file fails the run before any job)
    const baseOverrides = () => {
      try {
        return overridesOf(args).flatMap(describeOverride).length
      } catch {
        return 0
      }
    }
    const options: SlurmExecutorOptions = {
      placement,
      resources,
      workDir: root,
      folder,
      command: (task, recordPath) => [
        process.execPath,
        isAbsolute(entry) ? entry : resolve(entry),
        "exec-stage",
        pipelineFile,
        "--stage",
        task.stage.name,
        "--key",
        task.key,
        "--record",
        recordPath,
        "--store",
        storeDir,
        ...paramsAndBackendOptions(args),
        // a sweep variant's own overrides come after the command line's (a plain run has none)
        ...task.plan.overrides.slice(baseOverrides()).flatMap((o) => ["--set", o]),
      ],
    }
    return Layer.provide(layerSlurmExecutor(options), cli)
  })
