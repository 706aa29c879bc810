import * as tf from "@tensorflow/tfjs-core"
import * as tfl from "@tensorflow/tfjs-layers"
import { Effect } from "effect"
import { ExtractorModelInvalid } from "../errors.ts"
import { fileSystemModelLoader, modelDirectoryOf } from "@ganflow/models"
import type { FeatureExtractor } from "./feature-extractor.ts"

/** Name of the pooled-feature layer (Keras InceptionV3 and FID's pool3: 2048 wide). */
export const INCEPTION_POOL_LAYER = "avg_pool"
/** Name of the classifier layer whose pre-softmax output gives the logits. */
export const INCEPTION_PREDICTIONS_LAYER = "predictions"

/**
 * Inception-v3 feature extractor `inception-v3` from a TensorFlow.js layers model directory
 * (model.json + weight shards; see the package README for converting the FID weights).
 * Features are the `avg_pool` output (pool3, 2048); logits are `predictions`' kernel and bias
 * applied to them (the pre-softmax scores, 1000 or 1008 classes). Input [-1, 1] at the model's
 * input size (299x299x3 for the standard weights).
 *
 * Fails with ExtractorModelInvalid when the directory cannot be read or the model lacks those
 * layers. The returned extractor owns the model; call `dispose`.
 */
export const loadInceptionV3Extractor = (
  location: string,
  name = "inception-v3",
): Effect.Effect<FeatureExtractor, ExtractorModelInvalid> =>
  Effect.gen(function* () {
    const path = modelDirectoryOf(location)
    const model = yield* Effect.tryPromise({
      try: () => tfl.loadLayersModel(fileSystemModelLoader(path)),
      catch: (cause) => new ExtractorModelInvalid({ extractor: name, path, reason: `cannot load layers model: ${String(cause)}` }),
    })
    return yield* Effect.try({
      try: () => inceptionExtractorFromModel(model, name, path),
      catch: (cause) => {
        model.dispose()
        return cause instanceof ExtractorModelInvalid
          ? cause
          : new ExtractorModelInvalid({ extractor: name, path, reason: String(cause) })
      },
    })
  })

/** Wraps an in-memory Inception-v3 layers model (e.g. buildInceptionV3) as an extractor that owns it. */
export const inceptionExtractorFromModel = (model: tfl.LayersModel, name: string, path = "<memory>"): FeatureExtractor => {
  const pool = findLayer(model, INCEPTION_POOL_LAYER, name, path)
  const predictions = findLayer(model, INCEPTION_PREDICTIONS_LAYER, name, path)
  const [kernel, bias] = predictions.getWeights()
  if (kernel === undefined || kernel.rank !== 2) {
    throw new ExtractorModelInvalid({ extractor: name, path, reason: `layer ${INCEPTION_PREDICTIONS_LAYER} has no dense kernel` })
  }
  const input = model.inputs[0]!.shape
  const [, height, width, channels] = input
  if (typeof height !== "number" || typeof width !== "number" || channels !== 3) {
    throw new ExtractorModelInvalid({ extractor: name, path, reason: `input shape [${input}] is not [null, H, W, 3]` })
  }
  const featureModel = tfl.model({ inputs: model.inputs, outputs: pool.output as tfl.SymbolicTensor })
  const featureSize = kernel.shape[0]!
  return {
    name,
    inputSize: [height, width, 3],
    inputRange: "[-1,1]",
    featureSize,
    classCount: kernel.shape[1]!,
    description: `Inception-v3 pool3 (${featureSize}) and logits (${kernel.shape[1]}) from ${path}`,
    extract: (images) =>
      tf.tidy(() => {
        const features = featureModel.predict(images) as tf.Tensor2D
        const logits = tf.matMul(features, kernel as tf.Tensor2D)
        return { features, logits: (bias === undefined ? logits : tf.add(logits, bias)) as tf.Tensor2D }
      }),
    dispose: () => model.dispose(),
  }
}

const findLayer = (model: tfl.LayersModel, layerName: string, extractor: string, path: string): tfl.layers.Layer => {
  try {
    return model.getLayer(layerName)
  } catch {
    throw new ExtractorModelInvalid({ extractor, path, reason: `model has no layer named ${layerName}` })
  }
}
