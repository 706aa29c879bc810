/** Submitting a batch job with `sbatch`. */
import { Effect } from "effect"
import { PartitionNotFound, SlurmCommandFailed, SubmissionRejected, type SubmitError } from "./errors.ts"
import type { JobSpec } from "./job-spec.ts"
import { sbatchArguments } from "./sbatch-arguments.ts"
import { SlurmCli, type CommandOutput } from "./slurm-cli.ts"

/** A job Slurm accepted. */
export interface SubmittedJob {
  readonly jobId: string
  readonly name: string
  /** The spec's log path with `%j` replaced by the job id, as Slurm does (so attempts can log apart). */
  readonly logPath: string
}

/** sbatch's error lines without their `sbatch: error: ` prefix. */
const sbatchReason = (stderr: string) =>
  stderr
    .split("\n")
    .map((line) => line.replace(/^sbatch: error: /, "").trim())
    .filter((line) => line.length > 0)
    .join("; ")

/**
 * Submits `spec` with `sbatch --parsable` (see `sbatchArguments`); succeeds with the job id once Slurm has
 * queued it. Fails with PartitionNotFound (naming the partition, with sbatch's message), SubmissionRejected for
 * any other refusal, SlurmCommandMissing when sbatch is not on PATH.
 */
export const submitJob = (spec: JobSpec): Effect.Effect<SubmittedJob, SubmitError, SlurmCli> =>
  Effect.gen(function* () {
    const cli = yield* SlurmCli
    const args = sbatchArguments(spec)
    const output = yield* cli.run("sbatch", args, spec.script)
    const jobId = /^(\d+)(;\S+)?\s*$/.exec(output.stdout)?.[1]
    if (output.exitCode === 0 && jobId !== undefined) {
      return { jobId, name: spec.name, logPath: spec.logPath.replaceAll("%j", jobId) }
    }
    return yield* Effect.fail(submissionRefused(spec, args, output))
  })

/**
 * Why sbatch (called with `args`) did not take `spec`: PartitionNotFound naming the partition, with sbatch's
 * message; SubmissionRejected for any other refusal; SlurmCommandFailed when it said nothing useful.
 */
export const submissionRefused = (spec: JobSpec, args: ReadonlyArray<string>, output: CommandOutput): SubmitError => {
  const reason = sbatchReason(output.stderr)
  if (/invalid partition/i.test(output.stderr)) {
    const named = /invalid partition specified: (\S+)/i.exec(output.stderr)?.[1]
    return new PartitionNotFound({ partition: named ?? spec.placement?.partition ?? "(default)", reason })
  }
  if (output.exitCode !== 0 && reason.length > 0) return new SubmissionRejected({ jobName: spec.name, reason })
  return new SlurmCommandFailed({ command: "sbatch", args, exitCode: output.exitCode, stderr: output.stderr })
}
