/**
 * Stage `text-encoder`: trains a word-CNN text encoder jointly with a small image encoder on a `text-image-source`
 * stage's images and captions (symmetric batch contrastive form of Reed et al.'s structured joint embedding; see
 * text-image-joint-embedding.ts), then writes φ(t) for every caption.
 *
 * Output folder:
 * - `embeddings.gfemb`: float32 [C, D], row c = φ(captions[c]) of the upstream `captions.json`, L2-normalised
 *   (read it with `readUpstreamCaptionEmbeddings`).
 * - `text-encoder/` + `vocabulary.json`: the encoder, to embed new captions (`loadTextEncoder`, `encodeCaptions`).
 *
 * A held-out fifth of the images (seeded) is never trained on; the value reports, on their captions, the share
 * scored higher with their own image than their mismatched caption (`heldOutMatchedOverMismatched`, chance 0.5).
 */
import { startedBackend } from "@ganflow/backend"
import { defineStage, StageEvents, tryAsync, upstream } from "@ganflow/core"
import * as tf from "@tensorflow/tfjs-core"
import { type } from "arktype"
import { Effect } from "effect"
import { join } from "node:path"
import { CAPTION_EMBEDDINGS_FILE, writeCaptionEmbeddings } from "../caption-embeddings-file.ts"
import { buildCaptionVocabulary, tokenizeCaptions } from "../caption-tokenizer.ts"
import { isDataError } from "../errors.ts"
import { SeededRandom } from "../seeded-random.ts"
import { saveTextEncoder } from "../text-encoder-artifacts.ts"
import { buildJointImageEncoder, buildTextEncoder } from "../text-encoder-network.ts"
import { encodeImageRows, encodeTokenRows, trainJointEmbedding } from "../text-image-joint-embedding.ts"
import { datasetImagesTensor } from "../dataset-images-tensor.ts"
import { readUpstreamDataset } from "./stage-dataset-file.ts"
import type { TextImageSourceValue } from "./text-image-source-stage.ts"
import { readUpstreamCaptions } from "./text-image-stage-files.ts"
import { reportTrainingSteps } from "./training-step-events.ts"

/** Params of {@link textEncoder}. */
export const textEncoderParams = type({
  "+": "reject",
  /** Embedding size D of φ(t) (1024 matches CUB's char-CNN-RNN). */
  dim: "number.integer >= 2 = 128",
  /** Word-vector width of the text encoder. */
  wordDim: "number.integer >= 1 = 32",
  /** Convolution filters of the text encoder (window of 3 words). */
  filters: "number.integer >= 1 = 128",
  /** Images are resized to this square for the image encoder. */
  imageSize: "number.integer >= 8 = 32",
  /** Channels of the image encoder's first convolution (then x2, x4). */
  imageWidth: "number.integer >= 1 = 16",
  steps: "number.integer >= 1 = 300",
  batchSize: "number.integer >= 2 = 64",
  learningRate: "number > 0 = 0.002",
  /** Temperature τ of the contrastive scores. */
  temperature: "number > 0 = 0.1",
  /** Fraction of images held out from training (to report how well unseen pairs are told apart). */
  holdoutFraction: "0 <= number < 1 = 0.2",
  seed: "number.integer >= 0 = 0",
})

/** What {@link textEncoder} returns. */
export interface TextEncoderValue {
  readonly [key: string]: unknown
  /** D: the width of every row of `embeddings.gfemb`. */
  readonly embeddingSize: number
  /** Rows of `embeddings.gfemb` (= captions of the upstream table). */
  readonly captions: number
  readonly vocabulary: number
  readonly finalLoss: number
  /** Held-out images' captions scored above their mismatched caption with the own image (chance 0.5); NaN without held-out images. */
  readonly heldOutMatchedOverMismatched: number
  readonly heldOutImages: number
}

/** Row-wise dot product of rows a and b of [*, dim] matrices. */
const dot = (x: Float32Array, a: number, y: Float32Array, b: number, dim: number): number => {
  let s = 0
  for (let k = 0; k < dim; k++) s += x[a * dim + k]! * y[b * dim + k]!
  return s
}

