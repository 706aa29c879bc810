/**
 * Stage `train-gan-cls`: the `gan-cls` recipe (GAN-CLS + GAN-INT, Reed et al. 2016) on a `text-image-source` stage's
 * images and captions, conditioned on the φ(t) of an embeddings stage (`text-encoder`; for HDF5 sets the data stage
 * ships its own and that input is not read). Exports the generator (`generator/model.json`, `gan.json`) and every
 * checkpoint's (`checkpoints/<id>/`), and `conditioning.gfemb`: the φ(t) of every training caption, which the
 * text-conditioned samplers (FID, grids) draw their conditions from. Resumes and continues as every recipe stage.
 */
import { upstream } from "@ganflow/core"
import { writeCaptionEmbeddings } from "@ganflow/data"
import type { TextImageSourceValue } from "@ganflow/data/stages"
import { GanClsConfig, ganClsRecipe } from "@ganflow/trainers"
import { defineRecipeTrainingStage } from "@ganflow/trainers/stages"
import { join } from "node:path"
import { CONDITIONING_FILE } from "./text-conditioned-sampling.ts"
import { readCaptionsAndEmbeddings, textToImageRows } from "./text-to-image-rows.ts"

/** Writes the φ(t) the generator was trained on beside it (`conditioning.gfemb`). */
export const writeConditioning = (outDir: string, data: Parameters<typeof readCaptionsAndEmbeddings>[0], encoder: Parameters<typeof readCaptionsAndEmbeddings>[1]) => {
  const { embeddings, source } = readCaptionsAndEmbeddings(data, encoder)
  writeCaptionEmbeddings(join(outDir, CONDITIONING_FILE), embeddings)
  return { conditioning: { rows: embeddings.rows, dim: embeddings.dim, from: source } }
}

/** GAN-CLS + GAN-INT training on captioned images. */
export const trainGanCls = defineRecipeTrainingStage({
  name: "train-gan-cls",
  module: import.meta.url,
  description: "GAN-CLS + GAN-INT text-to-image training (Reed et al. 2016); exports the generator G([z, φ(t)]) per checkpoint",
  recipe: ganClsRecipe,
  params: GanClsConfig,
  inputs: { data: upstream<TextImageSourceValue>(), embeddings: upstream() },
  loadData: (ctx) => textToImageRows(ctx.inputs.data, ctx.inputs.embeddings, ctx.params.model.resolution ?? 64),
  exports: { generator: { snapshots: true } },
  outputs: [CONDITIONING_FILE],
  extra: (_trained, _descriptions, ctx) => writeConditioning(ctx.outDir, ctx.inputs.data, ctx.inputs.embeddings),
})
