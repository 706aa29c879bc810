/**
 * Stage `render-super-resolution`: strips of held-out faces, one row per face — LR (its pixels enlarged) | bicubic |
 * SRResNet | SRGAN | HR — for the final generators (`strips.png`) and for every SRGAN checkpoint
 * (`checkpoints/<id>.png`, SRResNet's final generator in its column), so the pictures follow adversarial training.
 */
import { startedBackend } from "@ganflow/backend"
import { defineStage, StageEvents, tryAsync, upstream } from "@ganflow/core"
import { isDataError, type UInt8Dataset } from "@ganflow/data"
import { FINAL_GENERATOR, generatorDir, loadGeneratorFrom } from "@ganflow/trainers"
import type { RecipeTrainingResult } from "@ganflow/trainers/stages"
import { encodeRgbPng, layoutGrid } from "@ganflow/viz"
import { type } from "arktype"
import { Effect } from "effect"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { generatorsOf, scaleOf, superResolutionSet, superResolve } from "./super-resolve.ts"

/** Params of {@link renderSuperResolution}. */
export const renderSuperResolutionParams = type({
  "+": "reject",
  /** Faces (rows) per strip. */
  count: "number.integer >= 1 = 6",
  /** Integer upscale of each pixel. */
  scale: "number.integer >= 1 = 2",
})

/** Nearest-neighbour enlargement by an integer factor (how LR inputs are shown beside the reconstructions). */
const enlarge = (ds: UInt8Dataset, factor: number): UInt8Dataset => {
  const [n, h, w, c] = ds.shape as [number, number, number, number]
  const H = h * factor, W = w * factor
  const data = new Uint8Array(n * H * W * c)
  for (let i = 0; i < n; i++)
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const from = ((i * h + Math.floor(y / factor)) * w + Math.floor(x / factor)) * c
        data.set(ds.data.subarray(from, from + c), ((i * H + y) * W + x) * c)
      }
  return { kind: "images", shape: [n, H, W, c], data, meta: {} }
}

/** Interleaves columns: row r holds image r of every column, left to right. */
const strip = (columns: readonly UInt8Dataset[]) => {
  const [n, h, w, c] = columns[0]!.shape as [number, number, number, number]
  const item = h * w * c
  const pixels = new Uint8Array(n * columns.length * item)
  for (let r = 0; r < n; r++) columns.forEach((col, k) => pixels.set(col.data.subarray(r * item, (r + 1) * item), (r * columns.length + k) * item))
  return { count: n * columns.length, height: h, width: w, channels: c as 3, pixels }
}

/** LR | bicubic | SRResNet | SRGAN | HR strips, final and per SRGAN checkpoint. */
export const renderSuperResolution = defineStage({
  name: "render-super-resolution",
  resources: { gpu: 1 },
  version: 1,
  description: "LR | bicubic | SRResNet | SRGAN | HR strips of held-out faces, final and per SRGAN checkpoint",
  params: renderSuperResolutionParams,
  inputs: { data: upstream<unknown>(), srresnet: upstream<RecipeTrainingResult>(), srgan: upstream<RecipeTrainingResult>() },
  outputs: ["strips.png"],
  run: ({ params, inputs, outDir }) =>
    Effect.gen(function* () {
      const { env } = yield* StageEvents
      env({ backend: yield* startedBackend })
      return yield* tryAsync(async () => {
        const factor = scaleOf(inputs.srresnet)
        const set = superResolutionSet(inputs.data, factor, params.count)
        const run = async (training: typeof inputs.srgan, id: string) => {
          const generator = await loadGeneratorFrom(generatorDir(training, id))
          try {
            return superResolve(generator, set.lowResolution)
          } finally {
            generator.dispose()
          }
        }
        const pretrained = await run(inputs.srresnet, FINAL_GENERATOR)
        const lr = enlarge(set.lowResolution, factor)
        const write = async (file: string, sr: UInt8Dataset) => {
          const grid = layoutGrid(strip([lr, set.bicubic, pretrained, sr, set.highResolution]), { columns: 5, scale: params.scale })
          writeFileSync(join(outDir, file), await encodeRgbPng(grid))
        }
        mkdirSync(join(outDir, "checkpoints"), { recursive: true })
        const written: string[] = []
        for (const g of generatorsOf(inputs.srgan)) {
          const file = g.id === FINAL_GENERATOR ? "strips.png" : `checkpoints/${g.id}.png`
          await write(file, await run(inputs.srgan, g.id))
          written.push(file)
        }
        return { strips: written, columns: ["LR", "bicubic", "SRResNet", "SRGAN", "HR"], rows: set.highResolution.shape[0]! }
      }, isDataError)
    }),
})
