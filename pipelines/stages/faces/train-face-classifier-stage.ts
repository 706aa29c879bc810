/**
 * Stage `train-face-classifier`: trains the small face CNN (@ganflow/models `faceFeatureCnn`) that the face pipelines
 * use as named networks, on faces from an upstream data stage:
 * - `task: "age"` — the age classifier (6 groups, the dataset's labels), named `age-cnn`: Age-cGAN's metric;
 * - `task: "identity"` — the face-embedding network (the `identities.gfds` of `aged-face-source`), named `identity-cnn`;
 *   its `features` layer is the embedding of the identity-preserving optimisation and the identity metric;
 * - `task: "sharpness"` — SRGAN's default content network, named `sharpness-cnn`: taught to tell the high-resolution
 *   faces from their bicubic ×`scale` reconstructions (PIL-compatible down- and upscaling), so its feature maps respond
 *   to the detail super-resolution must restore; works on any image folder, no labels needed.
 * Output `classifier/` (a TF.js layers model folder). Reports training and held-out accuracy.
 */
import { startedBackend } from "@ganflow/backend"
import { defineStage, StageEvents, tryAsync, upstream } from "@ganflow/core"
import { ageGroups, DataParamsInvalid, downscaleBicubicLikePil, isDataError, readUInt8Dataset, upscaleBicubicLikePil, type UInt8Dataset } from "@ganflow/data"
import { type DatasetStageValue, IDENTITIES_FILE, readUpstreamDataset } from "@ganflow/data/stages"
import { trainMnistClassifier } from "@ganflow/metrics"
import { faceFeatureCnn, fileSystemModelSaver } from "@ganflow/models"
import * as tf from "@tensorflow/tfjs-core"
import { type } from "arktype"
import { Effect } from "effect"
import { join } from "node:path"

/** The model folder a face classifier stage writes. */
export const FACE_CLASSIFIER_DIR = "classifier"

/** What a face classifier stage returns. */
export interface FaceClassifierValue {
  /** The network's name in loss and metric keys: `age-cnn`, `identity-cnn` or `sharpness-cnn`. */
  readonly network: string
  readonly task: "age" | "identity" | "sharpness"
  readonly classes: number
  readonly size: number
  readonly trainingAccuracy: number
  /** Accuracy on the upstream holdout (age task with a holdout), else null. */
  readonly holdoutAccuracy: number | null
}

/** Params of {@link trainFaceClassifier}. */
export const trainFaceClassifierParams = type({
  "+": "reject",
  task: "'age' | 'identity' | 'sharpness'",
  /** Adam steps. */
  steps: "number.integer > 0 = 300",
  batchSize: "number.integer > 0 = 32",
  learningRate: "number > 0 = 0.001",
  /** Width of the first conv (doubles per conv). */
  width: "number.integer > 0 = 16",
  /** Width of the `features` layer (the embedding for the identity task). */
  featureSize: "number.integer > 0 = 64",
  /** Sharpness task: the super-resolution scale whose bicubic reconstructions are the negatives. */
  scale: "number.integer >= 2 = 4",
  seed: "number.integer >= 0 = 0",
})

const NAMES = { age: "age-cnn", identity: "identity-cnn", sharpness: "sharpness-cnn" } as const

/** The training examples of a task: images and integer labels. */
const examplesOf = (task: "age" | "identity" | "sharpness", faces: UInt8Dataset, scale: number): { images: UInt8Dataset; labels: Int32Array; classes: number } => {
  if (task === "sharpness") {
    const blurred = upscaleBicubicLikePil(downscaleBicubicLikePil(faces, scale), scale)
    const n = faces.shape[0]!
    const data = new Uint8Array(faces.data.length * 2)
    data.set(faces.data, 0)
    data.set(blurred.data, faces.data.length)
    const labels = new Int32Array(2 * n)
    labels.fill(1, 0, n)
    return { images: { ...faces, shape: [2 * n, ...faces.shape.slice(1)], data }, labels, classes: 2 }
  }
  if (faces.labels === undefined) throw new DataParamsInvalid({ field: "task", reason: `the ${task} task needs labelled faces (an aged-face-source stage)` })
  const classes = task === "age" ? ageGroups.length : faces.labels.reduce((m, l) => Math.max(m, l + 1), 0)
  return { images: faces, labels: Int32Array.from(faces.labels), classes }
}

const toTensor = (ds: UInt8Dataset): tf.Tensor4D =>
  tf.tidy(() => tf.sub(tf.div(tf.tensor4d(Float32Array.from(ds.data), ds.shape as [number, number, number, number]), 127.5), 1))

/** Trains one named face CNN; see the module comment. */
export const trainFaceClassifier = defineStage({
  name: "train-face-classifier",
  resources: { gpu: 1 },
  version: 1,
  description: "trains the face CNN used as a named network: age classifier, identity embedding or SR content network",
  params: trainFaceClassifierParams,
  inputs: { faces: upstream<DatasetStageValue>() },
  outputs: [FACE_CLASSIFIER_DIR],
  run: ({ params, inputs, outDir }) =>
    Effect.gen(function* () {
      const { log, metric, env } = yield* StageEvents
      env({ backend: yield* startedBackend })
      return yield* tryAsync(async () => {
        const faces = params.task === "identity" ? readUpstreamDatasetFile(inputs.faces, IDENTITIES_FILE) : readUpstreamDataset(inputs.faces)
        const { images, labels, classes } = examplesOf(params.task, faces, params.scale)
        const size = images.shape[1]!
        const model = faceFeatureCnn({ size, classes, width: params.width, featureSize: params.featureSize, seed: params.seed })
        const x = toTensor(images)
        try {
          const report = await trainMnistClassifier(model, x, labels, params)
          let holdoutAccuracy: number | null = null
          if (params.task === "age" && Number(inputs.faces.value.holdout) > 0) {
            const holdout = readUpstreamDataset(inputs.faces, "holdout")
            const hx = toTensor(holdout)
            const correct = tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(model.predict(hx) as tf.Tensor, 1), tf.tensor1d(Int32Array.from(holdout.labels!), "int32")), "float32")))
            holdoutAccuracy = (await correct.data())[0]! / holdout.shape[0]!
            tf.dispose([hx, correct])
            metric("holdout-accuracy", holdoutAccuracy)
          }
          await model.save(fileSystemModelSaver(join(outDir, FACE_CLASSIFIER_DIR)))
          metric("training-accuracy", report.trainingAccuracy)
          log(`${NAMES[params.task]}: ${classes} classes, ${images.shape[0]} images at ${size}px, ${params.steps} steps: training accuracy ${report.trainingAccuracy.toFixed(3)}${holdoutAccuracy === null ? "" : `, held out ${holdoutAccuracy.toFixed(3)}`}`)
          const value: FaceClassifierValue = { network: NAMES[params.task], task: params.task, classes, size, trainingAccuracy: report.trainingAccuracy, holdoutAccuracy }
          return value
        } finally {
          x.dispose()
          model.dispose()
        }
      }, isDataError)
    }),
})

const readUpstreamDatasetFile = (up: Parameters<typeof readUpstreamDataset>[0], file: string): UInt8Dataset => {
  if (!up.files.includes(file)) throw new DataParamsInvalid({ field: "task", reason: `${up.stage} has no ${file}: the identity task needs an aged-face-source stage` })
  return readUInt8Dataset(up.path(file))
}
