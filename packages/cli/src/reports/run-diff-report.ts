/**
 * The diff report: two runs on one static HTML page, for "what did changing this param do?". It shows the
 * params that differ (and all of them on demand), both runs' metrics with the difference, each stage's status
 * and whether its output is byte-identical across the runs, every picture a stage wrote paired by its path in
 * the stage's output folder (run A left, run B right; a chart written as both SVG and PNG shown once), and
 * curves read from the stages' logs with both runs in one chart (A solid blue, B dashed red, series named
 * `A: …` / `B: …`). Curves come from JSONL logs (one chart per numeric field) and from JSON step tables
 * (arrays of `{ step, …numbers }` or `{ step, values: {…} }`, as the checkpoint-metrics stage writes).
 * Pictures are linked from the store, so the page stays small.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs"
import { join, relative, sep } from "node:path"
import type { RunRecord, StageOutcome, Store } from "@ganflow/core"
import { escapeHtml, renderCurvesSvg, type Series } from "@ganflow/viz"
import { formatMetric } from "./metric-format.ts"
import { listOutputFiles, PICTURE_FILE } from "./output-files.ts"
import { runParams } from "./run-params.ts"
import { seriesFromJsonl } from "./run-report.ts"

/** How each side of a diff is drawn and named. */
const SIDES = {
  a: { label: "A", colour: "#1f77b4", dashed: false },
  b: { label: "B", colour: "#d62728", dashed: true },
} as const

/** JSON files larger than this are not read as step tables (model topologies, weight manifests). */
const STEP_TABLE_MAX_BYTES = 2 * 1024 * 1024
/** Log fields that are clocks, not curves: two runs' timestamps only say when each ran. */
const CLOCK_FIELDS = new Set(["time", "timestamp", "wallTime", "wall_time"])

const signed = (v: number) => `${v > 0 ? "+" : v < 0 ? "−" : "±"}${Number(Math.abs(v).toPrecision(4))}`


/**
 * Series from a JSON step table: an array of rows with a numeric `step`; each other numeric field, and each
 * numeric field of a `values` object, becomes a series. Anything else (not JSON, not an array of such rows)
 * gives no series.
 */
export const seriesFromStepTable = (text: string): Series[] => {
  let rows: unknown
  try {
    rows = JSON.parse(text)
  } catch {
    return []
  }
  if (!Array.isArray(rows)) return []
  const byName = new Map<string, Array<[number, number]>>()
  const add = (name: string, step: number, v: unknown) => {
    if (typeof v !== "number") return
    if (!byName.has(name)) byName.set(name, [])
    byName.get(name)!.push([step, v])
  }
  for (const row of rows) {
    if (typeof row !== "object" || row === null || typeof (row as { step?: unknown }).step !== "number") continue
    const { step, values, ...rest } = row as { step: number; values?: unknown } & Record<string, unknown>
    for (const [k, v] of Object.entries(rest)) add(k, step, v)
    if (typeof values === "object" && values !== null) for (const [k, v] of Object.entries(values)) add(k, step, v)
  }
  return [...byName].map(([name, points]) => ({ name, points }))
}

/** A stage of one run as the diff sees it: the outcome, and its output files when still in the store. */
interface StageSide {
  readonly outcome: StageOutcome
  readonly files: ReadonlyArray<string> | undefined
}

const sideOf = (outcome: StageOutcome | undefined): StageSide | undefined =>
  outcome === undefined ? undefined : { outcome, files: outcome.dir !== undefined && existsSync(outcome.dir) ? listOutputFiles(outcome.dir) : undefined }

const union = (...lists: ReadonlyArray<ReadonlyArray<string> | undefined>): string[] => [...new Set(lists.flatMap((l) => l ?? []))]

