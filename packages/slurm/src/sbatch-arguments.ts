/** The `sbatch` command line for a job spec. */
import type { JobSpec } from "./job-spec.ts"

/**
 * sbatch's arguments for `spec` (the script itself goes on stdin). Always `--parsable` (the job id alone on
 * stdout) and `--no-requeue`: Slurm never reruns a job by itself, the caller's retry policy decides.
 */
export const sbatchArguments = (spec: JobSpec): Array<string> => {
  const { resources = {}, placement = {} } = spec
  const args = ["--parsable", "--no-requeue", `--job-name=${spec.name}`, `--output=${spec.logPath}`]
  if (spec.workDir !== undefined) args.push(`--chdir=${spec.workDir}`)
  if (resources.cpus !== undefined) args.push(`--cpus-per-task=${resources.cpus}`)
  if (resources.memory !== undefined) args.push(`--mem=${resources.memory}`)
  if (resources.gpus !== undefined && resources.gpus > 0) args.push(`--gres=gpu:${resources.gpus}`)
  if (resources.time !== undefined) args.push(`--time=${resources.time}`)
  if (placement.partition !== undefined) args.push(`--partition=${placement.partition}`)
  if (placement.account !== undefined) args.push(`--account=${placement.account}`)
  if (placement.qos !== undefined) args.push(`--qos=${placement.qos}`)
  return args
}
