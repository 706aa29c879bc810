/**
 * Stage `render-text-samples`: pictures of a text-to-image training stage's generators.
 *
 * - `grid.png` (the final generator) and `checkpoints/<id>.png` (every snapshot): one row per caption, the caption
 *   printed under its row, `columns` samples per row; column j uses the same latent z_j (and ε_j) in every row, so
 *   rows differ only by their text. For StackGAN Stage-II each sample shows its Stage-I image (upscaled) then the
 *   Stage-II refinement.
 * - `interpolation.png`: caption interpolation strips — for caption pairs (a, b) of the list, final images from
 *   φ = (1 − t)·φ(a) + t·φ(b), t from 0 to 1, with one fixed z (and ε) per strip, labelled "a → b".
 *
 * The captions: `captions` (typed text), embedded with the text encoder of the embeddings stage; where there is no
 * text encoder (an HDF5 set with shipped embeddings) `rows` captions of the training table (seeded pick) instead.
 * Rendering params change only this stage, never the training.
 */
import { startedBackend } from "@ganflow/backend"
import { defineStage, StageEvents, tryAsync, upstream } from "@ganflow/core"
import { encodeCaptions, isDataError, loadTextEncoder, SeededRandom, TEXT_ENCODER_DIR } from "@ganflow/data"
import type { TextImageSourceValue } from "@ganflow/data/stages"
import { FINAL_GENERATOR, readGeneratorSnapshots } from "@ganflow/trainers"
import { imagesFromFloats } from "@ganflow/viz"
import * as tf from "@tensorflow/tfjs-core"
import { type } from "arktype"
import { Effect } from "effect"
import { existsSync, mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { type CaptionedRow, renderCaptionedRows } from "./captioned-rows.ts"
import { drawTextGeneratorNoise, loadTextImageGenerator, type TextImageGenerator } from "./text-conditioned-sampling.ts"
import { embeddingRows, readCaptionsAndEmbeddings } from "./text-to-image-rows.ts"

/** Captions of the default grid: one attribute set per row, in the built-in captions' phrasing. */
export const defaultGridCaptions = [
  "a girl with long red hair and blue eyes",
  "a girl with long blonde hair and green eyes",
  "a girl with short black hair and red eyes",
  "a girl with pink twin tails and purple eyes",
  "a girl with a blue bob and yellow eyes",
  "a girl with short white hair and blue eyes",
  "a girl with long green hair and brown eyes",
  "a girl with orange twin tails and aqua eyes",
]

/** Params of {@link renderTextSamples}. */
export const renderTextSamplesParams = type({
  "+": "reject",
  /** One row per caption (embedded with the pipeline's text encoder). */
  captions: [type("string[] >= 1"), "=", () => [...defaultGridCaptions]],
  /** Without a text encoder (shipped embeddings): rows of training captions instead. */
  rows: "number.integer >= 1 = 8",
  /** Samples per caption (one latent per column, shared by the rows). */
  columns: "number.integer >= 1 = 8",
  /** Seed of the latents (and of the caption pick without a text encoder). */
  seed: "number.integer >= 0 = 0",
  /** Integer upscale of each pixel. */
  scale: "number.integer >= 1 = 2",
  /** Caption interpolation strips: consecutive pairs of the captions (0 = none). */
  interpolationPairs: "number.integer >= 0 = 4",
  /** Images per strip, both ends included. */
  interpolationSteps: "number.integer >= 2 = 8",
})

/** The captions to draw and their φ(t) `[R, D]` (the caller owns the tensor). */
const gridConditions = async (
  params: typeof renderTextSamplesParams.infer,
  data: Parameters<typeof readCaptionsAndEmbeddings>[0],
  encoder: Parameters<typeof readCaptionsAndEmbeddings>[1],
  log: (message: string) => void,
): Promise<{ captions: string[]; phi: tf.Tensor2D }> => {
  if (data.value.embeddingSize === null && existsSync(encoder.path(TEXT_ENCODER_DIR))) {
    const textEncoder = await loadTextEncoder(encoder.dir)
    try {
      const values = encodeCaptions(textEncoder, params.captions)
      return { captions: [...params.captions], phi: tf.tensor2d(values, [params.captions.length, values.length / params.captions.length]) }
    } finally {
      textEncoder.model.dispose()
    }
  }
  const { table, embeddings, source } = readCaptionsAndEmbeddings(data, encoder)
  const picked = Array.from(new SeededRandom(params.seed ^ 0x7e47).permutation(table.captions.length).subarray(0, Math.min(params.rows, table.captions.length)))
  log(`no text encoder in ${encoder.stage}: ${picked.length} captions of the training table, with ${source}'s embeddings`)
  return { captions: picked.map((c) => table.captions[c]!), phi: embeddingRows(embeddings, picked) }
}

/** The latents and ε of the grid's columns (shared by every row and checkpoint). */
interface ColumnNoise {
  readonly z: tf.Tensor2D
  readonly noise: tf.Tensor2D[]
}

/**
 * The images of `generator` for condition rows `phi` `[R, D]` with the columns' noise: `[R·columns, H, W, 3]` of the
 * final images, or for a Stage-I -> Stage-II chain each column's Stage-I image (upscaled, nearest) followed by its
 * Stage-II image. The caller owns the result.
 */
const drawRows = (generator: TextImageGenerator, phi: tf.Tensor2D, rows: ArrayLike<number>, columns: ColumnNoise): tf.Tensor4D =>
  tf.tidy(() => {
    const n = columns.z.shape[0]
    const parts = Array.from(rows, (r) => {
      const text = tf.tile(tf.slice(phi, [r, 0], [1, -1]), [n, 1]) as tf.Tensor2D
      const images = generator.generate(columns.z, text, columns.noise)
      const final = images.at(-1)!
      if (images.length === 1) return final
      const [, h, w] = final.shape
      const earlier = images.slice(0, -1).map((x) => tf.image.resizeNearestNeighbor(x, [h, w]))
      // interleave: column j shows every stage of sample j, left to right
      return tf.reshape(tf.stack([...earlier, final], 1), [n * images.length, h, w, 3]) as tf.Tensor4D
    })
    return tf.concat(parts) as tf.Tensor4D
  })

/** Captioned rows (one per condition row) of {@link drawRows}. */
const captionRows = async (generator: TextImageGenerator, phi: tf.Tensor2D, captions: readonly string[], columns: ColumnNoise): Promise<CaptionedRow[]> => {
  const images = drawRows(generator, phi, captions.map((_, r) => r), columns)
  const [count, h, w] = images.shape
  const all = imagesFromFloats(await images.data<"float32">(), [count, h, w, 3], "tanh")
  images.dispose()
  const perRow = count / captions.length
  const item = h * w * 3
  return captions.map((caption, r) => ({ images: { ...all, count: perRow, pixels: all.pixels.subarray(r * perRow * item, (r + 1) * perRow * item) }, caption }))
}

/** Caption grids per checkpoint and caption interpolation strips of a text-to-image training stage. */
export const renderTextSamples = defineStage({
  name: "render-text-samples",
  resources: { gpu: 1 },
  version: 1,
  description: "one row per caption with the caption printed under it, per checkpoint; caption interpolation strips",
  params: renderTextSamplesParams,
  inputs: { training: upstream(), data: upstream<TextImageSourceValue>(), embeddings: upstream() },
  outputs: ["grid.png"],
  run: ({ params, inputs, outDir }) =>
    Effect.gen(function* () {
      const { progress, log, env } = yield* StageEvents
      env({ backend: yield* startedBackend })
      return yield* tryAsync(async () => {
        const { captions, phi } = await gridConditions(params, inputs.data, inputs.embeddings, log)
        const random = new SeededRandom(params.seed)
        let columns: ColumnNoise | undefined
        try {
          const snapshots = readGeneratorSnapshots(inputs.training.dir)
          mkdirSync(join(outDir, "checkpoints"), { recursive: true })
          const render = async (id: string, file: string) => {
            const generator = await loadTextImageGenerator(inputs.training, id)
            try {
              columns ??= drawTextGeneratorNoise(generator, random, params.columns)
              writeFileSync(file, await renderCaptionedRows(await captionRows(generator, phi, captions, columns), { scale: params.scale }))
            } finally {
              generator.dispose()
            }
          }
          for (const [i, snapshot] of snapshots.entries()) {
            progress({ step: i, total: snapshots.length + 1, message: snapshot.id })
            await render(snapshot.id, join(outDir, "checkpoints", `${snapshot.id}.png`))
          }
          await render(FINAL_GENERATOR, join(outDir, "grid.png"))
          const pairs = Math.min(params.interpolationPairs, Math.floor(captions.length / 2))
          if (pairs > 0) {
            const generator = await loadTextImageGenerator(inputs.training, FINAL_GENERATOR)
            try {
              const steps = params.interpolationSteps
              const strips: CaptionedRow[] = []
              for (let p = 0; p < pairs; p++) {
                // one sample's noise (column p) along the whole strip; φ = (1 − t)·φ(a) + t·φ(b)
                const noise = tf.tidy(() => [columns!.z, ...columns!.noise].map((x) => tf.tile(tf.slice(x, [p % params.columns, 0], [1, -1]), [steps, 1]) as tf.Tensor2D))
                const text = tf.tidy(() => {
                  const t = tf.reshape(tf.linspace(0, 1, steps), [steps, 1])
                  const [a, b] = [tf.slice(phi, [2 * p, 0], [1, -1]), tf.slice(phi, [2 * p + 1, 0], [1, -1])]
                  return tf.add(tf.mul(tf.sub(1, t), a), tf.mul(t, b)) as tf.Tensor2D
                })
                const images = generator.generate(noise[0]!, text, noise.slice(1))
                const final = images.at(-1)!
                const [, h, w] = final.shape
                strips.push({ images: imagesFromFloats(await final.data<"float32">(), [steps, h, w, 3], "tanh"), caption: `${captions[2 * p]} → ${captions[2 * p + 1]}` })
                tf.dispose([...noise, text, ...images])
              }
              writeFileSync(join(outDir, "interpolation.png"), await renderCaptionedRows(strips, { scale: params.scale }))
            } finally {
              generator.dispose()
            }
          }
          return { captions, columns: params.columns, checkpoints: snapshots.map((s) => s.step), interpolationStrips: pairs }
        } finally {
          tf.dispose([phi, ...(columns ? [columns.z, ...columns.noise] : [])])
        }
      }, isDataError)
    }),
})
