/** What the cluster tests share: the SlurmCli layer of the local cluster, scontrol, and a scratch folder. */
import { mkdtempSync } from "node:fs"
import { join } from "node:path"
import { Effect } from "effect"
import { inject } from "vitest"
import { layerSlurmCli, SlurmCli } from "../src/index.ts"

/** The Slurm commands pointed at the cluster the global setup started. */
export const localCluster = layerSlurmCli({ env: { SLURM_CONF: inject("slurmConf") } })

/** Runs an Effect that needs the local cluster. */
export const onCluster = <A, E>(effect: Effect.Effect<A, E, SlurmCli>) =>
  Effect.runPromise(Effect.provide(effect, localCluster))

/** Runs an Effect on the local cluster and returns how it ended (for the failure cases). */
export const exitOnCluster = <A, E>(effect: Effect.Effect<A, E, SlurmCli>) =>
  Effect.runPromise(Effect.exit(Effect.provide(effect, localCluster)))

/** `scontrol args…` on the local cluster (an administrator's action in a test); fails with its stderr. */
export const scontrol = (...args: Array<string>) =>
  Effect.flatMap(SlurmCli, (cli) => cli.run("scontrol", args)).pipe(
    Effect.filterOrFail(
      (output) => output.exitCode === 0,
      (output) => new Error(`scontrol ${args.join(" ")} failed: ${output.stderr}`),
    ),
  )

/** A fresh folder for job logs (the cluster's node is this machine, so it sees the same files). */
export const scratchFolder = () => mkdtempSync(join(inject("scratchRoot"), "job-"))

/** A bash batch script. */
export const bashScript = (body: string) => `#!/bin/bash\nset -e\n${body}\n`
