/**
 * Stage `train-stackgan-stage2`: the `stackgan-stage2` recipe on a `text-image-source` stage's images (resized to
 * Stage-II's size) and captions, refining the images of a trained Stage-I (`stage1`: a `train-stackgan-stage1`
 * stage). Before training, the final Stage-I generator draws one image per caption (z, ε from `seed`): the
 * `lowResImages` field Stage-II learns to refine. Stage-I is an input, not part of this stage: changing Stage-II's
 * params reruns this stage only. The output keeps a copy of that Stage-I generator (`stage1-generator/`) so that
 * the Stage-II snapshots can be sampled from text alone (metrics, grids), and `conditioning.gfemb`.
 */
import { upstream } from "@ganflow/core"
import { SeededRandom } from "@ganflow/data"
import type { TextImageSourceValue } from "@ganflow/data/stages"
import { FINAL_GENERATOR, StackganStage2Config, stackganStage2Recipe, TrainingDataInvalid } from "@ganflow/trainers"
import { defineRecipeTrainingStage } from "@ganflow/trainers/stages"
import * as tf from "@tensorflow/tfjs-core"
import { cpSync } from "node:fs"
import { join } from "node:path"
import { CONDITIONING_FILE, drawTextGeneratorNoise, loadTextImageGenerator, STAGE1_GENERATOR_DIR } from "./text-conditioned-sampling.ts"
import { writeConditioning } from "./train-gan-cls-stage.ts"
import { textToImageRows } from "./text-to-image-rows.ts"

/** Images per batch when Stage-I draws the low-resolution images. */
const DRAW_BATCH = 256

/** StackGAN Stage-II training on captioned images and a trained Stage-I. */
export const trainStackganStage2 = defineRecipeTrainingStage({
  name: "train-stackgan-stage2",
  module: import.meta.url,
  description: "StackGAN Stage-II: refines a trained Stage-I's images with the text again; exports G₂([Stage-I image, φ(t), ε]) per checkpoint",
  recipe: stackganStage2Recipe,
  params: StackganStage2Config,
  inputs: { data: upstream<TextImageSourceValue>(), embeddings: upstream(), stage1: upstream() },
  loadData: async (ctx) => {
    const rows = textToImageRows(ctx.inputs.data, ctx.inputs.embeddings, ctx.params.model.resolution ?? 64)
    const stage1 = await loadTextImageGenerator(ctx.inputs.stage1, FINAL_GENERATOR)
    try {
      if (stage1.embeddingDim !== rows.embeddings.shape[1]) {
        throw new TrainingDataInvalid({ reason: `${ctx.inputs.stage1.stage}'s generator takes φ(t) of ${stage1.embeddingDim}, the captions' are ${rows.embeddings.shape[1]} wide` })
      }
      const random = new SeededRandom(ctx.params.seed ^ 0x57a6e1)
      const parts: tf.Tensor4D[] = []
      for (let start = 0; start < rows.embeddings.shape[0]; start += DRAW_BATCH) {
        const n = Math.min(DRAW_BATCH, rows.embeddings.shape[0] - start)
        const text = tf.slice(rows.embeddings, [start, 0], [n, -1])
        const { z, noise } = drawTextGeneratorNoise(stage1, random, n)
        const images = stage1.generate(z, text, noise)
        parts.push(images.at(-1)!)
        tf.dispose([text, z, ...noise, ...images.slice(0, -1)])
      }
      const lowResImages = tf.concat(parts) as tf.Tensor4D
      tf.dispose(parts)
      return { ...rows, lowResImages }
    } catch (e) {
      tf.dispose(Object.values(rows))
      throw e
    } finally {
      stage1.dispose()
    }
  },
  exports: { generator: { snapshots: true } },
  outputs: [CONDITIONING_FILE, STAGE1_GENERATOR_DIR],
  extra: (_trained, _descriptions, ctx) => {
    cpSync(ctx.inputs.stage1.path("generator"), join(ctx.outDir, STAGE1_GENERATOR_DIR), { recursive: true })
    return writeConditioning(ctx.outDir, ctx.inputs.data, ctx.inputs.embeddings)
  },
})
