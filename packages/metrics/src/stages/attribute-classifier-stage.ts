/**
 * Stage `attribute-classifier`: trains the multi-head face-attribute classifier (extractors/attribute-classifier.ts)
 * on the real faces of a `text-image-source` stage (built-in captioned faces: `captions.json` carries the attributes
 * each face was drawn with), holding out a seeded fraction of the faces, and reports each head's held-out accuracy
 * beside its majority-class baseline — which attributes are visible at this size.
 *
 * Output: `attribute-classifier/` (TF.js layers model, one output per head in FACE_ATTRIBUTE_HEADS order) and
 * `attribute-heads.json` ({@link AttributeHeadsFile}: sizes, classes, accuracies, the held-out face indices).
 */
import { startedBackend } from "@ganflow/backend"
import { defineStage, StageEvents, tryAsync, upstream } from "@ganflow/core"
import { CaptionFileInvalid, datasetImagesTensor, SeededRandom, type FaceAttributeName } from "@ganflow/data"
import { readUpstreamCaptions, readUpstreamDataset, reportTrainingSteps, type TextImageSourceValue } from "@ganflow/data/stages"
import { fileSystemModelSaver } from "@ganflow/models"
import * as tf from "@tensorflow/tfjs-core"
import { type } from "arktype"
import { Effect } from "effect"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { isMetricsError } from "../errors.ts"
import { buildAttributeClassifier, FACE_ATTRIBUTE_CLASSES, FACE_ATTRIBUTE_HEADS, faceAttributeCodes, predictFaceAttributes, trainAttributeClassifier } from "../extractors/attribute-classifier.ts"

/** Folder of the trained classifier in the stage's output. */
export const ATTRIBUTE_CLASSIFIER_DIR = "attribute-classifier"
/** The heads file beside it. */
export const ATTRIBUTE_HEADS_FILE = "attribute-heads.json"

/** Content of `attribute-heads.json`. */
export interface AttributeHeadsFile {
  readonly [key: string]: unknown
  readonly imageSize: number
  readonly heads: ReadonlyArray<{ readonly name: FaceAttributeName; readonly classes: ReadonlyArray<string | boolean>; readonly heldOutAccuracy: number; readonly majorityBaseline: number }>
  /** Indices (into the upstream dataset) of the faces the classifier never trained on. */
  readonly heldOutImages: readonly number[]
}

/** What the stage returns. */
export interface AttributeClassifierValue {
  readonly [key: string]: unknown
  readonly imageSize: number
  readonly heldOutImages: number
  /** Held-out accuracy per head (eye colour over open-eyed faces only). */
  readonly accuracy: Readonly<Record<string, number>>
  /** Share of the most frequent class among the held-out faces, per head: the accuracy of always guessing it. */
  readonly majorityBaseline: Readonly<Record<string, number>>
}

/** Params of {@link attributeClassifier}. */
export const attributeClassifierParams = type({
  "+": "reject",
  /** Faces are resized to this square (match the generator's output size). */
  imageSize: "number.integer >= 8 = 32",
  /** Channels of the first convolution (then x2, x4, x8). */
  width: "number.integer >= 1 = 16",
  steps: "number.integer >= 1 = 400",
  batchSize: "number.integer >= 1 = 64",
  learningRate: "number > 0 = 0.002",
  holdoutFraction: "0 < number < 1 = 0.2",
  seed: "number.integer >= 0 = 0",
})

/** Trains the face-attribute classifier on a captioned-faces stage's images and attributes. */
export const attributeClassifier = defineStage({
  name: "attribute-classifier",
  resources: { gpu: 1 },
  version: 1,
  description: "multi-head classifier of the synthetic faces' attributes (hair colour/style, bangs, eyes, mouth, blush, accessory), held-out accuracy per head",
  params: attributeClassifierParams,
  inputs: { data: upstream<TextImageSourceValue>() },
  outputs: [ATTRIBUTE_CLASSIFIER_DIR, ATTRIBUTE_HEADS_FILE],
  run: ({ params, inputs, outDir }) =>
    Effect.gen(function* () {
      const { log, metric, progress, env } = yield* StageEvents
      env({ backend: yield* startedBackend })
      return yield* tryAsync(async () => {
        const dataset = readUpstreamDataset(inputs.data)
        const table = readUpstreamCaptions(inputs.data)
        if (table.attributes === undefined) {
          throw new CaptionFileInvalid({ file: inputs.data.path("captions.json"), reason: "no face attributes: the attribute classifier trains on the built-in captioned faces (text-image-source without data.file)" })
        }
        const n = dataset.shape[0]!
        const codes = faceAttributeCodes(table.attributes)
        const order = new SeededRandom(params.seed ^ 0x3e1d).permutation(n)
        const held = Math.max(1, Math.floor(n * params.holdoutFraction))
        const heldOut = Int32Array.from(order.subarray(0, held)).sort()
        const trainRows = Int32Array.from(order.subarray(held))
        const images = datasetImagesTensor(dataset, params.imageSize)
        const model = buildAttributeClassifier({ imageSize: params.imageSize, width: params.width, seed: params.seed })
        try {
          const losses = await trainAttributeClassifier(model, images, codes, trainRows, {
            steps: params.steps,
            batchSize: params.batchSize,
            learningRate: params.learningRate,
            seed: params.seed,
            onStep: reportTrainingSteps({ metric, progress }, params.steps),
          })
          const heldImages = tf.tidy(() => tf.gather(images, tf.tensor1d(heldOut, "int32")))
          const predicted = predictFaceAttributes(model, heldImages)
          heldImages.dispose()
          const accuracy: Record<string, number> = {}
          const majorityBaseline: Record<string, number> = {}
          for (const head of FACE_ATTRIBUTE_HEADS) {
            const truth = Array.from(heldOut, (i) => codes[head][i]!)
            const visible = truth.map((t, k) => [t, predicted[head][k]!] as const).filter(([t]) => t >= 0)
            accuracy[head] = visible.filter(([t, p]) => t === p).length / Math.max(1, visible.length)
            const counts = new Map<number, number>()
            for (const [t] of visible) counts.set(t, (counts.get(t) ?? 0) + 1)
            majorityBaseline[head] = Math.max(0, ...counts.values()) / Math.max(1, visible.length)
            metric(`accuracy@${head}`, accuracy[head]!)
          }
          log(`loss ${losses[0]!.toFixed(3)} -> ${losses.at(-1)!.toFixed(3)}; held-out accuracy (${held} faces) vs majority class: ${FACE_ATTRIBUTE_HEADS.map((h) => `${h} ${(accuracy[h]! * 100).toFixed(1)}% (${(majorityBaseline[h]! * 100).toFixed(0)}%)`).join(", ")}`)
          await model.save(fileSystemModelSaver(join(outDir, ATTRIBUTE_CLASSIFIER_DIR)))
          const heads: AttributeHeadsFile = {
            imageSize: params.imageSize,
            heads: FACE_ATTRIBUTE_HEADS.map((name) => ({ name, classes: FACE_ATTRIBUTE_CLASSES[name], heldOutAccuracy: accuracy[name]!, majorityBaseline: majorityBaseline[name]! })),
            heldOutImages: Array.from(heldOut),
          }
          writeFileSync(join(outDir, ATTRIBUTE_HEADS_FILE), JSON.stringify(heads, null, 1))
          const value: AttributeClassifierValue = { imageSize: params.imageSize, heldOutImages: held, accuracy, majorityBaseline }
          return value
        } finally {
          images.dispose()
          model.dispose()
        }
      }, isMetricsError)
    }),
})
