/**
 * Every failure the Slurm client can report, as tagged errors. Setup errors name the command or the
 * partition; job errors name the job id and carry the tail of the job's log, so a user sees why without
 * opening files on the cluster.
 */
import { Data } from "effect"

/** A Slurm command (`sbatch`, `squeue`, `sacct`, `scancel`) is not on PATH: this machine is not a Slurm client. */
export class SlurmCommandMissing extends Data.TaggedError("SlurmCommandMissing")<{
  readonly command: string
}> {
  override get message() {
    return `${this.command} is not on PATH: --executor slurm needs the Slurm client commands (sbatch, squeue, sacct, scancel) on the machine that runs ganflow`
  }
}

/** A Slurm command ran and failed for a reason this client has no better name for. */
export class SlurmCommandFailed extends Data.TaggedError("SlurmCommandFailed")<{
  readonly command: string
  readonly args: ReadonlyArray<string>
  readonly exitCode: number | null
  readonly stderr: string
}> {
  override get message() {
    return `${[this.command, ...this.args].join(" ")} failed (exit ${this.exitCode ?? "by signal"}): ${this.stderr.trim() || "no message"}`
  }
}

/** `sbatch` refused the job because the partition does not exist; `reason` is sbatch's own words. */
export class PartitionNotFound extends Data.TaggedError("PartitionNotFound")<{
  readonly partition: string
  readonly reason: string
}> {
  override get message() {
    return `Slurm partition ${this.partition} does not exist (sbatch: ${this.reason}); \`sinfo -s\` lists the partitions`
  }
}

/** `sbatch` refused the job for another reason (account, QoS, resources the cluster cannot give); `reason` is sbatch's words. */
export class SubmissionRejected extends Data.TaggedError("SubmissionRejected")<{
  readonly jobName: string
  readonly reason: string
}> {
  override get message() {
    return `Slurm refused job ${this.jobName}: ${this.reason}`
  }
}

/** What every job error carries: the job, where its log is, and the log's last lines. */
interface JobEnd {
  readonly jobId: string
  readonly jobName: string
  readonly logPath: string
  readonly logTail: ReadonlyArray<string>
}

const withTail = (headline: string, end: JobEnd) =>
  end.logTail.length === 0
    ? `${headline} (log ${end.logPath} is empty)`
    : `${headline}; last lines of ${end.logPath}:\n  ${end.logTail.join("\n  ")}`

/** The job's script exited non-zero (a code error: not retried). `exitCode` is the script's, `signal` when killed by one. */
export class JobFailed extends Data.TaggedError("JobFailed")<JobEnd & {
  readonly state: "FAILED" | "BOOT_FAIL" | "DEADLINE"
  readonly exitCode: number
  readonly signal: number
}> {
  override get message() {
    const how = this.signal !== 0 ? `signal ${this.signal}` : `exit code ${this.exitCode}`
    return withTail(`Slurm job ${this.jobId} (${this.jobName}) ${this.state}: ${how}`, this)
  }
}

/** The job was cancelled (`scancel`, an administrator, or a dependency that can never be met). */
export class JobCancelled extends Data.TaggedError("JobCancelled")<JobEnd> {
  override get message() {
    return withTail(`Slurm job ${this.jobId} (${this.jobName}) was CANCELLED`, this)
  }
}

/** The job ran past its time limit (`--time`) and Slurm ended it. */
export class JobTimedOut extends Data.TaggedError("JobTimedOut")<JobEnd & { readonly timeLimit: string }> {
  override get message() {
    return withTail(`Slurm job ${this.jobId} (${this.jobName}) hit its time limit ${this.timeLimit} (TIMEOUT)`, this)
  }
}

/** The job used more memory than `--mem` allowed and Slurm killed it. */
export class JobOutOfMemory extends Data.TaggedError("JobOutOfMemory")<JobEnd> {
  override get message() {
    return withTail(`Slurm job ${this.jobId} (${this.jobName}) ran OUT_OF_MEMORY: raise its memory request`, this)
  }
}

/** A node the job ran on failed (NODE_FAIL): not the job's fault, retried. */
export class JobNodeFailed extends Data.TaggedError("JobNodeFailed")<JobEnd> {
  override get message() {
    return withTail(`Slurm job ${this.jobId} (${this.jobName}) lost its node (NODE_FAIL)`, this)
  }
}

/** A higher-priority job preempted this one (PREEMPTED): not the job's fault, retried. */
export class JobPreempted extends Data.TaggedError("JobPreempted")<JobEnd> {
  override get message() {
    return withTail(`Slurm job ${this.jobId} (${this.jobName}) was PREEMPTED`, this)
  }
}

/** Neither `squeue` nor `sacct` knows the job (purged from the controller and no accounting). */
export class JobUnknown extends Data.TaggedError("JobUnknown")<{ readonly jobId: string }> {
  override get message() {
    return `Slurm job ${this.jobId} is unknown to squeue and sacct (finished long ago on a cluster without accounting?)`
  }
}

/** A job that ended in any state but COMPLETED. */
export type JobEndedBadly = JobFailed | JobCancelled | JobTimedOut | JobOutOfMemory | JobNodeFailed | JobPreempted

/** The machine cannot submit at all, or Slurm refused the submission. */
export type SubmitError = SlurmCommandMissing | SlurmCommandFailed | PartitionNotFound | SubmissionRejected

/** Querying a job's state failed. */
export type QueryError = SlurmCommandMissing | SlurmCommandFailed | JobUnknown

/** Every error of this package. */
export type SlurmError = SubmitError | QueryError | JobEndedBadly