const paramsSection = (a: RunRecord, b: RunRecord): string => {
  const pa = runParams(a)
  const pb = runParams(b)
  const keys = union([...pa.keys()], [...pb.keys()]).sort()
  const cell = (v: string | undefined) => (v === undefined ? `<td class="none">not set</td>` : `<td><code>${escapeHtml(v)}</code></td>`)
  const row = (k: string) => `<tr class="${pa.get(k) !== pb.get(k) ? "differs" : "same"}"><td>${escapeHtml(k)}</td>${cell(pa.get(k))}${cell(pb.get(k))}</tr>`
  const differing = keys.filter((k) => pa.get(k) !== pb.get(k))
  const head = `<tr><th>param</th><th>A</th><th>B</th></tr>`
  return `<h2>Params</h2>
${differing.length === 0 ? "<p>No params differ.</p>" : `<table class="params-differ">${head}${differing.map(row).join("\n")}</table>`}
<details><summary>All params (${keys.length}, ${differing.length} differ)</summary><table class="params-all">${head}${keys.map(row).join("\n")}</table></details>`
}

const metricsSection = (a: RunRecord, b: RunRecord): string => {
  const names = union(a.stages.map((s) => s.name), b.stages.map((s) => s.name))
  const rows = names.flatMap((stage) => {
    const ma = a.stages.find((s) => s.name === stage)?.metrics ?? {}
    const mb = b.stages.find((s) => s.name === stage)?.metrics ?? {}
    return union(Object.keys(ma), Object.keys(mb)).map((metric) => {
      const va = ma[metric]
      const vb = mb[metric]
      const both = va !== undefined && vb !== undefined
      const change = both && va !== 0 ? `${signed(((vb - va) / Math.abs(va)) * 100)} %` : ""
      return `<tr><td>${escapeHtml(stage)}</td><td>${escapeHtml(metric)}</td><td>${va === undefined ? "-" : formatMetric(va)}</td><td>${vb === undefined ? "-" : formatMetric(vb)}</td><td>${both ? signed(vb - va) : ""}</td><td>${change}</td></tr>`
    })
  })
  return rows.length === 0 ? "" : `<h2>Metrics</h2><table><tr><th>stage</th><th>metric</th><th>A</th><th>B</th><th>B − A</th><th>change</th></tr>${rows.join("\n")}</table>`
}

const statusCell = (s: StageSide | undefined) =>
  s === undefined ? `<td class="none">not in this run</td>` : `<td class="${s.outcome.status}">${s.outcome.status} ${(s.outcome.durationMs / 1000).toFixed(2)} s${s.outcome.reasons.length > 0 ? `<br><small>${escapeHtml(s.outcome.reasons.join("; "))}</small>` : ""}</td>`

const outputCell = (a: StageSide | undefined, b: StageSide | undefined) => {
  const da = a?.outcome.outputDigest
  const db = b?.outcome.outputDigest
  if (da === undefined || db === undefined) return "<td>-</td>"
  return da === db ? `<td>identical</td>` : `<td class="differs">differs</td>`
}

const sameBytes = (p: string, q: string) => statSync(p).size === statSync(q).size && readFileSync(p).equals(readFileSync(q))

/** Relative URL from the report's folder to a file (each path segment percent-encoded). */
const linkTo = (linkBase: string, file: string) => relative(linkBase, file).split(sep).map(encodeURIComponent).join("/")

const picturePairs = (a: StageSide | undefined, b: StageSide | undefined, linkBase: string): string => {
  const all = union(a?.files, b?.files)
  // a chart a stage wrote as both SVG and PNG is shown once (the SVG)
  const paths = all.filter((f) => PICTURE_FILE.test(f) && !(f.endsWith(".png") && all.includes(`${f.slice(0, -4)}.svg`))).sort()
  const figure = (side: StageSide | undefined, label: string, f: string) =>
    side?.files?.includes(f) === true
      ? `<figure class="side-${label.toLowerCase()}"><img src="${escapeHtml(linkTo(linkBase, join(side.outcome.dir!, f)))}" loading="lazy" alt="${label}: ${escapeHtml(f)}"><figcaption>${label}</figcaption></figure>`
      : `<figure class="side-${label.toLowerCase()} missing"><div>not in ${label}</div><figcaption>${label}</figcaption></figure>`
  return paths
    .map((f) => {
      const identical = a?.files?.includes(f) === true && b?.files?.includes(f) === true && sameBytes(join(a.outcome.dir!, f), join(b.outcome.dir!, f))
      return `<div class="pair" data-path="${escapeHtml(f)}"><div class="path">${escapeHtml(f)}${identical ? ` <small>identical in A and B</small>` : ""}</div>${figure(a, "A", f)}${figure(b, "B", f)}</div>`
    })
    .join("\n")
}

