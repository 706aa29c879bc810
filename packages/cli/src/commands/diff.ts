/**
 * `ganflow diff <runA> <runB>`: params and metrics of two runs side by side, differences marked, then the HTML
 * diff report (pictures paired A|B, curves of both runs overlaid; rendered by @ganflow/viz) and its path.
 */
import { Effect } from "effect"
import { canonicalJson, flattenParams, RunNotFound, Store, StoreIOError, storeDirOf, type StoreFileCorrupt } from "@ganflow/core"
import { join } from "node:path"
import type { Arguments } from "../Arguments.ts"
import { writeRunDiffReport } from "@ganflow/viz/RunDiffReport"
import type { RunRecord } from "@ganflow/core"

/** Find a run by id or unique prefix/suffix ("latest" and "previous" work too); throws StoreFileCorrupt naming a damaged record. */
export const findRun = (store: Store, id: string): RunRecord | undefined => {
  const ids = store.runIds()
  const pick =
    id === "latest" ? ids.at(-1) : id === "previous" ? ids.at(-2) : ids.includes(id) ? id : (() => {
      const m = ids.filter((x) => x.startsWith(id) || x.endsWith(id))
      return m.length === 1 ? m[0] : undefined
    })()
  return pick === undefined ? undefined : (store.readRun(pick) as unknown as RunRecord)
}

/** {@link findRun} as an Effect that fails with StoreFileCorrupt instead of throwing. */
export const findRunOrFail = (store: Store, id: string) => Effect.try({ try: () => findRun(store, id), catch: (e) => e as StoreFileCorrupt })

/** The rows of a diff: key, value in A, value in B, whether they differ. */
export const diffRows = (a: RunRecord, b: RunRecord): Array<[string, string, string, boolean]> => {
  const flat = (r: RunRecord) => {
    const out: Record<string, string> = {}
    for (const s of r.stages) {
      for (const [k, v] of Object.entries(flattenParams(s.params))) out[`${s.name}.${k}`] = canonicalJson(v)
      for (const [k, v] of Object.entries(s.metrics)) out[`${s.name}.metric.${k}`] = Number.isInteger(v) ? String(v) : v.toPrecision(6)
    }
    return out
  }
  const fa = flat(a)
  const fb = flat(b)
  return [...new Set([...Object.keys(fa), ...Object.keys(fb)])].sort().map((k) => [k, fa[k] ?? "-", fb[k] ?? "-", fa[k] !== fb[k]])
}

/** Print the diff table, write the HTML diff report into the store and print `report: <path>`. */
export const diffCommand = (root: string, args: Arguments) =>
  Effect.gen(function* () {
    const [ia, ib] = args.positionals
    if (ia === undefined || ib === undefined) return yield* Effect.fail(new TypeError("ganflow diff: give two run ids (ganflow runs lists them)"))
    const store = new Store(storeDirOf({ root, storeDir: args.store }))
    const a = yield* findRunOrFail(store, ia)
    if (a === undefined) return yield* Effect.fail(new RunNotFound({ id: ia }))
    const b = yield* findRunOrFail(store, ib)
    if (b === undefined) return yield* Effect.fail(new RunNotFound({ id: ib }))
    const rows = diffRows(a, b)
    const w = Math.max(10, ...rows.map((r) => r[0].length))
    const wa = Math.max(a.id.length, ...rows.map((r) => r[1].length))
    process.stdout.write(`${"".padEnd(w)}  ${a.id.padEnd(wa)}  ${b.id}\n`)
    for (const [k, va, vb, differs] of rows) process.stdout.write(`${differs ? "*" : " "} ${k.padEnd(w)} ${va.padEnd(wa)}  ${vb}\n`)
    const path = yield* Effect.tryPromise({
      try: () => writeRunDiffReport({ runA: a, runB: b, store }),
      catch: (cause) => new StoreIOError({ path: join(store.root, "reports"), cause }),
    })
    process.stdout.write(`report: ${path}\n`)
  })
