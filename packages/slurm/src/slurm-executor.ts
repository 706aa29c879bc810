/**
 * The Slurm stage executor: each stage the runner hands over becomes one batch job whose script runs the stage
 * on a node (`ganflow exec-stage`, which recomputes the key, refuses a different one, runs the stage and commits
 * it with the store's protocol into the shared store). The driver records the job ids in the run record, shows
 * the job's log lines as the stage's log, maps how a job ended to a stage failure naming the job with its log
 * tail, submits again after NODE_FAIL/PREEMPTED while the stage's `retries` allow, and `scancel`s on interruption.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Duration, Effect, Layer } from "effect"
import { StageExecutor, StageFailed, canonicalJson, type StageTask } from "@ganflow/core"
import { driverJobs } from "./driver-jobs.ts"
import type { JobResources, JobSpec, SlurmPlacement } from "./job-spec.ts"
import { runJobWithRetries } from "./run-job.ts"
import { SlurmCli } from "./slurm-cli.ts"

/** How stages become jobs. */
export interface SlurmExecutorOptions {
  /** Partition, account, QoS of every job. */
  readonly placement: SlurmPlacement
  /** CPUs, memory and time of every job; `--gres=gpu:N` comes from each stage's declared GPUs. */
  readonly resources: Omit<JobResources, "gpus">
  /**
   * The command that runs `task`'s stage on a node, given the file holding the driver's key record
   * (`[node, ganflow, "exec-stage", …]`); it must see the same workspace and store.
   */
  readonly command: (task: StageTask<unknown>, recordPath: string) => ReadonlyArray<string>
  /** The folder jobs start in (the workspace root). */
  readonly workDir: string
  /** A folder on the shared filesystem for job logs, key records and the driver's job registry (`<store>/slurm`). */
  readonly folder: string
  /** Time between two state queries of a job (default 500 ms). */
  readonly pollInterval?: Duration.DurationInput
  /** The wait before the first retry of a stage whose node failed; doubled each time (default 2 s). */
  readonly retryDelay?: Duration.DurationInput
}

/** A word quoted for bash. */
const quoted = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`)

/** A job name without characters squeue would show oddly. */
const jobNameOf = (pipeline: string, stage: string) => `ganflow:${pipeline}:${stage}`.replace(/[^\w:.-]/g, "_")

/** The batch job that runs `task` (without submitting it); writes the driver's key record next to the logs. */
export const stageJobSpec = (options: SlurmExecutorOptions, task: StageTask<unknown>): JobSpec => {
  const records = join(options.folder, "records")
  mkdirSync(records, { recursive: true })
  mkdirSync(join(options.folder, "logs"), { recursive: true })
  const recordPath = join(records, `${task.key}.json`)
  writeFileSync(recordPath, canonicalJson(task.record as never))
  const gpus = task.stage.gpu
  return {
    name: jobNameOf(task.plan.pipeline, task.stage.name),
    script: `#!/bin/bash\nexec ${options.command(task, recordPath).map(quoted).join(" ")}\n`,
    logPath: join(options.folder, "logs", `${task.plan.pipeline}.${task.stage.name}.%j.log`),
    workDir: options.workDir,
    resources: { ...options.resources, ...(gpus > 0 ? { gpus } : {}) },
    placement: options.placement,
  }
}

/** The Slurm executor as a layer; it needs the Slurm commands (`layerSlurmCli`). */
export const layerSlurmExecutor = (options: SlurmExecutorOptions): Layer.Layer<StageExecutor, never, SlurmCli> =>
  Layer.effect(
    StageExecutor,
    Effect.gen(function* () {
      const cli = yield* SlurmCli
      const registry = driverJobs(join(options.folder, "jobs"))
      return StageExecutor.of({
        name: "slurm",
        execute: (task) =>
          Effect.gen(function* () {
            const spec = stageJobSpec(options, task)
            const jobIds: Array<string> = []
            yield* runJobWithRetries(
              spec,
              { retries: task.stage.retries, baseDelay: options.retryDelay ?? "2 seconds", maxDelay: "5 minutes" },
              {
                pollInterval: options.pollInterval ?? "500 millis",
                onSubmitted: (job) =>
                  Effect.gen(function* () {
                    jobIds.push(job.jobId)
                    yield* registry.record(job.jobId, task.stage.name)
                    if (jobIds.length === 1) yield* task.started({ name: "slurm", jobIds: [...jobIds], log: job.logPath })
                    else yield* task.note({ jobIds: [...jobIds], log: job.logPath })
                  }),
                onLogLine: (line) => task.log(line),
                // the headline (the log tail follows in the stage's log already)
                onTransientFailure: (error) =>
                  task.log(`${error.message.split(/; last lines of | \(log /)[0]}${jobIds.length <= task.stage.retries ? "; submitting it again" : ""}`),
              },
            ).pipe(
              Effect.provideService(SlurmCli, cli),
              Effect.ensuring(Effect.forEach(jobIds, registry.forget, { discard: true })),
              Effect.mapError((error) => new StageFailed({ stage: task.stage.name, cause: error.message })),
            )
            const entry = yield* task.committed
            return { ...entry, ranElsewhere: true }
          }),
      })
    }),
  )
