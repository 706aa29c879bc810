/**
 * Stage `render-curves`: the training curves of a `train-gan` stage (D and G losses from `steps.jsonl`, smoothed
 * with a trailing moving average; the gradient penalty when there is one) and, with a `metrics` upstream, the
 * checkpoint metrics over steps (one chart per metric, `fid.png`, `kid.png`…: FID and KID differ by orders of
 * magnitude). SVG and PNG. When the metrics stage had held-out real data, each metric chart also draws its floor
 * (the held-out real images' value against the same reference) as a dashed line.
 */
import { isDataError } from "@ganflow/data"
import { defineStage, upstream, tryAsync } from "@ganflow/core"
import { CHECKPOINT_METRICS_FILE, METRICS_FLOOR_FILE, type CheckpointMetricsRow, type CheckpointMetricsValue, type MetricsFloor } from "@ganflow/metrics/stages"
import type { RecipeTrainingResult } from "@ganflow/trainers/stages"
import { readStepLog } from "@ganflow/trainers"
import { renderCurvesSvg, svgToPng, type Series } from "@ganflow/viz"
import { type } from "arktype"
import { Effect } from "effect"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"

/** Params of {@link renderCurves}. */
export const renderCurvesParams = type({
  "+": "reject",
  /** Steps in the trailing moving average of the losses (1 = raw). */
  smoothing: "number.integer >= 1 = 25",
  width: "number.integer >= 200 = 720",
  height: "number.integer >= 120 = 320",
})

/** Trailing moving average over `window` points. */
export const movingAverage = (points: ReadonlyArray<readonly [number, number]>, window: number): Array<[number, number]> => {
  let sum = 0
  return points.map(([x, y], i) => {
    sum += y
    if (i >= window) sum -= points[i - window]![1]
    return [x, sum / Math.min(i + 1, window)]
  })
}

/** Loss and metric curves of a training stage. */
export const renderCurves = defineStage({
  name: "render-curves",
  version: 1,
  description: "D/G loss curves and checkpoint metric curves as SVG and PNG",
  params: renderCurvesParams,
  inputs: { training: upstream<RecipeTrainingResult>(), metrics: upstream<CheckpointMetricsValue>({ optional: true }) },
  outputs: ["losses.svg", "losses.png"],
  run: ({ params, inputs, outDir }) =>
    tryAsync(
      async () => {
        const steps = readStepLog(inputs.training.path("steps.jsonl"))
        const size = { width: params.width, height: params.height }
        const smoothed = (name: string, pick: (r: (typeof steps)[number]) => number | undefined): Series[] => {
          const raw = steps.flatMap((r) => (pick(r) === undefined ? [] : [[r.step, pick(r)!] as const]))
          return raw.length === 0 ? [] : [{ name, points: movingAverage(raw, params.smoothing) }]
        }
        const losses = [...smoothed("discriminator", (r) => r.dLoss), ...smoothed("generator", (r) => r.gLoss), ...smoothed("gradient penalty", (r) => r.gradientPenalty)]
        const window = params.smoothing > 1 ? ` (moving average of ${params.smoothing} steps)` : ""
        const lossSvg = renderCurvesSvg(losses, { ...size, title: `${inputs.training.stage}: losses${window}`, yLabel: "loss" })
        writeFileSync(join(outDir, "losses.svg"), lossSvg)
        writeFileSync(join(outDir, "losses.png"), await svgToPng(lossSvg))
        const charts = ["losses"]
        if (inputs.metrics !== undefined) {
          const rows = JSON.parse(readFileSync(inputs.metrics.path(CHECKPOINT_METRICS_FILE), "utf8")) as CheckpointMetricsRow[]
          const floorFile = inputs.metrics.path(METRICS_FLOOR_FILE)
          const floor = existsSync(floorFile) ? (JSON.parse(readFileSync(floorFile, "utf8")) as MetricsFloor | null) : null
          // one chart per metric; spreads (kid-std) are not plotted on their own
          const names = [...new Set(rows.flatMap((r) => Object.keys(r.values)))].filter((n) => !/-std\b/.test(n))
          for (const name of names) {
            const points = rows.flatMap((r) => (r.values[name] === undefined ? [] : [[r.step, r.values[name]!] as const]))
            // `fid@random-cnn-seed0` -> fid.png (the full key is the chart's title)
            const file = name.split("@")[0]!.replace(/[^A-Za-z0-9_.-]+/g, "_")
            const floorValue = floor?.values[name]
            const floorLine: Series[] =
              floorValue === undefined || points.length === 0
                ? []
                : [{ name: `held-out real (${floor!.images} images): ${floorValue.toPrecision(3)}`, points: [[points[0]![0], floorValue], [points.at(-1)![0], floorValue]], colour: "#555", dashed: true }]
            const svg = renderCurvesSvg([{ name, points }, ...floorLine], { ...size, title: `${inputs.metrics.stage}: ${name} over checkpoints`, yLabel: name })
            writeFileSync(join(outDir, `${file}.svg`), svg)
            writeFileSync(join(outDir, `${file}.png`), await svgToPng(svg))
            charts.push(file)
          }
        }
        return { charts, steps: steps.length }
      },
      isDataError,
    ),
})
