/**
 * Stage `render-samples`: pictures of a `train-gan` stage's generators from one fixed, seeded latent batch —
 * `grid.png` (the final generator), `checkpoints/<id>.png` (every snapshot, same latents) and `progress.gif`
 * (those grids as frames, so training can be watched) and `interpolation.png` (slerp walks between seeded latents
 * through the final generator, one walk per row). Conditional generators get one row per class.
 * Rendering params change only this stage, never the training. With a `checkpoint` input (a select-checkpoint
 * stage), `grid.png` and the interpolation strip come from the selected snapshot instead of the final generator.
 */
import type { TrainGanResult } from "@ganflow/trainers/stages"
import { isDataError } from "@ganflow/data"
import { startedBackend } from "@ganflow/backend"
import { defineStage, upstream, StageEvents, tryAsync } from "@ganflow/core"
import { disposeGeneratorInputs, generate, selectedGeneratorId, type SelectedCheckpoint, generatorDescriptionOf, generatorInputs, loadGenerator, readGeneratorSnapshots } from "@ganflow/trainers"
import { encodeProgressGif, encodeRgbPng, imagesFromFloats, interpolationLatentBatch, layoutGrid, renderInterpolationStrip, type RgbFrame } from "@ganflow/viz"
import * as tf from "@tensorflow/tfjs-core"
import { type } from "arktype"
import { Effect } from "effect"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"

/** Params of {@link renderSamples}. */
export const renderSamplesParams = type({
  "+": "reject",
  /** Images per grid (conditional models: rounded up to whole rows, one row per class). */
  count: "number.integer >= 1 = 64",
  /** Seed of the fixed latent batch. */
  seed: "number.integer >= 0 = 0",
  /** Images per row; 0 = square-ish (conditional: count / classes). */
  columns: "number.integer >= 0 = 0",
  /** Integer upscale of each pixel. */
  scale: "number.integer >= 1 = 2",
  /** Milliseconds per GIF frame (the last is held 3x). */
  frameMs: "number.integer >= 20 = 400",
  /** Latent walks in the interpolation strip (rows), 0 = no strip. */
  interpolationRows: "number.integer >= 0 = 6",
  /** Images per walk, both ends included (columns). */
  interpolationSteps: "number.integer >= 2 = 10",
  interpolationMode: "'slerp' | 'linear' = 'slerp'",
})

/** Grids per checkpoint, the final grid and the progress GIF of a train-gan stage. */
export const renderSamples = defineStage({
  name: "render-samples",
  resources: { gpu: 1 }, // tensor maths: shares `--gpus` when the backend is a GPU
  version: 1,
  description: "sample grids of every checkpoint from a fixed latent batch, and the progress GIF",
  params: renderSamplesParams,
  inputs: { training: upstream<TrainGanResult>(), checkpoint: upstream<SelectedCheckpoint>({ optional: true }) },
  outputs: ["grid.png", "progress.gif"],
  run: ({ params, inputs, outDir }) =>
    Effect.gen(function* () {
      const { progress, env } = yield* StageEvents
      env({ backend: yield* startedBackend })
      return yield* tryAsync(
        async () => {
          const description = generatorDescriptionOf(inputs.training)
          if (description.sampleShape.length !== 3) throw new Error(`render-samples draws images; ${inputs.training.stage} generates [${description.sampleShape}] samples`)
          const classes = description.numClasses
          const columns = params.columns > 0 ? params.columns : classes !== null ? Math.ceil(params.count / classes) : Math.ceil(Math.sqrt(params.count))
          const count = classes !== null ? columns * classes : params.count
          const inputsOf = generatorInputs(description, count, params.seed, classes !== null ? columns : undefined)
          const [h, w, c] = description.sampleShape as [number, number, number]
          const gridOf = async (id: string): Promise<RgbFrame> => {
            const generator = await loadGenerator(inputs.training, id)
            try {
              const images = generate(generator, inputsOf)
              const pixels = await images.data<"float32">()
              images.dispose()
              return layoutGrid(imagesFromFloats(pixels, [count, h, w, c], description.outputRange), { columns, scale: params.scale })
            } finally {
              generator.dispose()
            }
          }
          try {
            const snapshots = readGeneratorSnapshots(inputs.training.dir)
            const frames: RgbFrame[] = []
            mkdirSync(join(outDir, "checkpoints"), { recursive: true })
            for (const [i, snapshot] of snapshots.entries()) {
              progress({ step: i, total: snapshots.length + 1, message: snapshot.id })
              const frame = await gridOf(snapshot.id)
              writeFileSync(join(outDir, "checkpoints", `${snapshot.id}.png`), await encodeRgbPng(frame))
              frames.push(frame)
            }
            // the selected snapshot when a selection stage is bound, else the final generator
            const shown = selectedGeneratorId(inputs.checkpoint)
            const final = await gridOf(shown)
            writeFileSync(join(outDir, "grid.png"), await encodeRgbPng(final))
            writeFileSync(join(outDir, "progress.gif"), encodeProgressGif(frames.length > 0 ? frames : [final], params.frameMs))
            if (params.interpolationRows > 0) {
              const { interpolationRows: rows, interpolationSteps: steps, interpolationMode: mode } = params
              const latents = tf.tensor2d(interpolationLatentBatch({ latentDim: description.latentDim, rows, steps, seed: params.seed + 1, mode }), [rows * steps, description.latentDim])
              // conditional models: each walk keeps one class (row r: class r mod classes)
              const labels = classes === null ? undefined : tf.tensor2d(Float32Array.from({ length: rows * steps }, (_, i) => Math.floor(i / steps) % classes), [rows * steps, 1])
              const generator = await loadGenerator(inputs.training, shown)
              try {
                const images = generate(generator, { latents, labels })
                const pixels = await images.data<"float32">()
                images.dispose()
                const strip = await renderInterpolationStrip(imagesFromFloats(pixels, [rows * steps, h, w, c], description.outputRange), { steps, scale: params.scale })
                writeFileSync(join(outDir, "interpolation.png"), strip)
              } finally {
                generator.dispose()
                disposeGeneratorInputs({ latents, labels })
              }
            }
            return { count, columns, checkpoints: snapshots.map((s) => s.step), generator: shown }
          } finally {
            disposeGeneratorInputs(inputsOf)
          }
        },
        isDataError,
      )
    }),
})

