/**
 * Stage `render-voxels`: pictures of what a 3D-GAN learned, drawn like the seed's matplotlib `ax.voxels` (shaded
 * isometric voxels, value > threshold is solid) on a floor with footprints, so floating parts show:
 *
 * - `samples.png`: `count` shapes from the final generator, one fixed seeded latent batch, `columns` per row;
 * - `views.png`: the first `viewShapes` of those shapes, one per row, each from every angle in `views`;
 * - `real.png`: `count` training shapes (evenly spaced through the dataset) for comparison;
 * - when the trainer exported checkpoint generators: `checkpoints/<id>.png` (the same latents at each checkpoint)
 *   and `progress.png` (one row per checkpoint, oldest first, then the final generator; first `columns` latents).
 *
 * It reads the training output and the dataset only, so changing these params (or this code) reruns the
 * renders and never the training.
 */
import type { TrainGanResult } from "@ganflow/trainers/stages"
import { startedBackend } from "@ganflow/backend"
import { defineStage, upstream, trySync, tryAsync, StageEvents } from "@ganflow/core"
import { datasetItemSize, isDataError } from "@ganflow/data"
import { readUpstreamDataset, type DatasetStageValue } from "@ganflow/data/stages"
import { renderVoxelSheet, type VoxelGrid } from "@ganflow/viz"
import { type } from "arktype"
import { Effect } from "effect"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { generateVolumes, generatorsOf, type GeneratedVolumes } from "./generator-volumes.ts"
import { upright } from "./render-axes.ts"

/** Params of {@link renderVoxelsStage}. */
export const renderVoxelsParams = type({
  "+": "reject",
  /** A voxel is drawn when the generator's occupancy is above this (the seed: 0.5). */
  threshold: "0 < number < 1 = 0.5",
  /** Shapes in `samples.png`, `real.png` and each checkpoint sheet. */
  count: "number.integer >= 1 = 16",
  /** Shapes per row of the sheets (and latents per row of `progress.png`). */
  columns: "number.integer >= 1 = 8",
  /** Quarter turns about the vertical axis drawn in `views.png` (0: front-left corner). */
  views: [type("(0 | 1 | 2 | 3)[] > 0"), "=", () => [0, 1, 2, 3] as Array<0 | 1 | 2 | 3>],
  /** Shapes (rows) in `views.png`. */
  viewShapes: "number.integer >= 1 = 3",
  /** Seed of the latent batch. */
  seed: "number.integer >= 0 = 0",
  /** Pixels per voxel edge; 0 picks one that makes each shape ~250 px wide. */
  voxelSize: "number.integer >= 0 = 0",
  /** Draw the floor and footprints. */
  ground: "boolean = true",
  /** Render each checkpoint's generator too (when the training output has them). */
  checkpoints: "boolean = true",
  /** Latents per generator forward pass. */
  batchSize: "number.integer >= 1 = 8",
})

/** What {@link renderVoxelsStage} returns. */
export interface RenderVoxelsValue {
  readonly [key: string]: unknown
  /** Files written, relative to the stage's output folder. */
  readonly files: readonly string[]
  /** Generators drawn: checkpoint ids, then `final`. */
  readonly generators: readonly string[]
  /** Mean fraction of solid voxels in the final generator's samples and in the training shapes drawn. */
  readonly occupancy: { readonly generated: number; readonly real: number }
}

const solidFraction = (values: ArrayLike<number>, threshold: number): number => {
  let solid = 0
  for (let i = 0; i < values.length; i++) if (values[i]! > threshold) solid++
  return values.length === 0 ? 0 : solid / values.length
}

const shapesOf = (volumes: GeneratedVolumes, count: number): VoxelGrid[] =>
  Array.from({ length: Math.min(count, volumes.count) }, (_, i) => upright(volumes.values, volumes.size, i * volumes.size ** 3))

