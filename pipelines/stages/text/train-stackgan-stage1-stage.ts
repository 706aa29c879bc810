/**
 * Stage `train-stackgan-stage1`: the `stackgan-stage1` recipe (StackGAN Stage-I, conditioning augmentation) on a
 * `text-image-source` stage's images (resized to the model's size) and captions, conditioned on the φ(t) of an
 * embeddings stage (see `train-gan-cls-stage.ts` for the inputs and `conditioning.gfemb`). Exports the generator
 * G([z, φ(t), ε]) -> [image, μ, log σ] and every checkpoint's.
 */
import { upstream } from "@ganflow/core"
import type { TextImageSourceValue } from "@ganflow/data/stages"
import { StackganStage1Config, stackganStage1Recipe } from "@ganflow/trainers"
import { defineRecipeTrainingStage } from "@ganflow/trainers/stages"
import { CONDITIONING_FILE } from "./text-conditioned-sampling.ts"
import { writeConditioning } from "./train-gan-cls-stage.ts"
import { textToImageRows } from "./text-to-image-rows.ts"

/** StackGAN Stage-I training on captioned images. */
export const trainStackganStage1 = defineRecipeTrainingStage({
  name: "train-stackgan-stage1",
  module: import.meta.url,
  description: "StackGAN Stage-I text-to-image training (conditioning augmentation, matching-aware D); exports G([z, φ(t), ε]) per checkpoint",
  recipe: stackganStage1Recipe,
  params: StackganStage1Config,
  inputs: { data: upstream<TextImageSourceValue>(), embeddings: upstream() },
  loadData: (ctx) => textToImageRows(ctx.inputs.data, ctx.inputs.embeddings, ctx.params.model.resolution ?? 32),
  exports: { generator: { snapshots: true } },
  outputs: [CONDITIONING_FILE],
  extra: (_trained, _descriptions, ctx) => writeConditioning(ctx.outDir, ctx.inputs.data, ctx.inputs.embeddings),
})
