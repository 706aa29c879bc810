/**
 * A sweep's aggregated table as text (the end of `ganflow sweep`), CSV and JSON. Each configuration is a row; for each
 * metric recorded per checkpoint the text shows the best and the final checkpoint's mean ± std over seeds (CSV and
 * JSON carry every metric, with min and max too). Axis and metric names are shortened where that stays unique.
 */
import { canonicalJson, type ConfigurationRow, type SeedStatistics, type SweepTable } from "@ganflow/core"
import { formatMetric } from "./metric-format.ts"

/** `train.generatorLearningRate` -> `generatorLearningRate` when no other axis ends the same. */
export const shortAxisNames = (axes: ReadonlyArray<string>): Map<string, string> => {
  const last = (a: string) => a.split(".").at(-1)!
  return new Map(axes.map((a) => [a, axes.filter((b) => last(b) === last(a)).length === 1 ? last(a) : a]))
}

/** `fid.fid@random-cnn-seed0` -> `fid` when no other metric has that name, else `stage.fid` (or the whole key). */
export const shortMetricNames = (keys: ReadonlyArray<string>): Map<string, string> => {
  const base = (k: string) => k.slice(k.indexOf(".") + 1).split("@")[0]!
  const withStage = (k: string) => `${k.slice(0, k.indexOf("."))}.${base(k)}`
  const unique = (name: (k: string) => string, k: string) => keys.filter((o) => name(o) === name(k)).length === 1
  return new Map(keys.map((k) => [k, unique(base, k) ? base(k) : unique(withStage, k) ? withStage(k) : k]))
}

/** Whether a metric is the spread of one evaluation (`kid-std@…`), not a result to compare. */
export const isSpread = (key: string): boolean => /-std\b/.test(key)

/** `12.3 ± 0.45` (4 significant digits), or the mean alone with one seed. */
export const formatMeanStd = (s: SeedStatistics | null | undefined): string => {
  if (s === null || s === undefined) return "-"
  const v = (x: number) => String(Number(x.toPrecision(4)))
  return s.std === null ? v(s.mean) : `${v(s.mean)} ± ${v(s.std)}`
}

/** A value of a configuration as text: strings bare, everything else as canonical JSON. */
export const configValue = (v: unknown): string => (typeof v === "string" ? v : canonicalJson(v))

const seedsCell = (r: ConfigurationRow) => `${r.seeds.length}${r.missing > 0 ? ` (+${r.missing} not run)` : ""}`

/** The text table. */
export const formatSweepTable = (table: SweepTable): string => {
  const axes = shortAxisNames(table.axes)
  // spreads within one evaluation (kid-std, is-std) stay in the JSON and CSV
  const columns = table.metrics.filter((m) => m.perCheckpoint && !isSpread(m.key))
  const names = shortMetricNames(columns.map((c) => c.key))
  const header = ["#", ...table.axes.map((a) => axes.get(a)!), "seeds", "failed", ...columns.flatMap((c) => [`${names.get(c.key)} best`, `${names.get(c.key)} final`])]
  const body = table.rows.map((r, i) => [
    String(i + 1),
    ...table.axes.map((a) => configValue(r.config[a])),
    seedsCell(r),
    String(r.failures),
    ...columns.flatMap((c) => [formatMeanStd(r.metrics[c.key]?.best), formatMeanStd(r.metrics[c.key]?.final)]),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)))
  const line = (cells: ReadonlyArray<string>) => `  ${cells.map((c, i) => c.padEnd(widths[i]!)).join("  ")}`.trimEnd()
  const sorted = table.sortedBy === null ? "in sweep order" : `sorted by ${table.sortedBy.metric} (${table.sortedBy.statistic}, ${columns.find((c) => c.key === table.sortedBy!.metric)?.direction ?? "lower"} is better)`
  const lines = [`mean ± std over seeds (sample std), ${sorted}; best = each seed's best checkpoint`, line(header), ...body.map(line)]
  if (columns.length === 0) lines.push("  (no metric was recorded per checkpoint; --json or --csv list the others)")
  return `${lines.join("\n")}\n`
}

const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)
const num = (v: number | null | undefined) => (v === null || v === undefined ? "" : formatMetric(v))

/** The table as CSV: one row per configuration; per metric the final's and the best's mean, std, min, max. */
export const sweepTableCsv = (table: SweepTable): string => {
  const stats = ["mean", "std", "min", "max"] as const
  const header = [
    "configuration",
    ...table.axes,
    "seeds",
    "failures",
    "not_run",
    ...table.metrics.flatMap((m) => [...stats.map((s) => `${m.key} final ${s}`), ...(m.perCheckpoint ? stats.map((s) => `${m.key} best ${s}`) : [])]),
  ]
  const rows = table.rows.map((r, i) => [
    String(i + 1),
    ...table.axes.map((a) => configValue(r.config[a])),
    String(r.seeds.length),
    String(r.failures),
    String(r.missing),
    ...table.metrics.flatMap((m) => {
      const cell = r.metrics[m.key]
      return [...stats.map((s) => num(cell?.final[s])), ...(m.perCheckpoint ? stats.map((s) => num(cell?.best?.[s])) : [])]
    }),
  ])
  return `${[header, ...rows].map((row) => row.map(csvCell).join(",")).join("\n")}\n`
}