/** Renders generated and training shapes of a 3D-GAN as PNG sheets. */
export const renderVoxelsStage = defineStage({
  name: "render-voxels",
  resources: { gpu: 1 }, // tensor maths: shares `--gpus` when the backend is a GPU
  version: 1,
  description: "shaded isometric renders of generated voxel shapes (fixed latents, every checkpoint) and of training shapes",
  params: renderVoxelsParams,
  inputs: { training: upstream<TrainGanResult>(), dataset: upstream<DatasetStageValue>() },
  outputs: ["samples.png", "views.png", "real.png"],
  run: (ctx) =>
    Effect.gen(function* () {
      const events = yield* StageEvents
      const { params, inputs, outDir } = ctx
      events.env({ backend: yield* startedBackend })
      const style = { threshold: params.threshold, ground: params.ground, ...(params.voxelSize > 0 ? { voxelSize: params.voxelSize } : {}) }
      const files: string[] = []
      const write = (name: string, png: Buffer) => {
        writeFileSync(join(outDir, name), png)
        files.push(name)
      }
      const { checkpoints, final } = generatorsOf(inputs.training)
      const drawn = params.checkpoints ? [...checkpoints, final] : [final]
      const perGenerator = Math.max(params.count, params.viewShapes, params.columns)
      const rows: VoxelGrid[] = []
      let finalVolumes: GeneratedVolumes | undefined
      for (const [i, generator] of drawn.entries()) {
        events.progress({ step: i, total: drawn.length, message: generator.id })
        const volumes = yield* tryAsync(
          () => generateVolumes(generator.dir, { count: perGenerator, seed: params.seed, batchSize: params.batchSize }),
          isDataError,
        )
        rows.push(...shapesOf(volumes, params.columns))
        if (generator === final) finalVolumes = volumes
        else {
          mkdirSync(join(outDir, "checkpoints"), { recursive: true })
          write(`checkpoints/${generator.id}.png`, yield* Effect.promise(() => renderVoxelSheet(shapesOf(volumes, params.count), { ...style, columns: params.columns })))
        }
      }
      const volumes = finalVolumes!
      write("samples.png", yield* Effect.promise(() => renderVoxelSheet(shapesOf(volumes, params.count), { ...style, columns: params.columns })))
      write("views.png", yield* Effect.promise(() => renderVoxelSheet(shapesOf(volumes, params.viewShapes), { ...style, views: params.views })))
      if (drawn.length > 1) write("progress.png", yield* Effect.promise(() => renderVoxelSheet(rows, { ...style, columns: params.columns })))

      const ds = yield* trySync(() => readUpstreamDataset(inputs.dataset), isDataError)
      const n = ds.shape[0] ?? 0
      const edge = ds.shape[1] ?? 0
      const item = datasetItemSize(ds)
      const picked = Array.from({ length: Math.min(params.count, n) }, (_, k) => Math.floor((k * n) / Math.min(params.count, n)))
      const real = picked.map((i) => upright(ds.data, edge, i * item))
      write("real.png", yield* Effect.promise(() => renderVoxelSheet(real, { ...style, threshold: 0.5, columns: params.columns })))

      const occupancy = {
        generated: solidFraction(volumes.values.subarray(0, params.count * volumes.size ** 3), params.threshold),
        real: picked.reduce((sum, i) => sum + solidFraction(ds.data.subarray(i * item, (i + 1) * item), 0.5), 0) / Math.max(1, picked.length),
      }
      events.metric("occupancy_generated", occupancy.generated, final.step)
      events.metric("occupancy_real", occupancy.real)
      events.log(`${files.length} pictures from ${drawn.map((g) => g.id).join(", ")}; solid voxels: generated ${(100 * occupancy.generated).toFixed(1)}%, real ${(100 * occupancy.real).toFixed(1)}%`)
      return { files, generators: drawn.map((g) => g.id), occupancy } satisfies RenderVoxelsValue
    }),
})
