/**
 * The sweep report: one static HTML page per sweep (`reports/sweep-<id>.html`) with the params that differ between
 * configurations, the aggregated table (mean ± std over seeds of the final and the best checkpoint, seeds and
 * failures), the failed variants with their errors, every per-checkpoint metric over steps with the configurations
 * overlaid (the mean over seeds as a line, the min–max over seeds as a band), and each configuration's best sample
 * grid side by side (the seed and checkpoint with the best value of the sort metric). The table is also written as
 * `sweep-<id>.json` and `.csv` beside the page. Pictures are linked from the store.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from "node:fs"
import { join, relative, sep } from "node:path"
import { aggregateSweep, type ConfigurationRow, type RunRecord, type Store, type SweepRecord, type SweepTable } from "@ganflow/core"
import { escapeHtml, renderCurvesSvg, type Series } from "@ganflow/viz"
import { findRun } from "../commands/diff.ts"
import { configValue, formatMeanStd, isSpread, shortAxisNames, shortMetricNames, sweepTableCsv } from "./sweep-table-format.ts"

const palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

/** The run records of a sweep's variants, by id (records removed since are left out). */
export const sweepRuns = (store: Store, sweep: SweepRecord): Map<string, RunRecord> => {
  const runs = new Map<string, RunRecord>()
  for (const v of sweep.variants) {
    if (v.runId === null) continue
    const run = findRun(store, v.runId)
    if (run !== undefined) runs.set(run.id, run)
  }
  return runs
}

/** The sweep's table, sorted by `sort` (default: the first per-checkpoint metric); a message when `sort` names no metric. */
export const sweepTableOf = (store: Store, sweep: SweepRecord, sort?: string): { table: SweepTable; runs: Map<string, RunRecord> } | string => {
  const runs = sweepRuns(store, sweep)
  const unsorted = aggregateSweep(sweep, runs)
  if (typeof unsorted === "string") return unsorted
  const fallback = unsorted.metrics.find((m) => m.perCheckpoint)?.key
  const key = sort ?? fallback
  const table = key === undefined ? unsorted : aggregateSweep(sweep, runs, key)
  return typeof table === "string" ? table : { table, runs }
}

/** One configuration's label: `lr=0.0002 loss=hinge`. */
const labelOf = (table: SweepTable, row: ConfigurationRow): string => {
  const axes = shortAxisNames(table.axes)
  return table.axes.map((a) => `${axes.get(a)}=${configValue(row.config[a])}`).join(" ") || "(no axes)"
}

/** The mean line and min–max band over seeds of one metric of one configuration. */
const meanWithBand = (runs: ReadonlyArray<RunRecord>, metricKey: string): Pick<Series, "points" | "band"> => {
  const stage = metricKey.slice(0, metricKey.indexOf("."))
  const metric = metricKey.slice(metricKey.indexOf(".") + 1)
  const byStep = new Map<number, number[]>()
  for (const run of runs) {
    for (const [step, value] of run.stages.find((s) => s.name === stage)?.metricSeries?.[metric] ?? []) {
      if (Number.isFinite(value)) (byStep.get(step) ?? byStep.set(step, []).get(step)!).push(value)
    }
  }
  const steps = [...byStep.keys()].sort((a, b) => a - b)
  return {
    points: steps.map((s) => [s, byStep.get(s)!.reduce((a, b) => a + b, 0) / byStep.get(s)!.length] as const),
    band: steps.map((s) => [s, Math.min(...byStep.get(s)!), Math.max(...byStep.get(s)!)] as const),
  }
}

/** A stage's picture of the checkpoint at `step` (`checkpoints/step-000200.png`, as render stages name them), if any. */
const checkpointPicture = (dir: string, step: number): string | undefined => {
  const folder = join(dir, "checkpoints")
  if (!existsSync(folder)) return undefined
  const name = readdirSync(folder).find((f) => /\.png$/.test(f) && Number(/(\d+)\.png$/.exec(f)?.[1]) === step)
  return name === undefined ? undefined : join(folder, name)
}

/** Relative URL from the report's folder to a file. */
const linkTo = (linkBase: string, file: string) => relative(linkBase, file).split(sep).map(encodeURIComponent).join("/")

/**
 * The best sample grid of a configuration: the seed whose best checkpoint is best by the sorted (or first) metric,
 * and the grid a samples stage drew of that checkpoint (`checkpoints/step-NNNNNN.png`), else its final `grid.png`.
 */
