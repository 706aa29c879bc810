/**
 * A sweep's results as one table: a row per configuration (the variants that differ only by seed), and for every
 * metric the stages recorded, the mean ± std over seeds of the final checkpoint's value and of the best
 * checkpoint's (the lowest FID/KID/loss, the highest IS/precision/recall…), with the number of seeds that finished
 * and that failed. The std is the sample standard deviation (n − 1 in the denominator, as pandas' and R's `sd`);
 * with one seed there is none. Sorted by a chosen metric's best (or final) mean, best first.
 */
import type { Json } from "./canonical-json.ts"
import type { RunRecord } from "./runner.ts"
import type { SweepRecord } from "./store/sweep-records.ts"

/** Whether lower or higher values of a metric are better. */
export type MetricDirection = "lower" | "higher"

const higherIsBetter = new Set(["is", "mode-score", "precision", "recall", "density", "coverage", "psnr", "ssim", "accuracy", "agreement"])

/**
 * The direction of a metric by its name: `fid@random-cnn-seed0`, `is@inception`, `loss_generator`, `fid-gap@…`.
 * Higher is better for IS, mode score, precision, recall, density, coverage, PSNR, SSIM, accuracy; lower otherwise.
 */
export const metricDirection = (metric: string): MetricDirection => {
  const base = metric.split("@")[0]!.toLowerCase()
  return higherIsBetter.has(base) || higherIsBetter.has(base.replace(/-(floor|gap|std)$/, "")) ? "higher" : "lower"
}

/** Mean, spread and range of one metric over seeds. */
export interface SeedStatistics {
  readonly mean: number
  /** Sample standard deviation; null with one seed. */
  readonly std: number | null
  readonly min: number
  readonly max: number
  /** Seeds that had the value. */
  readonly n: number
}

/** One metric of one configuration: over seeds, the final value and the best checkpoint's (series metrics only). */
export interface ConfigurationMetric {
  readonly final: SeedStatistics
  readonly best: SeedStatistics | null
  /** Step of the best checkpoint, per seed (in seed order). */
  readonly bestSteps: ReadonlyArray<number>
}

/** One row of the table. */
export interface ConfigurationRow {
  readonly configKey: string
  readonly config: { readonly [axis: string]: Json }
  /** Seeds whose run finished, in order. */
  readonly seeds: ReadonlyArray<number | null>
  readonly failures: number
  /** Variants not finished (the sweep was stopped before them). */
  readonly missing: number
  readonly errors: ReadonlyArray<{ readonly variant: string; readonly seed: number | null; readonly error: string }>
  readonly runIds: ReadonlyArray<string>
  readonly metrics: { readonly [metric: string]: ConfigurationMetric }
}

/** A metric column: `stage.metric`, its direction, and whether it was recorded per checkpoint (has a best). */
export interface MetricColumn {
  readonly key: string
  readonly direction: MetricDirection
  readonly perCheckpoint: boolean
}

/** The aggregated table of a sweep. */
export interface SweepTable {
  readonly sweep: string
  readonly pipeline: string
  readonly axes: ReadonlyArray<string>
  readonly metrics: ReadonlyArray<MetricColumn>
  readonly rows: ReadonlyArray<ConfigurationRow>
  /** The column and statistic the rows are sorted by, best first (null: in sweep order). */
  readonly sortedBy: { readonly metric: string; readonly statistic: "best" | "final" } | null
}

/** The sort key `fid`, `fid:final`, `kid:best`, `train.fid` or a full `stage.metric@extractor`, resolved against the columns. */
export const resolveSortKey = (sort: string, columns: ReadonlyArray<MetricColumn>): { metric: string; statistic: "best" | "final" } | string => {
  const [name, statistic = "best"] = sort.split(":") as [string, string?]
  if (statistic !== "best" && statistic !== "final") return `--sort ${sort}: the statistic after ":" must be best or final`
  const base = (key: string) => key.slice(key.indexOf(".") + 1).split("@")[0]!
  const exact = columns.find((c) => c.key === name || c.key.slice(c.key.indexOf(".") + 1) === name || c.key.split("@")[0] === name)
  const byBase = columns.filter((c) => base(c.key) === name)
  const column = exact ?? byBase.find((c) => c.perCheckpoint) ?? byBase[0]
  if (column === undefined) return `--sort ${sort}: no metric named ${name} in this sweep (metrics: ${[...new Set(columns.map((c) => base(c.key)))].join(", ") || "none"})`
  return { metric: column.key, statistic: statistic === "final" || !column.perCheckpoint ? "final" : "best" }
}

/** Mean, sample std, min and max of values. */
export const seedStatistics = (values: ReadonlyArray<number>): SeedStatistics => {
  const n = values.length
  const mean = values.reduce((a, b) => a + b, 0) / n
  const std = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : null
  return { mean, std, min: Math.min(...values), max: Math.max(...values), n }
}

