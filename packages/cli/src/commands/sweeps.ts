/** `ganflow sweeps [pipeline]`: list sweep records — id, status, variants finished/failed/not run, last update. */
import { Effect } from "effect"
import { LocalSweepRecords, StoreFileCorrupt, storeDirOf, type SweepRecord } from "@ganflow/core"
import type { Arguments } from "../arguments.ts"

/** One line per sweep, oldest update first. A damaged record is named, then the command fails (2). */
export const sweepsCommand = (root: string, args: Arguments) =>
  Effect.gen(function* () {
    const records = new LocalSweepRecords(storeDirOf({ root, storeDir: args.store }))
    const filter = args.positionals[0]
    const damaged: StoreFileCorrupt[] = []
    const sweeps: SweepRecord[] = []
    for (const id of records.sweepIds()) {
      try {
        const r = records.readSweep(id)
        if (r !== undefined && (filter === undefined || r.pipeline === filter)) sweeps.push(r)
      } catch (e) {
        if (!(e instanceof StoreFileCorrupt)) throw e
        damaged.push(e)
        process.stdout.write(`${id}  damaged: ${e.reason}\n`)
      }
    }
    for (const r of sweeps.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))) {
      const count = (s: string) => r.variants.filter((v) => v.status === s).length
      const configs = new Set(r.variants.map((v) => v.configKey)).size
      process.stdout.write(
        `${r.id}  ${r.status.padEnd(11)} ${r.pipeline}  ${r.variants.length} variants (${configs} configurations): ${count("ok")} ok, ${count("failed")} failed, ${count("pending") + count("interrupted")} not run  updated ${r.updatedAt}  axes ${r.axes.join(", ") || "-"}\n`,
      )
    }
    if (damaged.length > 0) return yield* Effect.fail(damaged[0]!)
  })
