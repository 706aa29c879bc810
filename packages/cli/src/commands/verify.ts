/**
 * `ganflow verify [--fix]`: re-hash every object, view, checkpoint, manifest and run record of the store and
 * print each problem with its path; `--fix` removes what is corrupt so the next run recomputes it.
 * Exit 0 when clean (or everything found was fixed), 1 when problems remain.
 */
import { Effect } from "effect"
import { storeDirOf, verifyStore, openLocalStore } from "@ganflow/core"
import type { Arguments } from "../arguments.ts"

/** A store with problems left after `verify`. */
export class StoreNotClean extends Error {
  readonly _tag = "StoreNotClean"
  constructor(readonly count: number) {
    super(`${count} problem${count === 1 ? "" : "s"} found; \`ganflow verify --fix\` removes what is corrupt so the next run recomputes it`)
  }
}

/** Verify the store and report. */
export const verifyCommand = (root: string, args: Arguments) =>
  Effect.gen(function* () {
    const store = openLocalStore(storeDirOf({ root, storeDir: args.store }))
    const r = verifyStore(store, { fix: args.fix })
    for (const p of r.problems) process.stdout.write(`  ${p.fixed ? "fixed  " : "corrupt"} ${p.kind.padEnd(10)} ${p.path}: ${p.problem}\n`)
    const c = r.checked
    process.stdout.write(
      `ganflow verify: checked ${c.objects} objects, ${c.manifests} manifests, ${c.views} views, ${c.checkpoints} checkpoints, ${c.runs} run records; ` +
        `${r.problems.length === 0 ? "all good" : `${r.problems.length} problems${args.fix ? `, ${r.problems.filter((p) => p.fixed).length} fixed` : ""}`}\n`,
    )
    const left = r.problems.filter((p) => !p.fixed).length
    if (left > 0) return yield* Effect.fail(new StoreNotClean(left))
  })