/** One chart per series name, with A's and B's series of that name overlaid. */
const overlaidCharts = (title: string, seriesA: ReadonlyArray<Series>, seriesB: ReadonlyArray<Series>): string[] =>
  union(seriesA.map((s) => s.name), seriesB.map((s) => s.name))
    .filter((name) => !CLOCK_FIELDS.has(name))
    .map((name) => {
      const pair = [
        ...seriesA.filter((s) => s.name === name).map((s) => ({ ...s, name: `A: ${name}`, colour: SIDES.a.colour, dashed: SIDES.a.dashed })),
        ...seriesB.filter((s) => s.name === name).map((s) => ({ ...s, name: `B: ${name}`, colour: SIDES.b.colour, dashed: SIDES.b.dashed })),
      ]
      return renderCurvesSvg(pair, { title: `${title} — ${name}`, width: 540, height: 260 })
    })

const stageCharts = (stage: string, a: StageSide | undefined, b: StageSide | undefined): string[] => {
  const read = (side: StageSide | undefined, f: string, parse: (text: string) => Series[]): Series[] =>
    side?.files?.includes(f) === true ? parse(readFileSync(join(side.outcome.dir!, f), "utf8")) : []
  const smallJson = (side: StageSide | undefined, f: string) => side?.files?.includes(f) === true && statSync(join(side.outcome.dir!, f)).size <= STEP_TABLE_MAX_BYTES
  const files = union(a?.files, b?.files).sort()
  return [
    ...files.filter((f) => f.endsWith(".jsonl")).flatMap((f) => overlaidCharts(`${stage}: ${f}`, read(a, f, seriesFromJsonl), read(b, f, seriesFromJsonl))),
    ...files
      .filter((f) => f.endsWith(".json") && (smallJson(a, f) || smallJson(b, f)))
      .flatMap((f) => overlaidCharts(`${stage}: ${f}`, smallJson(a, f) ? read(a, f, seriesFromStepTable) : [], smallJson(b, f) ? read(b, f, seriesFromStepTable) : [])),
  ]
}

const stageSection = (stage: string, a: StageSide | undefined, b: StageSide | undefined, linkBase: string): string => {
  const gone = [a, b].flatMap((s, i) => (s !== undefined && s.files === undefined && s.outcome.dir !== undefined ? [i === 0 ? "A" : "B"] : []))
  const charts = stageCharts(stage, a, b)
  const pairs = picturePairs(a, b, linkBase)
  if (charts.length === 0 && pairs === "" && gone.length === 0) return ""
  const kind = a?.outcome.stage ?? b?.outcome.stage ?? ""
  return `<section data-stage="${escapeHtml(stage)}"><h2>${escapeHtml(stage)} <small>${escapeHtml(kind)}</small></h2>
${gone.length > 0 ? `<p class="none">Output of ${gone.join(" and ")} is no longer in the store (removed by gc?).</p>` : ""}
${charts.length > 0 ? `<div class="charts">${charts.join("\n")}</div>` : ""}
${pairs !== "" ? `<div class="pairs"><div class="pair head"><div></div><div>A <small>${escapeHtml(a === undefined ? "not in this run" : "")}</small></div><div>B <small>${escapeHtml(b === undefined ? "not in this run" : "")}</small></div></div>${pairs}</div>` : ""}
</section>`
}

const runCell = (r: RunRecord, f: (r: RunRecord) => string) => `<td>${f(r)}</td>`

/**
 * The diff report's HTML for runs `a` and `b`; `linkBase` is the folder the page will live in (links to
 * pictures are relative to it). Reads the stages' output folders (listing, logs, pictures compared byte-wise).
 */
