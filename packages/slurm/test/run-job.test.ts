/**
 * The Slurm client against a real one-node cluster (tools/slurm-cluster): jobs complete, fail, are cancelled and
 * time out, and each end is the tagged error naming the job with its log tail. The tests run concurrently: the
 * node has 2 CPUs, and the time-limit test waits on slurmctld's periodic check.
 */
import { join } from "node:path"
import { Cause, Effect, Exit, Fiber, Option } from "effect"
import { describe, expect, it } from "vitest"
import {
  cancelJobs,
  hasEnded,
  queryJob,
  queryJobs,
  runJob,
  sacctStatuses,
  squeueStatuses,
  submitJob,
  type SubmittedJob,
} from "../src/index.ts"
import { bashScript, exitOnCluster, onCluster, scontrol, scratchFolder } from "./local-cluster.ts"

/** The failure an Exit carries (the test fails when it succeeded or died). */
const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error(`expected a failure, got ${JSON.stringify(exit.value)}`)
  const failure = Cause.failureOption(exit.cause)
  if (Option.isNone(failure)) throw new Error(`expected a failure, got ${Cause.pretty(exit.cause)}`)
  return failure.value
}

describe.concurrent("Slurm jobs on the local cluster", () => {
  it("runs a job with its resources and placement, streaming its log lines while it runs", async () => {
    const logPath = join(scratchFolder(), "job-%j.log")
    const lines: Array<{ line: string; state: string }> = []
    const result = await onCluster(
      runJob(
        {
          name: "ganflow-test:complete",
          script: bashScript(
            'echo "partition=$SLURM_JOB_PARTITION cpus=$SLURM_CPUS_PER_TASK gpus=$CUDA_VISIBLE_DEVICES mem=$SLURM_MEM_PER_NODE"\nsleep 1\necho done',
          ),
          logPath,
          resources: { cpus: 1, memory: "100M", gpus: 1, time: "5" },
          placement: { partition: "gpu" },
        },
        {
          pollInterval: "100 millis",
          // the state of the job at the moment each line is seen: the first arrives while it runs
          onLogLine: (line, job) =>
            Effect.orDie(queryJob(job.jobId)).pipe(Effect.map((status) => void lines.push({ line, state: status.state }))),
        },
      ),
    )
    expect(result.jobId).toMatch(/^\d+$/)
    expect(result.logPath).toBe(logPath.replace("%j", result.jobId))
    expect(lines.map((entry) => entry.line)).toEqual(["partition=gpu cpus=1 gpus=0 mem=100", "done"])
    expect(lines[0]!.state).toBe("RUNNING")
    const status = await onCluster(queryJob(result.jobId))
    expect(status).toMatchObject({ jobId: result.jobId, state: "COMPLETED", exitCode: 0, source: "squeue" })
  })

  it("maps a failing job to JobFailed naming the job, with its exit code and log tail", async () => {
    const exit = await exitOnCluster(
      runJob(
        {
          name: "ganflow-test:fail",
          script: bashScript('echo "loading data"\necho "ValueError: bad input in data/faces" >&2\nexit 3'),
          logPath: join(scratchFolder(), "fail.log"),
        },
        { pollInterval: "100 millis" },
      ),
    )
    const error = failureOf(exit)
    expect(error._tag).toBe("JobFailed")
    if (error._tag !== "JobFailed") return
    expect(error).toMatchObject({ state: "FAILED", exitCode: 3, signal: 0, jobName: "ganflow-test:fail" })
    expect(error.logTail).toEqual(["loading data", "ValueError: bad input in data/faces"])
    expect(error.message).toContain(`Slurm job ${error.jobId} (ganflow-test:fail) FAILED: exit code 3`)
    expect(error.message).toContain("ValueError: bad input in data/faces")
    // sacct has the same end (here through the job completion log: the test cluster has no slurmdbd)
    const recorded = await onCluster(sacctStatuses([error.jobId]))
    expect(recorded.get(error.jobId)).toMatchObject({ jobId: error.jobId, state: "FAILED", exitCode: 3, source: "sacct" })
  })

  it("maps a job cancelled with scancel to JobCancelled naming the job", async () => {
    let submitted: SubmittedJob | undefined
    const exit = await exitOnCluster(
      runJob(
        { name: "ganflow-test:cancel", script: bashScript("echo started\nsleep 60"), logPath: join(scratchFolder(), "cancel.log") },
        {
          pollInterval: "100 millis",
          onSubmitted: (job) => Effect.sync(() => void (submitted = job)),
          onLogLine: (line, job) => (line === "started" ? Effect.orDie(cancelJobs([job.jobId])) : Effect.void),
        },
      ),
    )
    const error = failureOf(exit)
    expect(error).toMatchObject({ _tag: "JobCancelled", jobId: submitted?.jobId })
    if (error._tag !== "JobCancelled") return
    // the tail has the job's own line and slurmstepd's notice of the cancel
    expect(error.logTail[0]).toBe("started")
    expect(error.logTail.join("\n")).toContain(`JOB ${submitted?.jobId} ON`)
    expect(error.message).toContain(`Slurm job ${submitted?.jobId} (ganflow-test:cancel) was CANCELLED`)
    // cancelling an ended job again is not an error
    await onCluster(cancelJobs([submitted!.jobId]))
  })

  it("scancels the job when the run is interrupted (the driver's Ctrl-C)", async () => {
    let submitted: SubmittedJob | undefined
    const status = await onCluster(
      Effect.gen(function* () {
        const started = yield* Effect.makeLatch(false)
        const fiber = yield* Effect.fork(
          runJob(
            { name: "ganflow-test:interrupt", script: bashScript("echo started\nsleep 60"), logPath: join(scratchFolder(), "interrupt.log") },
            {
              pollInterval: "100 millis",
              onSubmitted: (job) => Effect.sync(() => void (submitted = job)),
              onLogLine: (line) => (line === "started" ? started.open : Effect.void),
            },
          ),
        )
        yield* started.await
        yield* Fiber.interrupt(fiber)
        return (yield* squeueStatuses([submitted!.jobId])).get(submitted!.jobId)
      }),
    )
    // scancel was sent before the interruption completed: the job is ending or ended, cancelled
    expect(status?.state).toMatch(/^(CANCELLED|COMPLETING)$/)
  })

  it("maps a job that runs past its time limit to JobTimedOut naming the job and its limit", async () => {
    // Slurm's time limits are whole minutes and slurmctld enforces them every 30 s; to keep the test short the
    // job (limit 1 minute) gets its end moved to now, as if the minute had passed, and slurmctld ends it TIMEOUT
    const exit = await exitOnCluster(
      runJob(
        { name: "ganflow-test:timeout", script: bashScript("echo started\nsleep 300"), logPath: join(scratchFolder(), "timeout.log"), resources: { time: "1" } },
        {
          pollInterval: "200 millis",
          onLogLine: (line, job) => (line === "started" ? Effect.orDie(scontrol("update", `JobId=${job.jobId}`, "EndTime=now")) : Effect.void),
        },
      ),
    )
    const error = failureOf(exit)
    expect(error).toMatchObject({ _tag: "JobTimedOut", timeLimit: "1:00" })
    if (error._tag !== "JobTimedOut") return
    expect(error.logTail[0]).toBe("started")
    expect(error.message).toContain(`Slurm job ${error.jobId} (ganflow-test:timeout) hit its time limit 1:00 (TIMEOUT)`)
  })

  it("names a partition that does not exist, with sbatch's message", async () => {
    const exit = await exitOnCluster(
      submitJob({
        name: "ganflow-test:partition",
        script: bashScript("true"),
        logPath: join(scratchFolder(), "never.log"),
        placement: { partition: "no-such-partition" },
      }),
    )
    const error = failureOf(exit)
    expect(error).toMatchObject({ _tag: "PartitionNotFound", partition: "no-such-partition" })
    expect(error.message).toContain("Slurm partition no-such-partition does not exist (sbatch: invalid partition specified: no-such-partition")
  })

  it("reports a request the cluster cannot give (5 GPUs on a 2-GPU node) as SubmissionRejected with sbatch's reason", async () => {
    const exit = await exitOnCluster(
      submitJob({
        name: "ganflow-test:too-many-gpus",
        script: bashScript("true"),
        logPath: join(scratchFolder(), "never.log"),
        resources: { gpus: 5 },
        placement: { partition: "gpu" },
      }),
    )
    const error = failureOf(exit)
    expect(error).toMatchObject({
      _tag: "SubmissionRejected",
      jobName: "ganflow-test:too-many-gpus",
      reason: "Batch job submission failed: Requested node configuration is not available",
    })
  })

  it("polls many jobs in one call, and reports a job id no one knows as JobUnknown", async () => {
    const jobs = await onCluster(
      Effect.forEach(["0", "7"], (code) =>
        submitJob({ name: `ganflow-test:batch-${code}`, script: bashScript(`exit ${code}`), logPath: join(scratchFolder(), "batch.log") }),
      ),
    )
    const ids = jobs.map((job) => job.jobId)
    const statuses = await onCluster(
      queryJobs(ids).pipe(
        Effect.tap(() => Effect.sleep("100 millis")),
        Effect.repeat({ until: (all) => [...all.values()].every((status) => hasEnded(status.state)) }),
      ),
    )
    expect(ids.map((id) => [statuses.get(id)?.state, statuses.get(id)?.exitCode])).toEqual([["COMPLETED", 0], ["FAILED", 7]])
    expect(failureOf(await exitOnCluster(queryJobs([...ids, "999999"])))).toMatchObject({ _tag: "JobUnknown", jobId: "999999" })
    expect(failureOf(await exitOnCluster(queryJob("999998")))).toMatchObject({ _tag: "JobUnknown", jobId: "999998" })
  })
})
