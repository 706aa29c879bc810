/**
 * Stage `train-cyclegan`: recipe `cyclegan` on an unpaired data stage (`unpaired-source`) -> both generators as
 * TF.js layers models (`generatorAB/`, `generatorBA/`, each with `gan.json`) and at every checkpoint
 * (`checkpoints/<id>/generatorAB/`, …), the per-step log with each loss term (`generator/cycle-a`, …), TensorBoard
 * events. Resumes and continues as every recipe training stage does (history buffers included).
 */
import { upstream } from "@ganflow/core"
import type { TranslationStageValue } from "@ganflow/data/stages"
import { CycleganConfig, cycleganRecipe } from "../recipes/cyclegan.ts"
import { defineRecipeTrainingStage } from "./recipe-training-stage.ts"
import { translationTrainingData } from "./translation-training-data.ts"

/** Trains CycleGAN on the upstream domains (a: its A images, b: its B images, drawn independently). */
export const trainCyclegan = defineRecipeTrainingStage({
  name: "train-cyclegan",
  module: import.meta.url,
  description: "CycleGAN (two ResNet generators, two PatchGANs, LSGAN + cycle + identity, history buffers) on unpaired domains",
  recipe: cycleganRecipe,
  params: CycleganConfig,
  inputs: { data: upstream<TranslationStageValue>() },
  loadData: (ctx) => translationTrainingData(ctx.inputs.data, ctx.params.size, ["a", "b"]),
  exports: { generatorAB: { snapshots: true }, generatorBA: { snapshots: true } },
})