const bestGrid = (table: SweepTable, row: ConfigurationRow, runs: ReadonlyMap<string, RunRecord>): { path: string; caption: string } | undefined => {
  const metricKey = table.sortedBy?.metric ?? table.metrics.find((m) => m.perCheckpoint)?.key
  const column = table.metrics.find((m) => m.key === metricKey)
  const candidates = row.runIds.map((id, i) => ({ run: runs.get(id)!, seed: row.seeds[i], step: undefined as number | undefined, value: undefined as number | undefined }))
  if (metricKey !== undefined && column !== undefined) {
    const stage = metricKey.slice(0, metricKey.indexOf("."))
    const metric = metricKey.slice(metricKey.indexOf(".") + 1)
    for (const c of candidates) {
      const points = c.run.stages.find((s) => s.name === stage)?.metricSeries?.[metric] ?? []
      for (const [step, value] of points) {
        if (c.value === undefined || (column.direction === "lower" ? value < c.value : value > c.value)) Object.assign(c, { step, value })
      }
    }
    candidates.sort((a, b) => (a.value === undefined ? 1 : b.value === undefined ? -1 : column.direction === "lower" ? a.value - b.value : b.value - a.value))
  }
  for (const c of candidates) {
    for (const stage of c.run.stages) {
      if (stage.dir === undefined) continue
      const atStep = c.step === undefined ? undefined : checkpointPicture(stage.dir, c.step)
      const path = atStep ?? (existsSync(join(stage.dir, "grid.png")) ? join(stage.dir, "grid.png") : undefined)
      if (path === undefined) continue
      const what = path === atStep ? `step ${c.step}` : "final generator"
      const value = c.value === undefined || metricKey === undefined ? "" : `, ${shortMetricNames([metricKey]).get(metricKey)} ${Number(c.value.toPrecision(4))} at step ${c.step}`
      return { path, caption: `seed ${c.seed ?? "-"}, ${stage.name}: ${what}${value}` }
    }
  }
  return undefined
}

