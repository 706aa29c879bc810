/** `ganflow runs [pipeline]`: list run records, newest last. */
import { Effect } from "effect"
import { StoreFileCorrupt, storeDirOf, openLocalStore } from "@ganflow/core"
import type { Arguments } from "../arguments.ts"
import type { RunRecord } from "@ganflow/core"

/** One line per run: id, status, duration, stages ran/cached/failed. A damaged record is named, then the command fails (2). */
export const runsCommand = (root: string, args: Arguments) =>
  Effect.gen(function* () {
    const store = openLocalStore(storeDirOf({ root, storeDir: args.store }))
    const filter = args.positionals[0]
    const damaged: StoreFileCorrupt[] = []
    for (const id of store.runs.runIds()) {
      let r: RunRecord | undefined
      try {
        r = store.runs.readRun(id) as unknown as RunRecord | undefined
      } catch (e) {
        if (!(e instanceof StoreFileCorrupt)) throw e
        damaged.push(e)
        process.stdout.write(`${id}  damaged: ${e.reason}\n`)
        continue
      }
      if (r === undefined || (filter !== undefined && r.pipeline !== filter)) continue
      const count = (s: string) => r.stages.filter((x) => x.status === s).length
      process.stdout.write(
        `${id}  ${r.status.padEnd(11)} ${(r.durationMs / 1000).toFixed(1).padStart(7)}s  ran ${count("ran")}, cached ${count("cached")}, failed ${count("failed") + count("skipped")}${r.overrides.length > 0 ? `  ${r.overrides.map((o) => `--set ${o}`).join(" ")}` : ""}\n`,
      )
    }
    if (damaged.length > 0) return yield* Effect.fail(damaged[0]!)
  })