/** Trains the joint embedding on the upstream captions and writes φ(t) of every caption. */
export const textEncoder = defineStage({
  name: "text-encoder",
  resources: { gpu: 1 },
  version: 1,
  description: "word-CNN text encoder trained jointly with an image encoder on captioned images -> embeddings.gfemb (φ(t) per caption)",
  params: textEncoderParams,
  inputs: { data: upstream<TextImageSourceValue>() },
  outputs: [CAPTION_EMBEDDINGS_FILE, "text-encoder", "vocabulary.json"],
  run: ({ params, inputs, outDir }) =>
    Effect.gen(function* () {
      const { log, metric, progress, env } = yield* StageEvents
      env({ backend: yield* startedBackend })
      return yield* tryAsync(async () => {
        const dataset = readUpstreamDataset(inputs.data)
        const table = readUpstreamCaptions(inputs.data)
        const n = dataset.shape[0]!
        const vocabulary = buildCaptionVocabulary(table.captions)
        const captionsOfImage: number[][] = Array.from({ length: n }, () => [])
        table.image.forEach((i, c) => captionsOfImage[i]!.push(c))
        const order = new SeededRandom(params.seed ^ 0x4e1d).permutation(n)
        const held = Math.floor(n * params.holdoutFraction)
        const trainImages = Int32Array.from(order.subarray(held).filter((i) => captionsOfImage[i]!.length > 0))
        const heldOut = order.subarray(0, held)
        const text = buildTextEncoder({ vocabularySize: vocabulary.words.length, maxLength: vocabulary.maxLength, wordDim: params.wordDim, filters: params.filters, dim: params.dim, seed: params.seed })
        const image = buildJointImageEncoder({ imageSize: params.imageSize, dim: params.dim, width: params.imageWidth, seed: params.seed })
        const images = datasetImagesTensor(dataset, params.imageSize)
        const tokens = tf.tensor2d(tokenizeCaptions(vocabulary, table.captions), [table.captions.length, vocabulary.maxLength], "int32")
        try {
          log(`${n} images (${heldOut.length} held out), ${table.captions.length} captions, ${vocabulary.words.length} words, up to ${vocabulary.maxLength} per caption; D = ${params.dim}`)
          const losses = await trainJointEmbedding(text, image, { images, tokens, captionsOfImage, trainImages }, {
            steps: params.steps,
            batchSize: params.batchSize,
            learningRate: params.learningRate,
            temperature: params.temperature,
            seed: params.seed,
            onStep: reportTrainingSteps({ metric, progress }, params.steps),
          })
          const embeddings = encodeTokenRows(text, tokens)
          writeCaptionEmbeddings(join(outDir, CAPTION_EMBEDDINGS_FILE), { rows: table.captions.length, dim: params.dim, values: embeddings })
          await saveTextEncoder(outDir, { model: text, vocabulary })
          let wins = 0
          let trials = 0
          if (heldOut.length > 0) {
            const heldImages = tf.tidy(() => tf.gather(images, tf.tensor1d(heldOut, "int32")))
            const features = encodeImageRows(image, heldImages)
            heldImages.dispose()
            heldOut.forEach((img, k) => {
              for (const c of captionsOfImage[img]!) {
                trials++
                if (dot(features, k, embeddings, c, params.dim) > dot(features, k, embeddings, table.mismatched[c]!, params.dim)) wins++
              }
            })
          }
          const matched = trials > 0 ? wins / trials : Number.NaN
          const finalLoss = losses.subarray(Math.max(0, losses.length - 10)).reduce((a, b) => a + b, 0) / Math.min(10, losses.length)
          metric("held-out-matched-over-mismatched", matched)
          log(`loss ${losses[0]!.toFixed(3)} -> ${finalLoss.toFixed(3)} (chance ln B = ${Math.log(Math.min(params.batchSize, trainImages.length)).toFixed(3)}); held-out captions scored above their mismatched caption: ${(matched * 100).toFixed(1)}% of ${trials} (chance 50%)`)
          const value: TextEncoderValue = { embeddingSize: params.dim, captions: table.captions.length, vocabulary: vocabulary.words.length, finalLoss, heldOutMatchedOverMismatched: matched, heldOutImages: heldOut.length }
          return value
        } finally {
          tf.dispose([images, tokens])
          text.dispose()
          image.dispose()
        }
      }, isDataError)
    }),
})
