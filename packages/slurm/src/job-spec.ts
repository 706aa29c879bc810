/**
 * What a job asks of Slurm: where it runs (partition, account, QoS) and what it needs (CPUs, memory, GPUs,
 * time). Both are arktype schemas, so the same shapes validate `ganflow.json` and CLI options.
 */
import { type } from "arktype"

/** Where jobs go; each field is passed to sbatch as written (`--partition`, `--account`, `--qos`). */
export const SlurmPlacement = type({
  /** `--partition`: the queue, e.g. `gpu` */
  "partition?": "string > 0",
  /** `--account`: the account the time is charged to */
  "account?": "string > 0",
  /** `--qos`: the quality of service */
  "qos?": "string > 0",
})
export type SlurmPlacement = typeof SlurmPlacement.infer

/** What one job needs. */
export const JobResources = type({
  /** `--cpus-per-task`: CPU cores */
  "cpus?": "number.integer >= 1",
  /** `--mem`: memory per node in Slurm's notation, megabytes by default: `4096`, `500M`, `16G` */
  "memory?": /^\d+[KMGT]?$/,
  /** `--gres=gpu:N`: GPUs (0 or absent: none asked) */
  "gpus?": "number.integer >= 0",
  /** `--time`: the time limit in Slurm's notation: `30` (minutes), `1:30:00`, `2-00:00:00` */
  "time?": /^(\d+-)?\d+(:\d{1,2}){0,2}$/,
})
export type JobResources = typeof JobResources.infer

/** One batch job. */
export interface JobSpec {
  /** `--job-name`: shows in squeue; ganflow uses `ganflow:<pipeline>:<stage>` */
  readonly name: string
  /** The batch script, starting with its `#!` line; it is sent on sbatch's standard input. */
  readonly script: string
  /** `--output`: the file the script's stdout and stderr go to (overwritten), on a filesystem this machine sees too. */
  readonly logPath: string
  /** `--chdir`: the folder the script starts in (default: this process's working folder). */
  readonly workDir?: string
  readonly resources?: JobResources
  readonly placement?: SlurmPlacement
}
