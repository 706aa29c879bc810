/** Checking, before a run writes anything, that this machine can submit jobs where the user asked. */
import { Effect } from "effect"
import type { SubmitError } from "./errors.ts"
import type { JobSpec } from "./job-spec.ts"
import { sbatchArguments } from "./sbatch-arguments.ts"
import { SlurmCli } from "./slurm-cli.ts"
import { submissionRefused } from "./submit-job.ts"

/**
 * Asks sbatch to validate `spec` without submitting it (`sbatch --test-only`): fails with SlurmCommandMissing
 * when sbatch is not on PATH, PartitionNotFound naming an unknown partition, SubmissionRejected for any other
 * refusal (account, QoS, resources the cluster cannot give). Nothing is queued.
 */
export const checkSubmission = (spec: JobSpec): Effect.Effect<void, SubmitError, SlurmCli> =>
  Effect.gen(function* () {
    const cli = yield* SlurmCli
    const args = [...sbatchArguments(spec).filter((arg) => arg !== "--parsable"), "--test-only"]
    const output = yield* cli.run("sbatch", args, spec.script)
    if (output.exitCode === 0) return
    return yield* Effect.fail(submissionRefused(spec, args, output))
  })