/** The report's HTML; `linkBase` is the folder the page will live in. */
export const renderSweepReport = (sweep: SweepRecord, table: SweepTable, runs: ReadonlyMap<string, RunRecord>, linkBase: string): string => {
  const axes = shortAxisNames(table.axes)
  const perCheckpoint = table.metrics.filter((m) => m.perCheckpoint && !isSpread(m.key))
  const names = shortMetricNames(table.metrics.map((m) => m.key))
  const colourOf = (i: number) => palette[i % palette.length]!
  const swatch = (i: number) => `<span class="swatch" style="border-color:${colourOf(i)}"></span>`
  const differing = `<table class="differ"><tr><th></th><th>configuration</th>${table.axes.map((a) => `<th title="${escapeHtml(a)}">${escapeHtml(a)}</th>`).join("")}</tr>
${table.rows.map((r, i) => `<tr><td>${swatch(i)}</td><td>${i + 1}</td>${table.axes.map((a) => `<td><code>${escapeHtml(configValue(r.config[a]))}</code></td>`).join("")}</tr>`).join("\n")}</table>
<p>Seeds ${sweep.seedParams.length > 0 ? `go to <code>${sweep.seedParams.map(escapeHtml).join("</code>, <code>")}</code>` : "are not swept"}${sweep.baseOverrides.length > 0 ? `; every variant also has <code>${sweep.baseOverrides.map((o) => `--set ${escapeHtml(o)}`).join(" ")}</code>` : ""}${sweep.profile !== null ? `; profile <code>${escapeHtml(sweep.profile)}</code>` : ""}.</p>`
  // the main table: metrics per checkpoint (best and final); the others (floors, gaps, losses, spreads) below it
  const shownMetrics = perCheckpoint
  const otherMetrics = table.metrics.filter((m) => !shownMetrics.includes(m))
  const others = `<details><summary>Other metrics (${otherMetrics.length}): final value, mean ± std over seeds</summary><table><tr><th>#</th>${otherMetrics.map((m) => `<th>${escapeHtml(m.key)}</th>`).join("")}</tr>
${table.rows.map((r, i) => `<tr><td>${i + 1}</td>${otherMetrics.map((m) => `<td>${formatMeanStd(r.metrics[m.key]?.final)}</td>`).join("")}</tr>`).join("\n")}</table></details>`
  const head = `<tr><th></th><th>#</th>${table.axes.map((a) => `<th>${escapeHtml(axes.get(a)!)}</th>`).join("")}<th>seeds</th><th>failed</th>${shownMetrics
    .map((m) => (m.perCheckpoint ? `<th>${escapeHtml(names.get(m.key)!)} best</th><th>${escapeHtml(names.get(m.key)!)} final</th>` : `<th>${escapeHtml(names.get(m.key)!)}</th>`))
    .join("")}</tr>`
  const rows = table.rows
    .map(
      (r, i) =>
        `<tr><td>${swatch(i)}</td><td>${i + 1}</td>${table.axes.map((a) => `<td>${escapeHtml(configValue(r.config[a]))}</td>`).join("")}<td>${r.seeds.length}${r.missing > 0 ? ` <small>(+${r.missing} not run)</small>` : ""}</td><td class="${r.failures > 0 ? "failed" : ""}">${r.failures}</td>${shownMetrics
          .map((m) => {
            const cell = r.metrics[m.key]
            return m.perCheckpoint ? `<td>${formatMeanStd(cell?.best)}</td><td>${formatMeanStd(cell?.final)}</td>` : `<td>${formatMeanStd(cell?.final)}</td>`
          })
          .join("")}</tr>`,
    )
    .join("\n")
  const failures = table.rows.flatMap((r, i) => r.errors.map((e) => `<li>configuration ${i + 1} (${escapeHtml(labelOf(table, r))}), seed ${e.seed ?? "-"}, variant ${escapeHtml(e.variant)}: <code>${escapeHtml(e.error)}</code></li>`))
  const charts = perCheckpoint.map((m) => {
    const series: Series[] = table.rows.map((r, i) => ({ name: `${i + 1}: ${labelOf(table, r)}`, colour: colourOf(i), ...meanWithBand(r.runIds.map((id) => runs.get(id)!), m.key) }))
    return renderCurvesSvg(series, { title: `${m.key}: mean over seeds, band min–max`, yLabel: names.get(m.key)!, width: 640, height: 320 })
  })
  const grids = table.rows.map((r, i) => {
    const grid = bestGrid(table, r, runs)
    return `<figure>${grid === undefined ? `<div class="none">no sample grid</div>` : `<img src="${escapeHtml(linkTo(linkBase, grid.path))}" loading="lazy" alt="configuration ${i + 1}">`}<figcaption>${swatch(i)}${i + 1}: ${escapeHtml(labelOf(table, r))}${grid === undefined ? "" : `<br><small>${escapeHtml(grid.caption)}</small>`}</figcaption></figure>`
  })
  const sorted = table.sortedBy === null ? "in sweep order" : `sorted by <code>${escapeHtml(table.sortedBy.metric)}</code> (${table.sortedBy.statistic})`
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sweep ${escapeHtml(sweep.id)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 1240px; color: #222 }
table { border-collapse: collapse; margin: 1em 0 } td, th { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top }
td.failed, b.failed, b.interrupted, b.running { color: #c00 } b.ok { color: #1a7f37 } .none { color: #999; font-style: italic }
.swatch { display: inline-block; width: 18px; height: 0; vertical-align: middle; margin-right: 4px; border-top: 4px solid }
.charts, .grids { display: flex; flex-wrap: wrap; gap: 12px } figure { margin: 0; max-width: 300px } figure img { image-rendering: pixelated; max-width: 100%; border: 1px solid #ddd }
figcaption { font-size: 12px; color: #444 } small { color: #777 } pre { background: #f6f6f6; padding: 8px; overflow-x: auto }
</style></head><body>
<h1>Sweep <code>${escapeHtml(sweep.id)}</code> <small>${escapeHtml(sweep.pipeline)}</small></h1>
<p>Status <b class="${sweep.status}">${sweep.status}</b>; ${sweep.variants.length} variants in ${table.rows.length} configurations; started ${escapeHtml(sweep.createdAt)}, last updated ${escapeHtml(sweep.updatedAt)} (${sweep.attempts} attempt${sweep.attempts === 1 ? "" : "s"}).</p>
<h2>Params that differ</h2>
${differing}
<h2>Results</h2>
<p>Mean ± std over seeds (sample std), ${sorted}; <i>best</i> is each seed's best checkpoint, <i>final</i> its last.</p>
<table class="results">${head}
${rows}</table>
${otherMetrics.length > 0 ? others : ""}
${failures.length > 0 ? `<h2>Failed variants</h2><ul class="failures">${failures.join("\n")}</ul>` : ""}
${charts.length > 0 ? `<h2>Metrics over steps</h2><div class="charts">${charts.join("\n")}</div>` : ""}
<h2>Best sample grid of each configuration</h2>
<div class="grids">${grids.join("\n")}</div>
<details><summary>Definition</summary><pre>${escapeHtml(JSON.stringify(sweep.definition, null, 1))}</pre></details>
<details><summary>Variants</summary><table><tr><th>variant</th><th>seed</th><th>status</th><th>run</th><th>ran / cached</th></tr>
${sweep.variants.map((v) => `<tr><td>${escapeHtml(v.id)} <small>${escapeHtml(Object.entries(v.config).map(([a, x]) => `${axes.get(a) ?? a}=${configValue(x)}`).join(" "))}</small></td><td>${v.seed ?? "-"}</td><td><b class="${v.status}">${v.status}</b></td><td><code>${escapeHtml(v.runId ?? "-")}</code></td><td>${v.ran} / ${v.cached}</td></tr>`).join("\n")}</table></details>
</body></html>
`
}

const writeAtomically = (path: string, text: string) => {
  const tmp = `${path}.tmp-${process.pid}`
  writeFileSync(tmp, text)
  renameSync(tmp, path)
}

/** Write the sweep's report (`reports/sweep-<id>.html`) and its table as `.json` and `.csv`; returns their paths. */
export const writeSweepReport = (options: { sweep: SweepRecord; table: SweepTable; runs: ReadonlyMap<string, RunRecord>; store: Store }): { html: string; json: string; csv: string } => {
  const dir = join(options.store.root, "reports")
  mkdirSync(dir, { recursive: true })
  const base = join(dir, `sweep-${options.sweep.id}`)
  const paths = { html: `${base}.html`, json: `${base}.json`, csv: `${base}.csv` }
  writeAtomically(paths.json, `${JSON.stringify(options.table, null, 1)}\n`)
  writeAtomically(paths.csv, sweepTableCsv(options.table))
  writeAtomically(paths.html, renderSweepReport(options.sweep, options.table, options.runs, dir))
  return paths
}
