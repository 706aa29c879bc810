/**
 * `ganflow diff <runA> <runB> [--all]`: what differs between two runs — params, metrics (with B − A) and stage
 * outputs (by digest) — then the HTML diff report (pictures paired A|B, curves of both runs overlaid; see
 * `reports/run-diff-report.ts`) and its path. `--all` lists every row, differing ones starred, like DVC's `exp diff --all`.
 */
import { Effect } from "effect"
import { RunNotFound, StoreIOError, storeDirOf, StoreFileCorrupt, openLocalStore, type Store, trySync, instancesOf } from "@ganflow/core"
import { join } from "node:path"
import type { Arguments } from "../arguments.ts"
import { writeRunDiffReport } from "../reports/run-diff-report.ts"
import { formatMetric } from "../reports/metric-format.ts"
import { runParams } from "../reports/run-params.ts"
import type { RunRecord } from "@ganflow/core"

/** Find a run by id or unique prefix/suffix ("latest" and "previous" work too); throws StoreFileCorrupt naming a damaged record. */
export const findRun = (store: Store, id: string): RunRecord | undefined => {
  const ids = store.runs.runIds()
  const pick =
    id === "latest" ? ids.at(-1) : id === "previous" ? ids.at(-2) : ids.includes(id) ? id : (() => {
      const m = ids.filter((x) => x.startsWith(id) || x.endsWith(id))
      return m.length === 1 ? m[0] : undefined
    })()
  return pick === undefined ? undefined : (store.runs.readRun(pick) as unknown as RunRecord)
}

/** {@link findRun} as an Effect that fails with StoreFileCorrupt instead of throwing. */
export const findRunOrFail = (store: Store, id: string) => trySync(() => findRun(store, id), instancesOf(StoreFileCorrupt))

/** One compared value: its key (`stage.param`, `stage.metric`, `stage`), shown in A and B ("-" when absent). */
export interface DiffRow {
  readonly key: string
  readonly a: string
  readonly b: string
  readonly differs: boolean
  /** Metrics present in both runs: B − A. */
  readonly delta?: number
}

/** Two runs compared: params after defaults, metrics, and each stage's output digest. Rows sorted by key. */
export interface RunDiff {
  readonly params: ReadonlyArray<DiffRow>
  readonly metrics: ReadonlyArray<DiffRow>
  readonly outputs: ReadonlyArray<DiffRow>
}

const rowsOf = (fa: Record<string, string>, fb: Record<string, string>, delta?: (k: string) => number | undefined): DiffRow[] =>
  [...new Set([...Object.keys(fa), ...Object.keys(fb)])].sort().map((key) => {
    const d = delta?.(key)
    return { key, a: fa[key] ?? "-", b: fb[key] ?? "-", differs: fa[key] !== fb[key], ...(d === undefined ? {} : { delta: d }) }
  })


/** Compare two run records. */
export const diffRuns = (a: RunRecord, b: RunRecord): RunDiff => {
  const params = (r: RunRecord) => Object.fromEntries(runParams(r))
  const metricValues = (r: RunRecord) => {
    const out: Record<string, number> = {}
    for (const s of r.stages) for (const [k, v] of Object.entries(s.metrics)) out[`${s.name}.${k}`] = v
    return out
  }
  const outputs = (r: RunRecord) => {
    const out: Record<string, string> = {}
    for (const s of r.stages) out[s.name] = s.outputDigest ?? `(${s.status})`
    return out
  }
  const ma = metricValues(a)
  const mb = metricValues(b)
  const shown = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, formatMetric(v)]))
  return {
    params: rowsOf(params(a), params(b)),
    metrics: rowsOf(shown(ma), shown(mb), (k) => (ma[k] !== undefined && mb[k] !== undefined ? mb[k] - ma[k] : undefined)),
    outputs: rowsOf(outputs(a), outputs(b)),
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`
const shortDigest = (v: string) => (/^[0-9a-f]{64}$/.test(v) ? v.slice(0, 12) : v)

/**
 * The text table of a diff: per section the rows that differ (every row with `all`, differing ones starred), and
 * a last line counting what is the same. `ids` are the two run ids for the header.
 */
export const formatRunDiff = (diff: RunDiff, ids: readonly [string, string], options: { readonly all: boolean }): string => {
  const sections: Array<[title: string, unit: string, rows: ReadonlyArray<DiffRow>]> = [
    ["params", "param", diff.params],
    ["metrics", "metric", diff.metrics],
    ["outputs", "stage output", diff.outputs.map((r) => ({ ...r, a: shortDigest(r.a), b: shortDigest(r.b) }))],
  ]
  const listed = sections.flatMap(([, , rows]) => rows.filter((r) => options.all || r.differs))
  const wk = Math.max(8, ...listed.map((r) => r.key.length))
  const wa = Math.max(ids[0].length - 2, ...listed.map((r) => r.a.length))
  const wb = Math.max(ids[1].length - 2, ...listed.map((r) => r.b.length))
  const lines = [`A ${ids[0]}`, `B ${ids[1]}`]
  const same: string[] = []
  for (const [title, unit, rows] of sections) {
    const differing = rows.filter((r) => r.differs).length
    if (rows.length - differing > 0) same.push(plural(rows.length - differing, unit))
    const shownRows = rows.filter((r) => options.all || r.differs)
    if (shownRows.length === 0) continue
    lines.push(`${title}: ${differing} of ${rows.length} differ`)
    lines.push(`  ${" ".repeat(options.all ? 2 : 0)}${"".padEnd(wk)}  ${"A".padEnd(wa)}  B`)
    for (const r of shownRows) {
      const delta = r.delta !== undefined && r.differs ? `${" ".repeat(Math.max(0, wb - r.b.length))}  (B − A ${r.delta > 0 ? "+" : ""}${formatMetric(r.delta)})` : ""
      lines.push(`  ${options.all ? (r.differs ? "* " : "  ") : ""}${r.key.padEnd(wk)}  ${r.a.padEnd(wa)}  ${r.b}${delta}`)
    }
  }
  if (listed.length === 0 && !options.all) lines.push("no differences in params, metrics or outputs")
  if (!options.all && same.length > 0) lines.push(`the same in both: ${same.join(", ")} (--all lists them)`)
  return `${lines.join("\n")}\n`
}

/** Print what differs, write the HTML diff report into the store and print `report: <path>`. */
export const diffCommand = (root: string, args: Arguments) =>
  Effect.gen(function* () {
    const [ia, ib] = args.positionals
    if (ia === undefined || ib === undefined) return yield* Effect.fail(new TypeError("ganflow diff: give two run ids (ganflow runs lists them)"))
    const store = openLocalStore(storeDirOf({ root, storeDir: args.store }))
    const a = yield* findRunOrFail(store, ia)
    if (a === undefined) return yield* Effect.fail(new RunNotFound({ id: ia }))
    const b = yield* findRunOrFail(store, ib)
    if (b === undefined) return yield* Effect.fail(new RunNotFound({ id: ib }))
    process.stdout.write(formatRunDiff(diffRuns(a, b), [a.id, b.id], { all: args.all }))
    const path = yield* Effect.tryPromise({
      try: () => writeRunDiffReport({ runA: a, runB: b, store }),
      catch: (cause) => new StoreIOError({ path: join(store.root, "reports"), cause }),
    })
    process.stdout.write(`report: ${path}\n`)
  })
