/**
 * The training data of the image-to-image recipes from a translation data stage (`paired-source`,
 * `unpaired-source`): its train split's A and B images in [-1, 1] at the stored load size, under the field names a
 * recipe asks for. Checks that the data stage crops to the size the networks are built for.
 */
import { normalizeUint8, type UInt8Dataset } from "@ganflow/data"
import { readUpstreamTranslation, type TranslationStageValue } from "@ganflow/data/stages"
import type { UpstreamOutput } from "@ganflow/core"
import * as tf from "@tensorflow/tfjs-core"
import { TrainingDataInvalid } from "../errors.ts"
import type { TrainingData } from "../training-set.ts"

const asTanh = (ds: UInt8Dataset): tf.Tensor4D => tf.tensor4d(normalizeUint8(ds.data, "tanh"), [...ds.shape] as [number, number, number, number], "float32")

/**
 * The train split of `data` as fields `{ [fields[0]]: A, [fields[1]]: B }`. Fails with TrainingDataInvalid when the
 * data stage's crop size is not `size` (set both `data.cropSize` and the training stage's `size`).
 */
export const translationTrainingData = (data: UpstreamOutput<TranslationStageValue>, size: number, fields: readonly [string, string]): TrainingData => {
  if (data.value.cropSize !== size) {
    throw new TrainingDataInvalid({ reason: `${data.stage} crops its images to ${data.value.cropSize} px but the networks are built for ${size} px (set ${data.stage}.cropSize and the training stage's size alike)` })
  }
  const { train } = readUpstreamTranslation(data)
  return { [fields[0]]: asTanh(train.a), [fields[1]]: asTanh(train.b) }
}
