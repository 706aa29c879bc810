/**
 * The run report: one static HTML page per run with the run's params, lineage (which stage read which, what
 * was cached and why the rest ran), stage timings, metrics, curves read from the stages' JSONL logs, and every
 * picture the stages wrote (sample grids per checkpoint, GIFs, renders). Pictures are linked from the store's
 * read-only output folders, so the report is small and opens from the file system.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"
import type { RunRecord, Store } from "@ganflow/core"
import { escapeHtml, renderCurvesSvg, type Series } from "@ganflow/viz"
import { formatMetric } from "./metric-format.ts"
import { listOutputFiles, PICTURE_FILE } from "./output-files.ts"
import { runParams } from "./run-params.ts"



/** Series from a JSONL log: one series per numeric field, against `step` (or the line number). */
export const seriesFromJsonl = (text: string): Series[] => {
  const byName = new Map<string, Array<[number, number]>>()
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return
    let row: Record<string, unknown>
    try {
      row = JSON.parse(line) as Record<string, unknown>
    } catch {
      return
    }
    const step = typeof row["step"] === "number" ? row["step"] : i
    for (const [k, v] of Object.entries(row)) {
      if (k === "step" || typeof v !== "number") continue
      if (!byName.has(k)) byName.set(k, [])
      byName.get(k)!.push([step, v])
    }
  })
  return [...byName].map(([name, points]) => ({ name, points }))
}

/** The report's HTML for `run`; `linkBase` is the folder the page will live in (for relative links). */
export const renderRunReport = (run: RunRecord, linkBase: string): string => {
  const rows = run.stages
    .map(
      (s) => `<tr class="${s.status}"><td>${escapeHtml(s.name)}</td><td>${escapeHtml(s.stage)}</td><td>${(s.upstreams ?? []).map(escapeHtml).join(", ")}</td><td>${s.status}</td><td>${(s.durationMs / 1000).toFixed(2)} s</td><td>${escapeHtml(s.reasons.join("; "))}</td><td><code>${escapeHtml((s.key ?? "").slice(0, 12))}</code></td></tr>`,
    )
    .join("\n")
  const params = [...runParams(run)].map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td><code>${escapeHtml(v)}</code></td></tr>`).join("\n")
  const metrics = run.stages
    .flatMap((s) => Object.entries(s.metrics).map(([k, v]) => `<tr><td>${escapeHtml(s.name)}</td><td>${escapeHtml(k)}</td><td>${formatMetric(v)}</td></tr>`))
    .join("\n")
  // a stage whose outputs `ganflow gc` removed since: say so rather than silently showing fewer pictures
  const gone = run.stages.filter((s) => s.dir !== undefined && !existsSync(s.dir))
  const goneNote =
    gone.length === 0
      ? ""
      : `<section class="gone"><h2>Outputs no longer in the store</h2><p>The outputs of ${gone.map((s) => `<code>${escapeHtml(s.name)}</code>`).join(", ")} were removed (by <code>ganflow gc</code>) after this run, so their pictures are gone from this report. Rerun the pipeline with the same params to recompute them.</p></section>`
  const sections = run.stages
    .filter((s) => s.dir !== undefined && existsSync(s.dir))
    .map((s) => {
      const all = listOutputFiles(s.dir!)
      const present = new Set(all)
      // a chart written as SVG and PNG is shown once
      const files = all.filter((f) => !(f.endsWith(".svg") && present.has(f.replace(/\.svg$/, ".png"))))
      const charts = files
        .filter((f) => f.endsWith(".jsonl"))
        .flatMap((f) => {
          const series = seriesFromJsonl(readFileSync(join(s.dir!, f), "utf8"))
          return series.length === 0 ? [] : [renderCurvesSvg(series, { title: `${s.name}: ${f}`, width: 720, height: 300 })]
        })
      // metrics recorded per step (FID/KID per checkpoint, say): one chart per metric
      for (const [name, points] of Object.entries(s.metricSeries ?? {})) {
        if (points.length > 1) charts.push(renderCurvesSvg([{ name, points }], { title: `${s.name}: ${name}`, width: 720, height: 300 }))
      }
      const imgs = files
        .filter((f) => PICTURE_FILE.test(f))
        .map((f) => `<figure><img src="${escapeHtml(relative(linkBase, join(s.dir!, f)))}" loading="lazy"><figcaption>${escapeHtml(f)}</figcaption></figure>`)
      if (charts.length === 0 && imgs.length === 0) return ""
      return `<section><h2>${escapeHtml(s.name)} <small>${escapeHtml(s.stage)}</small></h2>${charts.join("\n")}<div class="pictures">${imgs.join("\n")}</div></section>`
    })
    .join("\n")
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(run.pipeline)} — ${escapeHtml(run.id)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222 }
table { border-collapse: collapse; margin: 1em 0 } td, th { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top }
tr.cached td:nth-child(4) { color: #777 } tr.ran td:nth-child(4) { color: #1a7f37; font-weight: 600 } tr.failed td:nth-child(4), tr.skipped td:nth-child(4) { color: #c00; font-weight: 600 }
.pictures { display: flex; flex-wrap: wrap; gap: 12px } figure { margin: 0 } figure img { image-rendering: pixelated; max-width: 520px; border: 1px solid #ddd } figcaption { font-size: 12px; color: #666 }
small { color: #777; font-weight: normal } .gone { color: #a40 }
</style></head><body>
<h1>${escapeHtml(run.pipeline)} <small>${escapeHtml(run.id)}</small></h1>
<p>Status <b>${run.status}</b>, started ${escapeHtml(run.startedAt)}, ${(run.durationMs / 1000).toFixed(1)} s. ${run.profile !== null ? `Profile <code>${escapeHtml(run.profile)}</code>. ` : ""}${run.overrides.length > 0 ? `Overrides: ${run.overrides.map((o) => `<code>--set ${escapeHtml(o)}</code>`).join(" ")}.` : ""} Node ${escapeHtml(run.host.node)} on ${escapeHtml(run.host.platform)}, ${run.host.cpus} CPUs.</p>
<h2>Stages</h2>
<table><tr><th>stage</th><th>kind</th><th>reads</th><th>status</th><th>time</th><th>why it ran</th><th>key</th></tr>
${rows}</table>
${metrics !== "" ? `<h2>Metrics</h2><table><tr><th>stage</th><th>metric</th><th>value</th></tr>${metrics}</table>` : ""}
<h2>Params</h2><table>${params}</table>
${goneNote}
${sections}
</body></html>
`
}

/** Write the report of `run` into the store (`reports/<id>.html`) and return its path. */
export const writeRunReport = async (options: { run: RunRecord; store: Store }): Promise<string> => {
  const dir = join(options.store.root, "reports")
  mkdirSync(dir, { recursive: true })
  const path = join(dir, `${options.run.id}.html`)
  writeFileSync(path, renderRunReport(options.run, dir))
  return path
}
