/**
 * Stage `train-age-cgan`: recipe `age-cgan` on an upstream dataset of faces labelled with their age group
 * (`dataset.gfds` of `aged-face-source`): exports `generator/` and `encoder/`, and both at every checkpoint
 * (`checkpoints/<id>/` and `checkpoints/<id>/encoder/`), so evaluation stages can re-age faces per checkpoint.
 */
import { upstream } from "@ganflow/core"
import { normalizeUint8, readUInt8Dataset } from "@ganflow/data"
import type { DatasetStageValue } from "@ganflow/data/stages"
import * as tf from "@tensorflow/tfjs-core"
import { TrainingDataInvalid } from "../errors.ts"
import { AgeCganConfig, ageCganRecipe } from "../recipes/age-cgan.ts"
import { defineRecipeTrainingStage } from "./recipe-training-stage.ts"

/** Age-cGAN with its encoder on age-labelled faces. */
export const trainAgeCgan = defineRecipeTrainingStage({
  name: "train-age-cgan",
  module: import.meta.url,
  description: "Age-cGAN (conditional G/D on 6 age groups) and its encoder E on age-labelled faces",
  recipe: ageCganRecipe,
  params: AgeCganConfig,
  inputs: { dataset: upstream<DatasetStageValue>() },
  loadData: (ctx) => {
    const ds = readUInt8Dataset(ctx.inputs.dataset.path("dataset.gfds"))
    if (ds.labels === undefined) throw new TrainingDataInvalid({ reason: `${ctx.inputs.dataset.stage}: faces without age-group labels (use an aged-face-source stage)` })
    return { images: tf.tensor(normalizeUint8(ds.data, "tanh"), [...ds.shape], "float32"), labels: tf.tensor1d(Int32Array.from(ds.labels), "int32") }
  },
  exports: { generator: { snapshots: true }, encoder: { snapshots: true } },
})
