/**
 * A multi-head classifier of the synthetic anime faces' attributes (hair colour and style, bangs, eye colour, eyes
 * closed, mouth, blush, accessory): one shared CNN trunk, one softmax head per attribute. Trained on real faces
 * with the attributes they were drawn with, it judges whether generated faces show what their captions state
 * (maths/caption-agreement.ts). Input [S, S, 3] in [-1, 1]; seeded Glorot initialisation.
 */
import { accessoryKinds, bangsKinds, eyeColorNames, hairColorNames, hairStyles, mouthKinds, ShuffledRowBatches, type FaceAttributeName, type RowBatchTraining, type FaceAttributes } from "@ganflow/data"
import { layerSeeds } from "@ganflow/models"
import * as tf from "@tensorflow/tfjs-core"
import * as tfl from "@tensorflow/tfjs-layers"

/** The classes of each head, in output order; a class index is a position in its list. */
export const FACE_ATTRIBUTE_CLASSES: Readonly<Record<FaceAttributeName, readonly (string | boolean)[]>> = {
  hairColor: hairColorNames,
  hairStyle: hairStyles,
  bangs: bangsKinds,
  eyeColor: eyeColorNames,
  eyesClosed: [false, true],
  mouth: mouthKinds,
  blush: [false, true],
  accessory: accessoryKinds,
}
/** Every head, in the model's output order. */
export const FACE_ATTRIBUTE_HEADS = Object.keys(FACE_ATTRIBUTE_CLASSES) as FaceAttributeName[]

/**
 * Class index of each face's value per head, [faces] each; −1 where the value is not visible (eye colour of
 * closed eyes), which training ignores.
 */
export const faceAttributeCodes = (faces: readonly FaceAttributes[]): Record<FaceAttributeName, Int32Array> =>
  Object.fromEntries(
    FACE_ATTRIBUTE_HEADS.map((head) => [
      head,
      Int32Array.from(faces, (f) => (head === "eyeColor" && f.eyesClosed ? -1 : FACE_ATTRIBUTE_CLASSES[head].indexOf(f[head]))),
    ]),
  ) as Record<FaceAttributeName, Int32Array>

/** Shared trunk (four 3x3 convs, three of stride 2, dense 128) and one logits head per attribute. */
export const buildAttributeClassifier = (o: { readonly imageSize: number; readonly width: number; readonly seed: number }): tfl.LayersModel => {
  const seeds = layerSeeds(o.seed ^ 0xa77b)
  const glorot = () => tfl.initializers.glorotUniform({ seed: seeds.next() })
  const conv = (filters: number, strides: number) => tfl.layers.conv2d({ filters, kernelSize: 3, strides, padding: "same", activation: "relu", kernelInitializer: glorot() })
  const image = tfl.input({ shape: [o.imageSize, o.imageSize, 3], name: "image" })
  let x = conv(o.width, 1).apply(image) //       S x S x w
  x = conv(o.width * 2, 2).apply(x) //           S/2
  x = conv(o.width * 4, 2).apply(x) //           S/4
  x = conv(o.width * 8, 2).apply(x) //           S/8 x S/8 x 8w
  x = tfl.layers.flatten().apply(x)
  x = tfl.layers.dense({ units: 128, activation: "relu", kernelInitializer: glorot() }).apply(x) // 128
  const heads = FACE_ATTRIBUTE_HEADS.map((head) =>
    tfl.layers.dense({ units: FACE_ATTRIBUTE_CLASSES[head].length, kernelInitializer: glorot(), name: `head_${head}` }).apply(x) as tfl.SymbolicTensor,
  )
  return tfl.model({ inputs: image, outputs: heads, name: "face_attribute_classifier" })
}

/** Training settings of {@link trainAttributeClassifier}. */
export type AttributeClassifierTraining = RowBatchTraining

/**
 * Trains `model` in place with Adam on the sum over heads of softmax cross-entropy (labels −1 ignored), drawing
 * batches from `trainRows` in seeded shuffled order. `images` [N, S, S, 3] in [−1, 1] and the models are the
 * caller's; the optimizer is created and disposed here.
 */
export const trainAttributeClassifier = async (
  model: tfl.LayersModel,
  images: tf.Tensor4D,
  codes: Readonly<Record<FaceAttributeName, Int32Array>>,
  trainRows: Int32Array,
  training: AttributeClassifierTraining,
): Promise<Float32Array> => {
  const batches = new ShuffledRowBatches(trainRows, training.batchSize, training.seed ^ 0xc1a5)
  const optimizer = tf.train.adam(training.learningRate)
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable)
  const losses = new Float32Array(training.steps)
  try {
    for (let step = 0; step < training.steps; step++) {
      const rows = batches.next()
      const loss = tf.tidy(() => {
        const x = tf.gather(images, tf.tensor1d(rows, "int32"))
        const targets = FACE_ATTRIBUTE_HEADS.map((head) => {
          const labels = Int32Array.from(rows, (r) => codes[head][r]!)
          return { onehot: tf.oneHot(tf.tensor1d(labels, "int32"), FACE_ATTRIBUTE_CLASSES[head].length), weights: tf.tensor1d(Float32Array.from(labels, (l) => (l < 0 ? 0 : 1))) }
        })
        return optimizer.minimize(() => {
          const logits = model.apply(x, { training: true }) as tf.Tensor[]
          return tf.addN(targets.map((t, h) => tf.losses.softmaxCrossEntropy(t.onehot, logits[h]!, t.weights))) as tf.Scalar
        }, true, variables)!
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

/** Predicted class index per head for `images` [N, S, S, 3] in [−1, 1] (resized to the model's size if needed), in batches. */
export const predictFaceAttributes = (model: tfl.LayersModel, images: tf.Tensor4D, batchSize = 256): Record<FaceAttributeName, Int32Array> => {
  const n = images.shape[0]
  const size = model.inputs[0]!.shape[1] as number
  const out = Object.fromEntries(FACE_ATTRIBUTE_HEADS.map((h) => [h, new Int32Array(n)])) as Record<FaceAttributeName, Int32Array>
  for (let start = 0; start < n; start += batchSize) {
    const rows = Math.min(batchSize, n - start)
    const predictions = tf.tidy(() => {
      let x = tf.slice(images, [start, 0, 0, 0], [rows, -1, -1, -1]) as tf.Tensor4D
      if (x.shape[1] !== size || x.shape[2] !== size) x = tf.image.resizeBilinear(x, [size, size], false, true) // as datasetImagesTensor resizes real faces
      return (model.predict(x) as tf.Tensor[]).map((logits) => tf.argMax(logits, 1))
    })
    predictions.forEach((p, h) => out[FACE_ATTRIBUTE_HEADS[h]!].set(p.dataSync() as Int32Array, start))
    tf.dispose(predictions)
  }
  return out
}
