/** The retry policy: transient failures are retried with growing waits, code errors at once are not. */
import { Duration, Effect, Exit, Schedule } from "effect"
import { describe, expect, it } from "vitest"
import { JobFailed, JobPreempted, isTransient, retrySchedule, retryTransient } from "../src/index.ts"

const end = { jobName: "ganflow:p:s", logPath: "/l", logTail: [] }

describe("retry policy", () => {
  it("retries PREEMPTED until an attempt succeeds", async () => {
    let attempts = 0
    const attempt = Effect.suspend(() =>
      ++attempts < 3 ? Effect.fail(new JobPreempted({ ...end, jobId: String(attempts) })) : Effect.succeed("done"),
    )
    const seen: Array<string> = []
    const result = await Effect.runPromise(
      retryTransient(attempt, { retries: 5, baseDelay: "1 millis" }, (error) => Effect.sync(() => void seen.push(error.jobId))),
    )
    expect(result).toBe("done")
    expect(seen).toEqual(["1", "2"])
  })

  it("gives up after `retries` further attempts, and never retries a code error", async () => {
    let attempts = 0
    const preempted = Effect.suspend(() => (attempts++, Effect.fail(new JobPreempted({ ...end, jobId: "7" }))))
    expect(Exit.isFailure(await Effect.runPromiseExit(retryTransient(preempted, { retries: 2, baseDelay: "1 millis" })))).toBe(true)
    expect(attempts).toBe(3)
    attempts = 0
    const failed = Effect.suspend(() => (attempts++, Effect.fail(new JobFailed({ ...end, jobId: "8", state: "FAILED", exitCode: 1, signal: 0 }))))
    await Effect.runPromiseExit(retryTransient(failed, { retries: 2, baseDelay: "1 millis" }))
    expect(attempts).toBe(1)
    expect(isTransient(new JobFailed({ ...end, jobId: "8", state: "FAILED", exitCode: 1, signal: 0 }))).toBe(false)
  })

  it("waits exponentially longer between attempts, capped", async () => {
    const schedule = Schedule.delays(retrySchedule({ retries: 5, baseDelay: "1 seconds", factor: 2, maxDelay: "5 seconds" }))
    const delays = await Effect.runPromise(Schedule.run(schedule, 0, [1, 2, 3, 4, 5]))
    expect(Array.from(delays, Duration.toSeconds)).toEqual([1, 2, 4, 5, 5])
  })
})