export const renderRunDiffReport = (a: RunRecord, b: RunRecord, linkBase: string): string => {
  const stageNames = union(a.stages.map((s) => s.name), b.stages.map((s) => s.name))
  const sides = stageNames.map((name) => [name, sideOf(a.stages.find((s) => s.name === name)), sideOf(b.stages.find((s) => s.name === name))] as const)
  const header: Array<[string, (r: RunRecord) => string]> = [
    ["run", (r) => `<code>${escapeHtml(r.id)}</code>`],
    ["pipeline", (r) => escapeHtml(r.pipeline)],
    ["status", (r) => `<b class="${r.status}">${r.status}</b>`],
    ["started", (r) => escapeHtml(r.startedAt)],
    ["duration", (r) => `${(r.durationMs / 1000).toFixed(1)} s`],
    ["profile", (r) => (r.profile === null ? "-" : `<code>${escapeHtml(r.profile)}</code>`)],
    ["overrides", (r) => (r.overrides.length === 0 ? "-" : r.overrides.map((o) => `<code>--set ${escapeHtml(o)}</code>`).join(" "))],
    ["host", (r) => `Node ${escapeHtml(r.host.node)}, ${escapeHtml(r.host.platform)}, ${r.host.cpus} CPUs`],
  ]
  const title = a.pipeline === b.pipeline ? a.pipeline : `${a.pipeline} / ${b.pipeline}`
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} — ${escapeHtml(a.id)} vs ${escapeHtml(b.id)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 1140px; color: #222 }
table { border-collapse: collapse; margin: 1em 0 } td, th { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top }
tr.differs td, td.differs { background: #fff5d6 } td.none, p.none { color: #999; font-style: italic }
td.ran { color: #1a7f37 } td.cached { color: #777 } td.failed, td.skipped, td.interrupted, b.failed, b.interrupted { color: #c00 }
.swatch { display: inline-block; width: 22px; height: 0; vertical-align: middle; margin-right: 4px; border-top: 3px solid ${SIDES.a.colour} }
.swatch.b { border-top: 3px dashed ${SIDES.b.colour} }
.charts { display: flex; flex-wrap: wrap; gap: 8px }
.pair { display: grid; grid-template-columns: 180px 1fr 1fr; gap: 12px; align-items: start; margin: 6px 0 } .pair.head { font-weight: 600 }
.path { font: 12px ui-monospace, monospace; word-break: break-all } figure { margin: 0 } figure img { image-rendering: pixelated; max-width: 100%; border: 1px solid #ddd }
figure.missing div { border: 1px dashed #bbb; color: #999; padding: 2em; text-align: center } figcaption { font-size: 12px; color: #666 }
small { color: #777; font-weight: normal }
</style></head><body>
<h1>${escapeHtml(title)} <small>A <code>${escapeHtml(a.id)}</code> vs B <code>${escapeHtml(b.id)}</code></small></h1>
<table class="runs"><tr><th></th><th><span class="swatch a"></span>A</th><th><span class="swatch b"></span>B</th></tr>
${header.map(([k, f]) => `<tr><td>${k}</td>${runCell(a, f)}${runCell(b, f)}</tr>`).join("\n")}</table>
${paramsSection(a, b)}
${metricsSection(a, b)}
<h2>Stages</h2>
<table class="stages"><tr><th>stage</th><th>kind</th><th>A</th><th>B</th><th>output</th></tr>
${sides.map(([name, sa, sb]) => `<tr><td>${escapeHtml(name)}</td><td>${escapeHtml(sa?.outcome.stage ?? sb?.outcome.stage ?? "")}</td>${statusCell(sa)}${statusCell(sb)}${outputCell(sa, sb)}</tr>`).join("\n")}</table>
${sides.map(([name, sa, sb]) => stageSection(name, sa, sb, linkBase)).join("\n")}
</body></html>
`
}

/** The file name of the diff report of runs `a` and `b`. */
export const runDiffReportName = (a: RunRecord, b: RunRecord): string => `diff-${a.id}-vs-${b.id}.html`

/**
 * Write the diff report of `runA` and `runB` into the store (`reports/diff-<idA>-vs-<idB>.html`, written to a
 * temporary name and renamed into place) and return its path.
 */
export const writeRunDiffReport = async (options: { runA: RunRecord; runB: RunRecord; store: Store }): Promise<string> => {
  const dir = join(options.store.root, "reports")
  mkdirSync(dir, { recursive: true })
  const path = join(dir, runDiffReportName(options.runA, options.runB))
  const tmp = `${path}.tmp-${process.pid}`
  writeFileSync(tmp, renderRunDiffReport(options.runA, options.runB, dir))
  renameSync(tmp, path)
  return path
}
