/**
 * Jobs' current states: from squeue while the controller holds them, from sacct once they have been purged.
 * One squeue call answers for any number of jobs, so a driver watching many jobs asks once per poll.
 */
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

/**
 * The statuses of `jobIds` in `|`-separated output whose fields are id, state, exit, time limit (sacct lists job
 * steps too, as `123.batch`: they are not asked for, so not read).
 */
const statusesIn = (stdout: string, jobIds: ReadonlyArray<string>, source: JobStatus["source"]) => {
  const wanted = new Set(jobIds)
  const readExit = source === "squeue" ? fromWaitStatus : fromExitPair
  const statuses = new Map<string, JobStatus>()
  for (const line of stdout.split("\n")) {
    const [jobId = "", state = "", exit = "", timeLimit = ""] = line.trim().split("|")
    if (wanted.has(jobId)) statuses.set(jobId, { jobId, state: baseState(state), ...readExit(exit), timeLimit, source })
  }
  return statuses
}

/**
 * The jobs squeue knows among `jobIds` (pending, running, or ended within the controller's MinJobAge, default
 * 5 minutes); a purged job is absent from the map.
 */
export const squeueStatuses = (
  jobIds: ReadonlyArray<string>,
): Effect.Effect<ReadonlyMap<string, JobStatus>, SlurmCommandMissing | SlurmCommandFailed, SlurmCli> =>
  Effect.gen(function* () {
    if (jobIds.length === 0) return new Map()
    const cli = yield* SlurmCli
    const args = ["--noheader", "--states=all", `--jobs=${jobIds.join(",")}`, `--Format=${squeueFormat}`]
    const output = yield* cli.run("squeue", args)
    // one purged job asked alone: "slurm_load_jobs error: Invalid job id specified", exit 1
    if (output.exitCode !== 0 && /invalid job id/i.test(output.stderr)) return new Map()
    if (output.exitCode !== 0) {
      return yield* new SlurmCommandFailed({ command: "squeue", args, exitCode: output.exitCode, stderr: output.stderr })
    }
    return statusesIn(output.stdout, jobIds, "squeue")
  })

/**
 * The jobs sacct has records of among `jobIds` (slurmdbd accounting, or the job completion log through
 * `sacct --completion` on clusters without it); a job without a record is absent from the map.
 */
export const sacctStatuses = (
  jobIds: ReadonlyArray<string>,
): Effect.Effect<ReadonlyMap<string, JobStatus>, SlurmCommandMissing | SlurmCommandFailed, SlurmCli> =>
  Effect.gen(function* () {
    if (jobIds.length === 0) return new Map()
    const cli = yield* SlurmCli
    const args = ["--noheader", "--parsable2", "--allocations", `--jobs=${jobIds.join(",")}`, `--format=${sacctFields}`]
    let output = yield* cli.run("sacct", args)
    // a cluster without slurmdbd: the job completion log (JobCompType=jobcomp/filetxt) has the same fields
    if (output.exitCode !== 0 && /accounting storage is disabled/i.test(output.stdout + output.stderr)) {
      output = yield* cli.run("sacct", ["--completion", ...args])
    }
    if (output.exitCode !== 0) {
      return yield* new SlurmCommandFailed({ command: "sacct", args, exitCode: output.exitCode, stderr: output.stderr })
    }
    return statusesIn(output.stdout, jobIds, "sacct")
  })

/**
 * The states of `jobIds` in one squeue call, then one sacct call for the jobs the controller has purged. Fails
 * with JobUnknown naming the first job neither knows. A driver with many jobs in flight polls them all with this.
 */
export const queryJobs = (
  jobIds: ReadonlyArray<string>,
): Effect.Effect<ReadonlyMap<string, JobStatus>, QueryError, SlurmCli> =>
  Effect.gen(function* () {
    const live = yield* squeueStatuses(jobIds)
    const purged = jobIds.filter((jobId) => !live.has(jobId))
    const recorded = yield* sacctStatuses(purged)
    const statuses = new Map([...live, ...recorded])
    const unknown = jobIds.find((jobId) => !statuses.has(jobId))
    if (unknown !== undefined) return yield* new JobUnknown({ jobId: unknown })
    return statuses
  })

/** The state of one job (see queryJobs); fails with JobUnknown when neither squeue nor sacct knows it. */
export const queryJob = (jobId: string): Effect.Effect<JobStatus, QueryError, SlurmCli> =>
  Effect.map(queryJobs([jobId]), (statuses) => statuses.get(jobId)!)