/** A run's metrics: per `stage.metric`, the final value, and for series the best value and its step. */
const runMetrics = (run: RunRecord): Map<string, { final: number; best?: readonly [step: number, value: number] }> => {
  const out = new Map<string, { final: number; best?: readonly [number, number] }>()
  for (const stage of run.stages) {
    for (const [metric, points] of Object.entries(stage.metricSeries ?? {})) {
      const finite = points.filter(([, v]) => Number.isFinite(v))
      if (finite.length === 0) continue
      const better = metricDirection(metric) === "lower" ? (a: number, b: number) => a < b : (a: number, b: number) => a > b
      const best = finite.reduce((b, p) => (better(p[1], b[1]) ? p : b))
      // one point (a loss logged once at the end) has a final value, not a best checkpoint
      out.set(`${stage.name}.${metric}`, finite.length > 1 ? { final: finite.at(-1)![1], best } : { final: finite[0]![1] })
    }
    for (const [metric, value] of Object.entries(stage.metrics)) {
      const key = `${stage.name}.${metric}`
      if (!out.has(key) && Number.isFinite(value)) out.set(key, { final: value })
    }
  }
  return out
}

/**
 * Aggregate a sweep record with the run records of its variants (`runs` by id; a variant whose record is gone
 * counts as missing). `sort` as {@link resolveSortKey}; fails with a message when it names no metric.
 */
export const aggregateSweep = (sweep: SweepRecord, runs: ReadonlyMap<string, RunRecord>, sort?: string): SweepTable | string => {
  const groups = new Map<string, SweepRecord["variants"][number][]>()
  for (const v of sweep.variants) (groups.get(v.configKey) ?? groups.set(v.configKey, []).get(v.configKey)!).push(v)
  const columns = new Map<string, MetricColumn>()
  const rows: ConfigurationRow[] = [...groups.values()].map((variants) => {
    const finished = variants.flatMap((v) => {
      const run = v.status === "ok" && v.runId !== null ? runs.get(v.runId) : undefined
      return run === undefined ? [] : [{ variant: v, run, metrics: runMetrics(run) }]
    })
    const values = new Map<string, { finals: number[]; bests: number[]; steps: number[] }>()
    for (const { metrics } of finished) {
      for (const [key, m] of metrics) {
        const slot = values.get(key) ?? values.set(key, { finals: [], bests: [], steps: [] }).get(key)!
        slot.finals.push(m.final)
        if (m.best !== undefined) {
          slot.bests.push(m.best[1])
          slot.steps.push(m.best[0])
        }
        const metricName = key.slice(key.indexOf(".") + 1)
        const known = columns.get(key)
        columns.set(key, { key, direction: metricDirection(metricName), perCheckpoint: (known?.perCheckpoint ?? false) || m.best !== undefined })
      }
    }
    const metrics: Record<string, ConfigurationMetric> = {}
    for (const [key, { finals, bests, steps }] of values) {
      metrics[key] = { final: seedStatistics(finals), best: bests.length > 0 ? seedStatistics(bests) : null, bestSteps: steps }
    }
    const failed = variants.filter((v) => v.status === "failed")
    return {
      configKey: variants[0]!.configKey,
      config: variants[0]!.config,
      seeds: finished.map((f) => f.variant.seed),
      failures: failed.length,
      missing: variants.length - finished.length - failed.length,
      errors: failed.map((v) => ({ variant: v.id, seed: v.seed, error: v.error ?? "failed" })),
      runIds: finished.map((f) => f.run.id),
      metrics,
    }
  })
  const metricColumns = [...columns.values()].sort((a, b) => Number(b.perCheckpoint) - Number(a.perCheckpoint) || a.key.localeCompare(b.key))
  let sortedBy: SweepTable["sortedBy"] = null
  if (sort !== undefined) {
    const resolved = resolveSortKey(sort, metricColumns)
    if (typeof resolved === "string") return resolved
    sortedBy = resolved
    const column = metricColumns.find((c) => c.key === resolved.metric)!
    const valueOf = (r: ConfigurationRow) => {
      const m = r.metrics[resolved.metric]
      const stats = resolved.statistic === "best" ? m?.best : m?.final
      return stats === undefined || stats === null ? undefined : stats.mean
    }
    rows.sort((a, b) => {
      const va = valueOf(a)
      const vb = valueOf(b)
      if (va === undefined || vb === undefined) return va === undefined ? (vb === undefined ? 0 : 1) : -1
      return column.direction === "lower" ? va - vb : vb - va
    })
  }
  return { sweep: sweep.id, pipeline: sweep.pipeline, axes: sweep.axes, metrics: metricColumns, rows, sortedBy }
}
