/** Cancelling jobs with `scancel`. */
import { Effect } from "effect"
import { SlurmCommandFailed, type SlurmCommandMissing } from "./errors.ts"
import { SlurmCli } from "./slurm-cli.ts"

/**
 * Cancels the jobs `jobIds` (one scancel call). Idempotent: jobs that already ended or that the controller
 * no longer knows are not an error. The jobs then end CANCELLED (awaitJob fails with JobCancelled).
 */
export const cancelJobs = (
  jobIds: ReadonlyArray<string>,
): Effect.Effect<void, SlurmCommandMissing | SlurmCommandFailed, SlurmCli> =>
  Effect.gen(function* () {
    if (jobIds.length === 0) return
    const cli = yield* SlurmCli
    const args = [...jobIds]
    const output = yield* cli.run("scancel", args)
    const harmless = /already completing or completed|invalid job id/i
    const problems = output.stderr.split("\n").filter((line) => line.trim().length > 0 && !harmless.test(line))
    if (output.exitCode !== 0 && problems.length > 0) {
      return yield* new SlurmCommandFailed({ command: "scancel", args, exitCode: output.exitCode, stderr: problems.join("\n") })
    }
  })
