/** How an ended job turned out: COMPLETED is a success, every other end state its own tagged error. */
import { Effect } from "effect"
import {
  JobCancelled,
  JobFailed,
  JobNodeFailed,
  JobOutOfMemory,
  JobPreempted,
  JobTimedOut,
  type JobEndedBadly,
} from "./errors.ts"
import type { JobStatus } from "./job-state.ts"
import type { SubmittedJob } from "./submit-job.ts"

/** A job that ended COMPLETED (its script exited 0). */
export interface JobCompleted {
  readonly jobId: string
  readonly name: string
  readonly logPath: string
}

/**
 * The outcome of `job`, which ended in `status`; `logTail` goes into every error. A state this client does not
 * know is reported as JobFailed with that state's name in the message (through `exitCode`/`signal`).
 */
export const jobOutcome = (
  job: SubmittedJob,
  status: JobStatus,
  logTail: ReadonlyArray<string>,
): Effect.Effect<JobCompleted, JobEndedBadly> => {
  const end = { jobId: job.jobId, jobName: job.name, logPath: job.logPath, logTail }
  switch (status.state) {
    case "COMPLETED":
      return Effect.succeed({ jobId: job.jobId, name: job.name, logPath: job.logPath })
    case "CANCELLED":
      return Effect.fail(new JobCancelled(end))
    case "TIMEOUT":
      return Effect.fail(new JobTimedOut({ ...end, timeLimit: status.timeLimit }))
    case "OUT_OF_MEMORY":
      return Effect.fail(new JobOutOfMemory(end))
    case "NODE_FAIL":
      return Effect.fail(new JobNodeFailed(end))
    case "PREEMPTED":
      return Effect.fail(new JobPreempted(end))
    case "BOOT_FAIL":
    case "DEADLINE":
      return Effect.fail(new JobFailed({ ...end, state: status.state, exitCode: status.exitCode, signal: status.signal }))
    default:
      return Effect.fail(new JobFailed({ ...end, state: "FAILED", exitCode: status.exitCode, signal: status.signal }))
  }
}
