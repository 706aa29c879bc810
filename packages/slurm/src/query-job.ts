/** A job's current state: from squeue while the controller holds it, from sacct once it has been purged. */
import { Effect } from "effect"
import { JobUnknown, SlurmCommandFailed, type QueryError, type SlurmCommandMissing } from "./errors.ts"
import { baseState, type JobStatus } from "./job-state.ts"
import { SlurmCli } from "./slurm-cli.ts"

const squeueFormat = "JobID:|,State:|,exit_code:|,TimeLimit:"
const sacctFields = "JobID,State,ExitCode,Timelimit"

/** squeue's exit_code is a wait status: the exit code in bits 8-15, the signal in bits 0-6. */
const fromWaitStatus = (printed: string) => {
  const status = Number.parseInt(printed, 10)
  return Number.isFinite(status) ? { exitCode: (status >> 8) & 0xff, signal: status & 0x7f } : { exitCode: 0, signal: 0 }
}

/** sacct's ExitCode is `code:signal`. */
const fromExitPair = (printed: string) => {
  const [code = "0", signal = "0"] = printed.split(":")
  return { exitCode: Number.parseInt(code, 10) || 0, signal: Number.parseInt(signal, 10) || 0 }
}

/** The row of `jobId` in `|`-separated output (sacct lists job steps too, as `123.batch`). */
const rowOf = (stdout: string, jobId: string) =>
  stdout
    .split("\n")
    .map((line) => line.trim().split("|"))
    .find((fields) => fields[0] === jobId)

/** The job as squeue sees it (pending, running, or ended within the controller's MinJobAge); undefined once purged. */
export const squeueStatus = (
  jobId: string,
): Effect.Effect<JobStatus | undefined, SlurmCommandMissing | SlurmCommandFailed, SlurmCli> =>
  Effect.gen(function* () {
    const cli = yield* SlurmCli
    const args = ["--noheader", "--states=all", `--jobs=${jobId}`, `--Format=${squeueFormat}`]
    const output = yield* cli.run("squeue", args)
    // a job purged from the controller: "slurm_load_jobs error: Invalid job id specified", exit 1
    if (output.exitCode !== 0 && /invalid job id/i.test(output.stderr)) return undefined
    if (output.exitCode !== 0) {
      return yield* new SlurmCommandFailed({ command: "squeue", args, exitCode: output.exitCode, stderr: output.stderr })
    }
    const row = rowOf(output.stdout, jobId)
    if (row === undefined) return undefined
    const [, state = "", exit = "", timeLimit = ""] = row
    const status: JobStatus = { jobId, state: baseState(state), ...fromWaitStatus(exit), timeLimit, source: "squeue" }
    return status
  })

/**
 * The job as sacct records it (slurmdbd accounting, or the job completion log through `sacct --completion` on
 * clusters without it); fails with JobUnknown when it has no record.
 */
export const sacctStatus = (jobId: string): Effect.Effect<JobStatus, QueryError, SlurmCli> =>
  Effect.gen(function* () {
    const cli = yield* SlurmCli
    const args = ["--noheader", "--parsable2", "--allocations", `--jobs=${jobId}`, `--format=${sacctFields}`]
    let output = yield* cli.run("sacct", args)
    // a cluster without slurmdbd: the job completion log (JobCompType=jobcomp/filetxt) has the same fields
    if (output.exitCode !== 0 && /accounting storage is disabled/i.test(output.stdout + output.stderr)) {
      output = yield* cli.run("sacct", ["--completion", ...args])
    }
    if (output.exitCode !== 0) {
      return yield* new SlurmCommandFailed({ command: "sacct", args, exitCode: output.exitCode, stderr: output.stderr })
    }
    const row = rowOf(output.stdout, jobId)
    if (row === undefined) return yield* new JobUnknown({ jobId })
    const [, state = "", exit = "", timeLimit = ""] = row
    const status: JobStatus = { jobId, state: baseState(state), ...fromExitPair(exit), timeLimit, source: "sacct" }
    return status
  })

/**
 * The state of job `jobId`: squeue first (pending, running and recently ended jobs), then sacct for jobs the
 * controller has purged (with `sacct --completion` on clusters without accounting storage). Fails with
 * JobUnknown when neither knows it.
 */
export const queryJob = (jobId: string): Effect.Effect<JobStatus, QueryError, SlurmCli> =>
  Effect.flatMap(squeueStatus(jobId), (status): Effect.Effect<JobStatus, QueryError, SlurmCli> =>
    status !== undefined ? Effect.succeed(status) : sacctStatus(jobId),
  )
