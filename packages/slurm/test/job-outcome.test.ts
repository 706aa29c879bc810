/** Every Slurm end state maps to its outcome; states as squeue and sacct print them. */
import { Cause, Effect, Exit, Option } from "effect"
import { describe, expect, it } from "vitest"
import { baseState, hasEnded, jobOutcome, type JobStatus } from "../src/index.ts"

const job = { jobId: "42", name: "ganflow:dcgan-anime:train", logPath: "/shared/logs/42.log" }
const ended = (state: string, exitCode = 0, signal = 0): JobStatus => ({
  jobId: "42",
  state,
  exitCode,
  signal,
  timeLimit: "4:00:00",
  source: "sacct",
})
const tagOf = (state: string, exitCode = 0, signal = 0) => {
  const exit = Effect.runSyncExit(jobOutcome(job, ended(state, exitCode, signal), ["last line"]))
  if (Exit.isSuccess(exit)) return "completed"
  return Option.getOrThrow(Cause.failureOption(exit.cause))
}

describe("job outcomes", () => {
  it("maps each end state to its tagged error, naming the job and carrying the tail", () => {
    expect(tagOf("COMPLETED")).toBe("completed")
    expect(tagOf("FAILED", 3)).toMatchObject({ _tag: "JobFailed", state: "FAILED", exitCode: 3, jobId: "42" })
    expect(tagOf("CANCELLED")).toMatchObject({ _tag: "JobCancelled", jobId: "42", logTail: ["last line"] })
    expect(tagOf("TIMEOUT")).toMatchObject({ _tag: "JobTimedOut", timeLimit: "4:00:00" })
    expect(tagOf("NODE_FAIL")).toMatchObject({ _tag: "JobNodeFailed", jobId: "42" })
    expect(tagOf("OUT_OF_MEMORY")).toMatchObject({ _tag: "JobOutOfMemory", jobId: "42" })
    expect(tagOf("PREEMPTED")).toMatchObject({ _tag: "JobPreempted", jobId: "42" })
    expect(tagOf("BOOT_FAIL")).toMatchObject({ _tag: "JobFailed", state: "BOOT_FAIL" })
    expect(tagOf("FAILED", 0, 9)).toMatchObject({ _tag: "JobFailed", signal: 9 })
  })

  it("says what happened in the message, with the log's last lines", () => {
    const error = tagOf("OUT_OF_MEMORY")
    expect(typeof error === "object" && error.message).toBe(
      "Slurm job 42 (ganflow:dcgan-anime:train) ran OUT_OF_MEMORY: raise its memory request; last lines of /shared/logs/42.log:\n  last line",
    )
    const killed = tagOf("FAILED", 0, 9)
    expect(typeof killed === "object" && killed.message).toContain("FAILED: signal 9")
  })

  it("reads states as squeue and sacct print them", () => {
    expect(baseState("CANCELLED by 0")).toBe("CANCELLED")
    expect(baseState("CANCELLED+")).toBe("CANCELLED")
    expect(hasEnded("CANCELLED by 1000")).toBe(true)
    expect(hasEnded("OUT_OF_MEMORY")).toBe(true)
    for (const state of ["PENDING", "RUNNING", "COMPLETING", "CONFIGURING", "REQUEUED", "SUSPENDED"]) {
      expect(hasEnded(state)).toBe(false)
    }
  })
})
