/** Waiting for a submitted job to end. */
import { Duration, Effect } from "effect"
import type { JobEndedBadly, QueryError } from "./errors.ts"
import { jobOutcome, type JobCompleted } from "./job-outcome.ts"
import { hasEnded } from "./job-state.ts"
import { logTail } from "./log-tail.ts"
import { queryJob } from "./query-job.ts"
import type { SlurmCli } from "./slurm-cli.ts"
import type { SubmittedJob } from "./submit-job.ts"

/** How a job is watched. */
export interface AwaitOptions {
  /** Time between two state queries (default 500 ms; a big cluster's controller prefers seconds). */
  readonly pollInterval?: Duration.DurationInput
  /** Lines of the log an error carries (default 20). */
  readonly tailLines?: number
}

/**
 * Polls `job` (squeue, then sacct) until it has ended; succeeds when it COMPLETED, else fails with the error of
 * its end state (JobFailed, JobCancelled, JobTimedOut, JobOutOfMemory, JobNodeFailed, JobPreempted), each
 * naming the job id and carrying the log's last lines.
 */
export const awaitJob = (
  job: SubmittedJob,
  options: AwaitOptions = {},
): Effect.Effect<JobCompleted, JobEndedBadly | QueryError, SlurmCli> =>
  Effect.gen(function* () {
    const pollInterval = Duration.decode(options.pollInterval ?? "500 millis")
    for (;;) {
      const status = yield* queryJob(job.jobId)
      if (hasEnded(status.state)) return yield* jobOutcome(job, status, yield* logTail(job.logPath, options.tailLines))
      yield* Effect.sleep(pollInterval)
    }
  })
