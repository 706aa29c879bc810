/**
 * Stage `train-pix2pix`: recipe `pix2pix` on a paired data stage (`paired-source`) -> the U-Net generator as a
 * TF.js layers model (`generator/model.json` + `weights.bin` + `gan.json`) and at every checkpoint
 * (`checkpoints/<id>/`), the per-step log with each loss term (`discriminator/adversarial`, `generator/l1`, …),
 * TensorBoard events. Resumes and continues as every recipe training stage does.
 */
import { upstream } from "@ganflow/core"
import type { TranslationStageValue } from "@ganflow/data/stages"
import { Pix2pixConfig, pix2pixRecipe } from "../recipes/pix2pix.ts"
import { defineRecipeTrainingStage } from "./recipe-training-stage.ts"
import { translationTrainingData } from "./translation-training-data.ts"

/** Trains pix2pix on the upstream pairs (inputs: its A images, targets: its B images). */
export const trainPix2pix = defineRecipeTrainingStage({
  name: "train-pix2pix",
  module: import.meta.url,
  description: "pix2pix (U-Net + PatchGAN, cGAN + λ·L1) on paired images; exports the generator per checkpoint",
  recipe: pix2pixRecipe,
  params: Pix2pixConfig,
  inputs: { data: upstream<TranslationStageValue>() },
  loadData: (ctx) => translationTrainingData(ctx.inputs.data, ctx.params.size, ["inputs", "targets"]),
  exports: { generator: { snapshots: true } },
})
