/** Which failed jobs are worth another try, and how long to wait before it. */
import { Duration, Effect, Schedule } from "effect"
import type { JobNodeFailed, JobPreempted } from "./errors.ts"

/** How often and how patiently to retry. */
export interface RetryPolicy {
  /** Further attempts after the first (0: none). */
  readonly retries: number
  /** The wait before the first retry; each next wait is `factor` times longer (default 2), capped at `maxDelay`. */
  readonly baseDelay: Duration.DurationInput
  readonly factor?: number
  readonly maxDelay?: Duration.DurationInput
}

/** Failures that are not the job's fault: its node failed, or a higher-priority job preempted it. */
export const isTransient = (error: unknown): error is JobNodeFailed | JobPreempted =>
  typeof error === "object" &&
  error !== null &&
  "_tag" in error &&
  (error._tag === "JobNodeFailed" || error._tag === "JobPreempted")

/** The waits of `policy`: exponential from `baseDelay`, at most `retries` of them. */
export const retrySchedule = (policy: RetryPolicy): Schedule.Schedule<unknown> => {
  const exponential = Schedule.exponential(policy.baseDelay, policy.factor ?? 2)
  const capped =
    policy.maxDelay === undefined
      ? exponential
      : Schedule.modifyDelay(exponential, (delay) => Duration.min(delay, Duration.decode(policy.maxDelay!)))
  return Schedule.intersect(capped, Schedule.recurs(Math.max(0, policy.retries)))
}

/**
 * `attempt` again, after the policy's backoff, while it fails with a transient error (NODE_FAIL, PREEMPTED)
 * and retries remain; any other failure (a code error: FAILED, TIMEOUT, OUT_OF_MEMORY, CANCELLED) ends it at
 * once. `onTransientFailure` sees each transient failure as it happens (the last one too, when no retry is left).
 */
export const retryTransient = <A, E, R, R2 = never>(
  attempt: Effect.Effect<A, E, R>,
  policy: RetryPolicy,
  onTransientFailure: (error: JobNodeFailed | JobPreempted) => Effect.Effect<unknown, never, R2> = () => Effect.void,
): Effect.Effect<A, E, R | R2> =>
  Effect.retry(
    Effect.tapError(attempt, (error) => (isTransient(error) ? onTransientFailure(error) : Effect.void)),
    { schedule: retrySchedule(policy), while: isTransient },
  )
