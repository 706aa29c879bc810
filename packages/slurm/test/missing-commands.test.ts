/** A machine without the Slurm client commands gets one clear error naming the command. */
import { Cause, Effect, Exit, Option } from "effect"
import { expect, it } from "vitest"
import { scratchFolder } from "./local-cluster.ts"
import { layerSlurmCli, queryJob, submitJob } from "../src/index.ts"

it("fails with SlurmCommandMissing naming sbatch (and squeue) when they are not on PATH", async () => {
  const noSlurm = layerSlurmCli({ env: { PATH: scratchFolder() } })
  const submit = await Effect.runPromise(
    Effect.exit(Effect.provide(submitJob({ name: "x", script: "#!/bin/sh\ntrue\n", logPath: "/tmp/x.log" }), noSlurm)),
  )
  const query = await Effect.runPromise(Effect.exit(Effect.provide(queryJob("1"), noSlurm)))
  const cases: Array<[Exit.Exit<unknown, { readonly message: string }>, string]> = [[submit, "sbatch"], [query, "squeue"]]
  for (const [exit, command] of cases) {
    expect(Exit.isFailure(exit)).toBe(true)
    if (Exit.isSuccess(exit)) continue
    const error = Option.getOrThrow(Cause.failureOption(exit.cause))
    expect(error).toMatchObject({ _tag: "SlurmCommandMissing", command })
    expect(error.message).toContain(`${command} is not on PATH`)
  }
})
