/**
 * Stage `feature-classifier`: trains the LeNet-style MNIST classifier whose penultimate layer
 * is the `mnist-lenet` feature extractor, on a labelled uint8 dataset from a data stage.
 * Output: `classifier/` (a TensorFlow.js layers model directory).
 */
import type { DatasetStageValue } from "@ganflow/data/stages"
import { startedBackend } from "@ganflow/backend"
import { defineStage, upstream, StageEvents, trySync } from "@ganflow/core"
import { readUpstreamDataset } from "@ganflow/data/stages"
import * as tf from "@tensorflow/tfjs-core"
import { type } from "arktype"
import { Effect } from "effect"
import { join } from "node:path"
import { ExtractorModelInvalid, isMetricsError } from "../errors.ts"
import { buildMnistLenet, trainMnistClassifier } from "../extractors/mnist-lenet.ts"
import { fileSystemModelSaver } from "@ganflow/models"
import { CLASSIFIER_DIR } from "./stage-extractor.ts"

/** Params of {@link featureClassifier}. */
/** What a feature-classifier stage returns. */
export interface FeatureClassifierValue {
  readonly extractor: string
  readonly trainingAccuracy: number
  readonly images: number
}

export const featureClassifierParams = type({
  /** Adam steps */
  steps: "number.integer > 0 = 500",
  batchSize: "number.integer > 0 = 64",
  learningRate: "number > 0 = 0.001",
  seed: "number.integer >= 0 = 0",
  /** false trains the dense layers only (fast on the plain cpu backend) */
  trainConvolutions: "boolean = true",
})

/** Trains the feature classifier on the upstream dataset (images 28x28x1 with labels). */
export const featureClassifier = defineStage({
  name: "feature-classifier",
  resources: { gpu: 1 }, // tensor maths: shares `--gpus` when the backend is a GPU
  version: 1,
  description: "LeNet-style classifier for fid@mnist-lenet / IS: trained on a labelled 28x28 grey dataset",
  params: featureClassifierParams,
  inputs: { dataset: upstream<DatasetStageValue>() },
  outputs: [CLASSIFIER_DIR],
  run: ({ params, inputs, outDir }) =>
    Effect.gen(function* () {
      const { log, metric, env } = yield* StageEvents
      const dataset = yield* trySync(() => readUpstreamDataset(inputs.dataset), isMetricsError)
      const [n, h, w, c] = dataset.shape as [number, number, number, number]
      if (dataset.labels === undefined || h !== 28 || w !== 28 || c !== 1) {
        return yield* Effect.fail(
          new ExtractorModelInvalid({ extractor: "mnist-lenet", path: inputs.dataset.dir, reason: `needs labelled 28x28x1 images, got [${dataset.shape}]${dataset.labels === undefined ? " without labels" : ""}` }),
        )
      }
      env({ backend: yield* startedBackend })
      const images = tf.tidy(() => tf.div(tf.tensor4d(Float32Array.from(dataset.data), [n, h, w, c], "float32"), 255)) as tf.Tensor4D
      const model = buildMnistLenet(params.seed)
      const report = yield* Effect.promise(() => trainMnistClassifier(model, images, Int32Array.from(dataset.labels!), params)).pipe(
        Effect.ensuring(Effect.sync(() => images.dispose())),
      )
      yield* Effect.promise(() => model.save(fileSystemModelSaver(join(outDir, CLASSIFIER_DIR)))).pipe(Effect.ensuring(Effect.sync(() => model.dispose())))
      metric("training-accuracy", report.trainingAccuracy)
      log(`trained ${params.steps} steps: training accuracy ${report.trainingAccuracy.toFixed(3)}`)
      const value: FeatureClassifierValue = { extractor: "mnist-lenet", trainingAccuracy: report.trainingAccuracy, images: n }
      return value
    }),
})
