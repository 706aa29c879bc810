/**
 * Stage `train-gan`: the classic GAN (recipe `adversarial`, every model of `@ganflow/models`) on an upstream uint8
 * dataset (`dataset.gfds`, from `@ganflow/data`'s stages) -> a trained generator in TF.js layers format
 * (`generator/model.json` + `weights.bin` + `gan.json`, EMA weights when enabled), the per-step log `steps.jsonl`,
 * TensorBoard events under `tensorboard/` and sample grids under `samples/`, plus the generator of every checkpoint
 * up to `steps` (`checkpoints/step-000200/model.json`, …, indexed by `checkpoints.json`). Resumes and continues
 * as every recipe training stage does (see `recipe-training-stage.ts`). With `liveMetrics` and a `reference` input
 * it scores its generator as it trains (`live-metrics.json`), and `earlyStopping` can stop it.
 */
import { upstream } from "@ganflow/core"
import { normalizeUint8, readUInt8Dataset } from "@ganflow/data"
import type { DatasetStageValue } from "@ganflow/data/stages"
import * as tf from "@tensorflow/tfjs-core"
import type { GeneratorDescription } from "../generator-description.ts"
import { adversarialRecipe } from "../recipes/adversarial.ts"
import { TrainConfig } from "../train-config.ts"
import type { TrainingData } from "../training-set.ts"
import { defineRecipeTrainingStage, type RecipeTrainingResult } from "./recipe-training-stage.ts"

/** What the stage returns (kept in its manifest). */
export interface TrainGanResult extends RecipeTrainingResult {
  /** What a consumer of the exported generators needs to sample them (also written as `generator/gan.json`). */
  readonly generator: GeneratorDescription
}

/** Trains a GAN on an upstream dataset; params are the trainer's `TrainConfig`. */
export const trainGan = defineRecipeTrainingStage({
  name: "train-gan",
  module: import.meta.url,
  version: 3,
  description: "adversarial training with checkpoints; exports the generator as a TF.js layers model",
  recipe: adversarialRecipe,
  params: TrainConfig,
  // `reference`: a reference statistics stage, scored against every `liveMetrics.every` steps (optional)
  inputs: { dataset: upstream<DatasetStageValue>(), reference: upstream<unknown>({ optional: true }) },
  loadData: (ctx): TrainingData => {
    const ds = readUInt8Dataset(ctx.inputs.dataset.path("dataset.gfds"))
    // voxel datasets hold occupancy as 0/1 bytes (the 3D-GAN's sigmoid range as is); images hold 0..255 -> [-1, 1]
    const scale = ds.kind === "voxels" ? "raw" : "tanh"
    const shape = ds.kind === "voxels" ? [...ds.shape, 1] : [...ds.shape]
    const images = tf.tensor(normalizeUint8(ds.data, scale), shape, "float32")
    return ds.labels ? { images, labels: tf.tensor1d(Int32Array.from(ds.labels), "int32") } : { images }
  },
  exports: { generator: { snapshots: true } },
  extra: (_trained, descriptions) => ({ generator: descriptions.generator as GeneratorDescription }),
})
