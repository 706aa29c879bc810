/** One job from submission to its end: what an executor runs per stage. */
import { Deferred, Effect, Exit, Fiber, Stream } from "effect"
import { awaitJob, type AwaitOptions } from "./await-job.ts"
import { cancelJobs } from "./cancel-job.ts"
import type { JobEndedBadly, JobNodeFailed, JobPreempted, QueryError, SubmitError } from "./errors.ts"
import { followLog } from "./follow-log.ts"
import type { JobCompleted } from "./job-outcome.ts"
import type { JobSpec } from "./job-spec.ts"
import { retryTransient, type RetryPolicy } from "./retry-policy.ts"
import type { SlurmCli } from "./slurm-cli.ts"
import { submitJob, type SubmittedJob } from "./submit-job.ts"

/** How a job is run and watched; the hooks may need services `R` (the caller's reporter, run record…). */
export interface RunJobOptions<R = never> extends AwaitOptions {
  /** Called once the job is queued (e.g. to record its id). */
  readonly onSubmitted?: (job: SubmittedJob) => Effect.Effect<unknown, never, R>
  /** Called with each line of the job's log as it is written, in order, the last ones before the job's outcome. */
  readonly onLogLine?: (line: string, job: SubmittedJob) => Effect.Effect<unknown, never, R>
}

/**
 * Submits `spec`, streams its log lines to `onLogLine` while it runs, and waits for its end (see awaitJob).
 * Interrupting it (Ctrl-C in the driver) `scancel`s the job before the interruption completes, so no job is
 * left running for a driver that gave up on it.
 */
export const runJob = <R = never>(
  spec: JobSpec,
  options: RunJobOptions<R> = {},
): Effect.Effect<JobCompleted, SubmitError | JobEndedBadly | QueryError, SlurmCli | R> =>
  Effect.acquireUseRelease(
    submitJob(spec),
    (job) =>
      Effect.gen(function* () {
        if (options.onSubmitted) yield* options.onSubmitted(job)
        const ended = yield* Deferred.make<void>()
        const outcome = yield* Effect.fork(Effect.ensuring(awaitJob(job, options), Deferred.succeed(ended, undefined)))
        if (options.onLogLine) {
          const onLogLine = options.onLogLine
          yield* Stream.runForEach(followLog(job.logPath, Deferred.isDone(ended)), (line) => onLogLine(line, job))
        }
        return yield* Fiber.join(outcome)
      }),
    (job, exit) => (Exit.isInterrupted(exit) ? Effect.ignore(cancelJobs([job.jobId])) : Effect.void),
  )

/** Options of runJobWithRetries. */
export interface RetryingRunOptions<R = never> extends RunJobOptions<R> {
  /** Called with each attempt's NODE_FAIL/PREEMPTED failure (it names the job id) before the policy decides. */
  readonly onTransientFailure?: (error: JobNodeFailed | JobPreempted) => Effect.Effect<unknown, never, R>
}

/**
 * runJob, submitted again (a new job) after the policy's backoff when an attempt ends NODE_FAIL or PREEMPTED;
 * a code error (FAILED, TIMEOUT, OUT_OF_MEMORY, CANCELLED) fails at once. Put `%j` in `spec.logPath` to keep
 * each attempt's log.
 */
export const runJobWithRetries = <R = never>(
  spec: JobSpec,
  policy: RetryPolicy,
  options: RetryingRunOptions<R> = {},
): Effect.Effect<JobCompleted, SubmitError | JobEndedBadly | QueryError, SlurmCli | R> =>
  retryTransient(runJob(spec, options), policy, options.onTransientFailure)
