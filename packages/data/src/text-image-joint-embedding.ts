/**
 * Training the joint image–text embedding (text-encoder-network.ts) so that a caption scores higher with its own
 * image than with other images, and an image higher with its own caption than with other captions — the
 * symmetric form of Reed et al. 2016's structured joint embedding objective, written as a batch contrastive loss:
 *
 *   s_ij = cos(θ(v_i), φ(t_j)) / τ        for a batch of B images v_i, each with one of its captions t_i
 *   L = ½ (CE(softmax_j s_ij, i) + CE(softmax_i s_ij, j)) averaged over the batch
 *
 * Each step draws B distinct images (seeded shuffle without replacement) and one of each image's captions.
 * Synchronous maths runs inside tf.tidy; the optimizer is created and disposed here, the two models belong to the
 * caller.
 */
import * as tf from "@tensorflow/tfjs-core"
import type * as tfl from "@tensorflow/tfjs-layers"
import { ShuffledRowBatches, type RowBatchTraining } from "./shuffled-row-batches.ts"
import { oneHotWords } from "./text-encoder-network.ts"

/** Symmetric batch contrastive loss of L2-normalised image and text features [B, D] at temperature τ (formula above). */
export const jointEmbeddingLoss = (imageFeatures: tf.Tensor2D, textFeatures: tf.Tensor2D, temperature: number): tf.Scalar =>
  tf.tidy(() => {
    const v = tf.div(imageFeatures, tf.add(tf.norm(imageFeatures, 2, 1, true), 1e-8))
    const t = tf.div(textFeatures, tf.add(tf.norm(textFeatures, 2, 1, true), 1e-8))
    const scores = tf.div(tf.matMul(v, t, false, true), temperature) as tf.Tensor2D
    const labels = tf.oneHot(tf.range(0, scores.shape[0], 1, "int32"), scores.shape[0])
    const imageToText = tf.losses.softmaxCrossEntropy(labels, scores)
    const textToImage = tf.losses.softmaxCrossEntropy(labels, tf.transpose(scores))
    return tf.mul(tf.add(imageToText, textToImage), 0.5) as tf.Scalar
  })

/** What {@link trainJointEmbedding} reads. */
export interface JointEmbeddingData {
  /** Images [N, S, S, 3] in [-1, 1] (owned by the caller). */
  readonly images: tf.Tensor4D
  /** Token ids [C, L] of every caption (owned by the caller). */
  readonly tokens: tf.Tensor2D
  /** Caption rows of each image (only the images listed in `trainImages` are drawn). */
  readonly captionsOfImage: ReadonlyArray<readonly number[]>
  /** The images training may draw from. */
  readonly trainImages: Int32Array
}

/** Training settings: the loop's, plus the contrastive temperature τ. */
export interface JointEmbeddingTraining extends RowBatchTraining {
  readonly temperature: number
}

/** Trains `textEncoder` and `imageEncoder` in place with Adam; returns the loss of every step. */
export const trainJointEmbedding = async (
  textEncoder: tfl.LayersModel,
  imageEncoder: tfl.LayersModel,
  data: JointEmbeddingData,
  training: JointEmbeddingTraining,
): Promise<Float32Array> => {
  const batches = new ShuffledRowBatches(data.trainImages, training.batchSize, training.seed ^ 0x70e1)
  const optimizer = tf.train.adam(training.learningRate)
  const variables = [...textEncoder.trainableWeights, ...imageEncoder.trainableWeights].map((w) => w.read() as tf.Variable)
  const losses = new Float32Array(training.steps)
  try {
    for (let step = 0; step < training.steps; step++) {
      const images = batches.next()
      const captions = Int32Array.from(images, (i) => batches.stream.pick(data.captionsOfImage[i]!))
      const loss = tf.tidy(() => {
        const v = tf.gather(data.images, tf.tensor1d(images, "int32"))
        const t = oneHotWords(textEncoder, tf.gather(data.tokens, tf.tensor1d(captions, "int32")) as tf.Tensor2D)
        return optimizer.minimize(
          () => jointEmbeddingLoss(imageEncoder.apply(v, { training: true }) as tf.Tensor2D, textEncoder.apply(t, { training: true }) as tf.Tensor2D, training.temperature),
          true,
          variables,
        )!
      })
      losses[step] = (await loss.data())[0]!
      loss.dispose()
      training.onStep?.(step, losses[step]!)
    }
  } finally {
    optimizer.dispose()
  }
  return losses
}

/** L2-normalised outputs of `model` for every row of `inputs` (axis 0), `prepare`d batch by batch: float32 [rows, D]. */
const normalisedRows = (model: tfl.LayersModel, inputs: tf.Tensor, batchSize: number, prepare: (batch: tf.Tensor) => tf.Tensor = (b) => b): Float32Array => {
  const rows = inputs.shape[0]!
  const dim = model.outputs[0]!.shape[1] as number
  const out = new Float32Array(rows * dim)
  for (let start = 0; start < rows; start += batchSize) {
    const n = Math.min(batchSize, rows - start)
    const part = tf.tidy(() => {
      const f = model.predict(prepare(tf.slice(inputs, [start, ...inputs.shape.slice(1).map(() => 0)], [n, ...inputs.shape.slice(1).map(() => -1)]))) as tf.Tensor2D
      return tf.div(f, tf.add(tf.norm(f, 2, 1, true), 1e-8))
    })
    out.set(part.dataSync() as Float32Array, start * dim)
    part.dispose()
  }
  return out
}

/** φ(t) of every row of `tokens` [C, L] (word ids), L2-normalised, in batches: float32 [C, D]. */
export const encodeTokenRows = (textEncoder: tfl.LayersModel, tokens: tf.Tensor2D, batchSize = 512): Float32Array =>
  normalisedRows(textEncoder, tokens, batchSize, (batch) => oneHotWords(textEncoder, batch as tf.Tensor2D))

/** L2-normalised θ(v) of every image [N, S, S, 3], in batches: float32 [N, D]. */
export const encodeImageRows = (imageEncoder: tfl.LayersModel, images: tf.Tensor4D, batchSize = 256): Float32Array => normalisedRows(imageEncoder, images, batchSize)
