/**
 * Slurm's job states, as squeue and sacct print them, sorted into waiting, running and ended. A state is
 * read from its first word (`CANCELLED by 0` is CANCELLED, `CANCELLED+` too).
 */

/** A job's state at one moment, from squeue or sacct. */
export interface JobStatus {
  readonly jobId: string
  /** The base state: PENDING, RUNNING, COMPLETING, COMPLETED, FAILED, CANCELLED, TIMEOUT, NODE_FAIL, … */
  readonly state: string
  /** The script's exit code (0 while it runs). */
  readonly exitCode: number
  /** The signal that ended it (0: none). */
  readonly signal: number
  /** The job's time limit as Slurm prints it (`1:00`, `UNLIMITED`), when known. */
  readonly timeLimit: string
  /** Where it came from: `squeue` while the controller holds the job, `sacct` after. */
  readonly source: "squeue" | "sacct"
}

/** States after which the job never runs again. */
const endedStates = new Set([
  "COMPLETED",
  "FAILED",
  "CANCELLED",
  "TIMEOUT",
  "NODE_FAIL",
  "OUT_OF_MEMORY",
  "PREEMPTED",
  "BOOT_FAIL",
  "DEADLINE",
])

/** The first word of a state, without sacct's `+` (truncation) mark: `CANCELLED by 0` → `CANCELLED`. */
export const baseState = (printed: string): string => (printed.trim().split(/\s+/)[0] ?? "").replace(/\+$/, "")

/** The job has ended for good (COMPLETING is not ended: its processes are still being killed). */
export const hasEnded = (state: string): boolean => endedStates.has(baseState(state))
