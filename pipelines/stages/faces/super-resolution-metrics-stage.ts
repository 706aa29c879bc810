/**
 * Stage `super-resolution-metrics`: every generator of the SRResNet and SRGAN training stages (each checkpoint and the
 * final one) against the held-out high-resolution faces, as SR papers report them — PSNR and SSIM on the BT.601 Y
 * channel with `scale` pixels cropped from every side (`superResolutionQuality`, equal to scikit-image) — plus FID
 * against the same faces on a seeded random CNN (`fid@random-cnn-seed<k>`, comparable only within this pipeline).
 * The first row is the bicubic baseline (Pillow's BICUBIC up from the same LR inputs). Writes `metrics.json` (rows)
 * and `metrics.md` (a table), and reports every value as a metric (`psnr-y/srgan`, step = training step).
 */
import { startedBackend } from "@ganflow/backend"
import { defineStage, StageEvents, tryAsync, upstream, type UpstreamOutput } from "@ganflow/core"
import { isDataError, normalizeUint8, type UInt8Dataset } from "@ganflow/data"
import { gatherFeatures, metricsBetween, randomCnnExtractor, superResolutionQuality, tensorBatches } from "@ganflow/metrics"
import { loadGeneratorFrom, generatorDir } from "@ganflow/trainers"
import type { RecipeTrainingResult } from "@ganflow/trainers/stages"
import * as tf from "@tensorflow/tfjs-core"
import { type } from "arktype"
import { Effect } from "effect"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { generatorsOf, scaleOf, superResolutionSet, superResolve } from "./super-resolve.ts"

/** One row of the table. */
export interface SuperResolutionRow {
  /** `bicubic`, `srresnet` or `srgan`. */
  readonly model: string
  /** Training step of the generator (0 for bicubic). */
  readonly step: number
  readonly psnr: number
  readonly ssim: number
  readonly fid: number
}

/** What the stage returns. */
export interface SuperResolutionMetricsValue {
  readonly rows: readonly SuperResolutionRow[]
  /** Key of the FID column, e.g. `fid@random-cnn-seed0`. */
  readonly fidKey: string
  readonly images: number
  readonly border: number
}

/** Params of {@link superResolutionMetrics}. */
export const superResolutionMetricsParams = type({
  "+": "reject",
  /** Held-out faces measured. */
  samples: "number.integer >= 2 = 200",
  /** Pixels cropped from every side before PSNR/SSIM; -1 = the scale (the SR papers' choice). */
  border: "number.integer >= -1 = -1",
  /** Y rounding: MATLAB rgb2ycbcr on uint8 (the papers' tables) or float (BasicSR). */
  rounding: "'matlab-uint8' | 'none' = 'matlab-uint8'",
  /** Seed of the random-CNN FID extractor. */
  fidSeed: "number.integer >= 0 = 0",
  batchSize: "number.integer > 0 = 32",
})

const tanhTensor = (ds: UInt8Dataset) => tf.tensor4d(normalizeUint8(ds.data, "tanh"), ds.shape as [number, number, number, number])

/** PSNR/SSIM (Y, border crop) and FID of every SR generator, with the bicubic baseline first. */
export const superResolutionMetrics = defineStage({
  name: "super-resolution-metrics",
  resources: { gpu: 1 },
  version: 1,
  description: "PSNR/SSIM on Y (border crop = scale) and FID of every SRResNet/SRGAN checkpoint vs held-out faces, bicubic baseline",
  params: superResolutionMetricsParams,
  inputs: { data: upstream<unknown>(), srresnet: upstream<RecipeTrainingResult>(), srgan: upstream<RecipeTrainingResult>({ optional: true }) },
  outputs: ["metrics.json", "metrics.md"],
  run: ({ params, inputs, outDir }) =>
    Effect.gen(function* () {
      const { log, metric, progress, env } = yield* StageEvents
      env({ backend: yield* startedBackend })
      const scale = scaleOf(inputs.srresnet)
      const border = params.border < 0 ? scale : params.border
      const set = superResolutionSet(inputs.data, scale, params.samples)
      const [n, H, W, C] = set.highResolution.shape as [number, number, number, number]
      const extractor = randomCnnExtractor([H, W, C], params.fidSeed)
      const statsOf = (ds: UInt8Dataset, source: string) =>
        Effect.gen(function* () {
          const images = tanhTensor(ds)
          return yield* gatherFeatures(extractor, tensorBatches(images, params.batchSize), { source, sourceRange: "[-1,1]", sampleCap: 0 }).pipe(Effect.ensuring(Effect.sync(() => images.dispose())))
        })
      const reference = yield* statsOf(set.highResolution, "held-out faces")
      const measure = (sr: UInt8Dataset, model: string, step: number) =>
        Effect.gen(function* () {
          let psnr = 0, ssim = 0
          const item = H * W * C
          for (let i = 0; i < n; i++) {
            const q = superResolutionQuality(set.highResolution.data.subarray(i * item, (i + 1) * item), sr.data.subarray(i * item, (i + 1) * item), H, W, { border, rounding: params.rounding })
            psnr += q.psnr
            ssim += q.ssim
          }
          const values = yield* metricsBetween(reference, yield* statsOf(sr, model), { metrics: ["fid"] })
          const fid = Object.values(values)[0]!
          const row: SuperResolutionRow = { model, step, psnr: psnr / n, ssim: ssim / n, fid }
          metric(`psnr-y/${model}`, row.psnr, step)
          metric(`ssim-y/${model}`, row.ssim, step)
          metric(`fid/${model}`, row.fid, step)
          return row
        })
      const rows: SuperResolutionRow[] = [yield* measure(set.bicubic, "bicubic", 0)]
      const trainings: Array<[string, UpstreamOutput<RecipeTrainingResult>]> = [["srresnet", inputs.srresnet], ...(inputs.srgan ? [["srgan", inputs.srgan] as [string, UpstreamOutput<RecipeTrainingResult>]] : [])]
      const all = trainings.flatMap(([model, training]) => generatorsOf(training).map((g) => ({ model, training, ...g })))
      for (const [k, g] of all.entries()) {
        progress({ step: k, total: all.length, message: `${g.model} step ${g.step}` })
        const generator = yield* tryAsync(() => loadGeneratorFrom(generatorDir(g.training, g.id)), isDataError)
        const sr = superResolve(generator, set.lowResolution, params.batchSize)
        generator.dispose()
        rows.push(yield* measure(sr, g.model, g.step))
      }
      extractor.dispose()
      const fidKey = `fid@${extractor.name}`
      const table = [
        `| model | step | PSNR-Y (dB) | SSIM-Y | ${fidKey} |`, "| --- | ---: | ---: | ---: | ---: |",
        ...rows.map((r) => `| ${r.model} | ${r.step} | ${r.psnr.toFixed(2)} | ${r.ssim.toFixed(4)} | ${r.fid.toFixed(4)} |`),
      ].join("\n")
      writeFileSync(join(outDir, "metrics.json"), JSON.stringify({ rows, fidKey, images: n, border, scale }, null, 1))
      writeFileSync(join(outDir, "metrics.md"), `${n} held-out faces, x${scale}, border ${border}, Y = BT.601 (${params.rounding})\n\n${table}\n`)
      log(`\n${table}`)
      const value: SuperResolutionMetricsValue = { rows, fidKey, images: n, border }
      return value
    }),
})
