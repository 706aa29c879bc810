/**
 * `ganflow sweep-report <sweep> [--sort fid] [--json | --csv]`: print a sweep's table again (mean ± std over seeds
 * from its variants' run records) and rewrite its HTML report and JSON/CSV tables. `<sweep>` is an id, a unique
 * prefix or `latest`.
 */
import { Effect } from "effect"
import { LocalSweepRecords, openLocalStore, StoreFileCorrupt, StoreIOError, storeDirOf, trySync, instancesOf } from "@ganflow/core"
import { join } from "node:path"
import type { Arguments } from "../arguments.ts"
import { sweepTableOf, writeSweepReport } from "../reports/sweep-report.ts"
import { formatSweepTable, sweepTableCsv } from "../reports/sweep-table-format.ts"

/** Print the table and rewrite the report of a sweep. */
export const sweepReportCommand = (root: string, args: Arguments) =>
  Effect.gen(function* () {
    const id = args.positionals[0] ?? "latest"
    const store = openLocalStore(storeDirOf({ root, storeDir: args.store }))
    const records = new LocalSweepRecords(store.root)
    const sweep = yield* trySync(() => records.findSweep(id), instancesOf(StoreFileCorrupt))
    if (sweep === undefined) return yield* Effect.fail(new TypeError(`no sweep record matches ${id} (see \`ganflow sweeps\`)`))
    const tabled = sweepTableOf(store, sweep, args.sort)
    if (typeof tabled === "string") return yield* Effect.fail(new TypeError(tabled))
    const paths = yield* Effect.try({
      try: () => writeSweepReport({ sweep, table: tabled.table, runs: tabled.runs, store }),
      catch: (cause) => new StoreIOError({ path: join(store.root, "reports"), cause }),
    })
    if (args.json) process.stdout.write(`${JSON.stringify(tabled.table, null, 1)}\n`)
    else if (args.csv) process.stdout.write(sweepTableCsv(tabled.table))
    else process.stdout.write(`sweep ${sweep.id} (${sweep.status}, ${sweep.variants.length} variants)\n${formatSweepTable(tabled.table)}`)
    ;(args.json || args.csv ? process.stderr : process.stdout).write(`report: ${paths.html}\n`)
  })
