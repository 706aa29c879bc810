/**
 * Curves over steps (D/G losses, FID/KID over checkpoints) as a standalone SVG, and as PNG through sharp's
 * SVG renderer (`svg-to-png.ts`, kept apart so drawing an SVG needs no sharp). Series are drawn on a shared x axis (steps) with "nice" ticks; a log y axis is available for
 * metrics like FID that fall over orders of magnitude.
 */
import { escapeHtml } from "./html-escape.ts"

/** A named series of (step, value) points, optionally with its own colour (CSS) and a dashed line. */
export interface Series {
  readonly name: string
  readonly points: ReadonlyArray<readonly [step: number, value: number]>
  /** Line colour; default: the next colour of the palette. */
  readonly colour?: string
  /** Draw the line dashed (e.g. the second run of a comparison). */
  readonly dashed?: boolean
  /** A shaded band around the line, `[step, low, high]` (the min–max over seeds of a sweep's configuration). */
  readonly band?: ReadonlyArray<readonly [step: number, low: number, high: number]>
}

/** Chart options. */
export interface ChartOptions {
  readonly title?: string
  readonly yLabel?: string
  readonly width?: number
  readonly height?: number
  readonly logY?: boolean
}

const palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

const niceTicks = (lo: number, hi: number, count = 5): number[] => {
  if (!(hi > lo)) return [lo]
  const raw = (hi - lo) / count
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw
  const out: number[] = []
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)))
  return out
}

const fmt = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(1) : String(Number(v.toPrecision(4))))

/** Render series as an SVG document. Non-finite values are skipped (a diverged loss leaves a gap). */
export const renderCurvesSvg = (series: ReadonlyArray<Series>, options: ChartOptions = {}): string => {
  const W = options.width ?? 640
  const H = options.height ?? 360
  const m = { l: 64, r: 16, t: options.title !== undefined ? 34 : 14, b: 44 }
  const bandPoints = series.flatMap((s) => (s.band ?? []).flatMap(([x, lo, hi]) => [[x, lo], [x, hi]] as const))
  const pts = [...series.flatMap((s) => s.points), ...bandPoints].filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!options.logY || y > 0))
  const xs = pts.map(([x]) => x)
  const ys = pts.map(([, y]) => (options.logY ? Math.log10(y) : y))
  const x0 = xs.length > 0 ? Math.min(...xs) : 0
  const x1 = xs.length > 0 ? Math.max(...xs) : 1
  let y0 = ys.length > 0 ? Math.min(...ys) : 0
  let y1 = ys.length > 0 ? Math.max(...ys) : 1
  if (y1 - y0 < 1e-12) {
    y0 -= 0.5
    y1 += 0.5
  }
  const pad = (y1 - y0) * 0.05
  y0 -= pad
  y1 += pad
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0 || 1)) * (W - m.l - m.r)
  const sy = (y: number) => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b)
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Arial, sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
  ]
  if (options.title !== undefined) parts.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${escapeHtml(options.title)}</text>`)
  for (const t of niceTicks(x0, x1)) {
    parts.push(`<line x1="${sx(t)}" x2="${sx(t)}" y1="${m.t}" y2="${H - m.b}" stroke="#eee"/><text x="${sx(t)}" y="${H - m.b + 16}" text-anchor="middle">${fmt(t)}</text>`)
  }
  for (const t of niceTicks(y0, y1)) {
    const label = options.logY ? fmt(10 ** t) : fmt(t)
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${sy(t)}" y2="${sy(t)}" stroke="#eee"/><text x="${m.l - 6}" y="${sy(t) + 4}" text-anchor="end">${label}</text>`)
  }
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#888"/>`)
  parts.push(`<text x="${(W + m.l) / 2}" y="${H - 8}" text-anchor="middle">step</text>`)
  if (options.yLabel !== undefined) parts.push(`<text transform="translate(14 ${(H + m.t - m.b) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(options.yLabel)}${options.logY ? " (log)" : ""}</text>`)
  const legend: string[] = []
  series.forEach((s, i) => {
    const colour = s.colour ?? palette[i % palette.length]!
    const band = (s.band ?? []).filter(([x, lo, hi]) => Number.isFinite(x) && Number.isFinite(lo) && Number.isFinite(hi) && (!options.logY || lo > 0))
    if (band.length > 1) {
      const y = (v: number) => sy(options.logY ? Math.log10(v) : v).toFixed(1)
      const outline = [...band.map(([x, , hi]) => `${sx(x).toFixed(1)},${y(hi)}`), ...[...band].reverse().map(([x, lo]) => `${sx(x).toFixed(1)},${y(lo)}`)]
      parts.push(`<polygon fill="${colour}" fill-opacity="0.18" stroke="none" points="${outline.join(" ")}"/>`)
    }
    const dash = s.dashed === true ? ` stroke-dasharray="6 4"` : ""
    const segments: string[][] = [[]]
    for (const [x, y] of s.points) {
      if (!Number.isFinite(y) || (options.logY && y <= 0)) {
        segments.push([])
        continue
      }
      segments.at(-1)!.push(`${sx(x).toFixed(1)},${sy(options.logY ? Math.log10(y) : y).toFixed(1)}`)
    }
    for (const seg of segments) {
      if (seg.length > 1) parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="1.5"${dash} points="${seg.join(" ")}"/>`)
      if (seg.length === 1) parts.push(`<circle cx="${seg[0]!.split(",")[0]}" cy="${seg[0]!.split(",")[1]}" r="2.5" ${s.dashed === true ? `fill="white" stroke="${colour}"` : `fill="${colour}"`}/>`)
    }
    const key =
      s.dashed === true
        ? `<line x1="${m.l + 8}" x2="${m.l + 24}" y1="${m.t + 9.5 + i * 16}" y2="${m.t + 9.5 + i * 16}" stroke="${colour}" stroke-width="2" stroke-dasharray="4 3"/>`
        : `<rect x="${m.l + 10}" y="${m.t + 8 + i * 16}" width="12" height="3" fill="${colour}"/>`
    legend.push(`${key}<text x="${m.l + 27}" y="${m.t + 13 + i * 16}">${escapeHtml(s.name)}</text>`)
  })
  // a white backing keeps the legend readable where curves pass under it (losses start high at the left)
  if (series.length > 0) {
    const legendW = 32 + 6.5 * Math.max(...series.map((s) => s.name.length))
    parts.push(`<rect x="${m.l + 4}" y="${m.t + 3}" width="${legendW.toFixed(0)}" height="${series.length * 16 + 4}" fill="white" fill-opacity="0.8"/>`)
  }
  parts.push(...legend)
  parts.push("</svg>")
  return parts.join("\n")
}

