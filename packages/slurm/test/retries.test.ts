/**
 * Retries on the real cluster: a job whose node fails (the test takes the node down under it, as an
 * administrator would) is submitted again after a backoff and completes; a job whose code fails is not retried.
 * This file runs alone (fileParallelism: false): taking the node down kills every job on it.
 */
import { hostname } from "node:os"
import { join } from "node:path"
import { Cause, Effect, Exit, Option } from "effect"
import { expect, it } from "vitest"
import { runJobWithRetries, type JobNodeFailed, type JobPreempted, type SubmittedJob } from "../src/index.ts"
import { bashScript, exitOnCluster, onCluster, scontrol, scratchFolder } from "./local-cluster.ts"

const node = hostname().split(".")[0]!

it("submits again after NODE_FAIL, with backoff, and completes", async () => {
  const folder = scratchFolder()
  const submitted: Array<SubmittedJob> = []
  const transient: Array<JobNodeFailed | JobPreempted> = []
  const result = await onCluster(
    runJobWithRetries(
      // the first attempt waits to be killed; the second finds the marker and finishes
      {
        name: "ganflow-test:node-fail",
        script: bashScript(`if [ -e ${folder}/tried ]; then echo "second attempt"; exit 0; fi\ntouch ${folder}/tried\necho started\nsleep 60`),
        logPath: join(folder, "attempt-%j.log"),
      },
      { retries: 2, baseDelay: "200 millis" },
      {
        pollInterval: "100 millis",
        onSubmitted: (job) => Effect.sync(() => void submitted.push(job)),
        onLogLine: (line) =>
          line === "started"
            ? Effect.orDie(scontrol("update", `NodeName=${node}`, "State=DOWN", "Reason=ganflow-retry-test"))
            : Effect.void,
        // bring the node back; slurmd's next registration may have done it already (then scontrol refuses: fine)
        onTransientFailure: (error) =>
          Effect.sync(() => void transient.push(error)).pipe(
            Effect.zipRight(Effect.ignore(scontrol("update", `NodeName=${node}`, "State=RESUME"))),
          ),
      },
    ),
  )
  expect(submitted).toHaveLength(2)
  expect(transient.map((error) => [error._tag, error.jobId])).toEqual([["JobNodeFailed", submitted[0]!.jobId]])
  expect(transient[0]!.message).toContain(`Slurm job ${submitted[0]!.jobId} (ganflow-test:node-fail) lost its node (NODE_FAIL)`)
  expect(result.jobId).toBe(submitted[1]!.jobId)
})

it("does not retry a job whose code failed", async () => {
  const submitted: Array<SubmittedJob> = []
  const exit = await exitOnCluster(
    runJobWithRetries(
      { name: "ganflow-test:code-error", script: bashScript('echo "TypeError: x is undefined" >&2\nexit 1'), logPath: join(scratchFolder(), "code.log") },
      { retries: 3, baseDelay: "100 millis" },
      { pollInterval: "100 millis", onSubmitted: (job) => Effect.sync(() => void submitted.push(job)) },
    ),
  )
  expect(submitted).toHaveLength(1)
  expect(Exit.isFailure(exit) && Option.getOrThrow(Cause.failureOption(exit.cause))).toMatchObject({
    _tag: "JobFailed",
    jobId: submitted[0]!.jobId,
    exitCode: 1,
    logTail: ["TypeError: x is undefined"],
  })
})
