/** `ganflow status <pipeline>`: what is stale and why, without running anything. */
import { Effect } from "effect"
import { pipelineStatus, trySync, instancesOf } from "@ganflow/core"
import type { Arguments } from "../arguments.ts"
import { loadPipeline } from "../load-pipeline.ts"
import { overridesOf } from "../params-file.ts"
import { runRemoteOf } from "../run-remote-option.ts"

/** Print each stage's state (cached / stale with reasons / blocked), or JSON with `--json`. */
export const statusCommand = (root: string, args: Arguments) =>
  Effect.gen(function* () {
    const name = args.positionals[0]
    if (name === undefined) return yield* Effect.fail(new TypeError("ganflow status: which pipeline?"))
    const remote = yield* runRemoteOf(root, args)
    const { definition } = yield* loadPipeline(root, name)
    const statuses = yield* pipelineStatus(definition, {
      root,
      overrides: yield* trySync(() => overridesOf(args), instancesOf(TypeError)),
      profile: args.profile,
      only: args.only,
      storeDir: args.store,
      ...(remote === undefined ? {} : { remote }),
    })
    if (args.json) {
      process.stdout.write(`${JSON.stringify(statuses)}\n`)
      return
    }
    for (const s of statuses) {
      const mark = s.state === "cached" ? "=" : s.state === "stale" ? ">" : "…"
      const where = s.remote === undefined ? "" : ` (remote ${s.remote})`
      process.stdout.write(`  ${mark} ${s.name.padEnd(18)} ${s.state}${where}${s.reasons.length > 0 ? `: ${s.reasons.join("; ")}` : ""}\n`)
    }
  })
