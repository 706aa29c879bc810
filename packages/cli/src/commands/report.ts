/** `ganflow report <run>`: write the run's static HTML report (`reports/run-report.ts`) and print its path. */
import { Effect } from "effect"
import { RunNotFound, StoreIOError, storeDirOf, openLocalStore } from "@ganflow/core"
import { join } from "node:path"
import type { Arguments } from "../arguments.ts"
import { findRunOrFail } from "./diff.ts"
import { writeRunReport } from "../reports/run-report.ts"

/** Render the report of a run (default: the latest). */
export const reportCommand = (root: string, args: Arguments) =>
  Effect.gen(function* () {
    const id = args.positionals[0] ?? "latest"
    const store = openLocalStore(storeDirOf({ root, storeDir: args.store }))
    const run = yield* findRunOrFail(store, id)
    if (run === undefined) return yield* Effect.fail(new RunNotFound({ id }))
    const path = yield* Effect.tryPromise({
      try: () => writeRunReport({ run, store }),
      catch: (cause) => new StoreIOError({ path: join(store.root, "reports"), cause }),
    })
    process.stdout.write(`${path}\n`)
  })
