import * as tf from "@tensorflow/tfjs-layers"
import { layerSeeds } from "./seeded-initializers.ts"

/** Options of {@link faceFeatureCnn}. */
export interface FaceFeatureCnnOptions {
  /** Square input side, a multiple of 8 (e.g. 64 or 32). */
  readonly size: number
  /** Number of classes of the `logits` head. */
  readonly classes: number
  /** Width of the first conv (default 32; doubles per conv). */
  readonly width?: number
  /** Width of the `features` layer (default 128). */
  readonly featureSize?: number
  readonly seed?: number
}

/**
 * The small face classifier the face pipelines train as stages, on images in [-1, 1]: the age classifier (6 age
 * groups), the identity-embedding network (classes = training identities; its `features` are the embedding) and the
 * default content network of SRGAN's perceptual loss (its `conv2`/`conv3` feature maps). Layers, with their names:
 * `conv1` 3x3 stride 1 (size x size x w), `conv2`, `conv3`, `conv4` 3x3 stride 2 (halving, 2w, 4w, 8w), each with
 * LeakyReLU 0.2 inside; global average pooling; `features` dense + LeakyReLU; `logits` dense. No batch norm, so
 * training and inference compute the same function.
 */
export const faceFeatureCnn = (o: FaceFeatureCnnOptions): tf.LayersModel => {
  if (o.size % 8 !== 0) throw new Error(`faceFeatureCnn: size ${o.size} must be a multiple of 8`)
  const w = o.width ?? 32
  const seeds = layerSeeds(o.seed ?? 0)
  const init = () => tf.initializers.heNormal({ seed: seeds.next() })
  const leaky = (x: tf.SymbolicTensor) => tf.layers.leakyReLU({ alpha: 0.2 }).apply(x) as tf.SymbolicTensor
  const conv = (x: tf.SymbolicTensor, filters: number, strides: number, name: string) =>
    leaky(tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: "same", kernelInitializer: init(), name }).apply(x) as tf.SymbolicTensor)
  const image = tf.input({ shape: [o.size, o.size, 3], name: "image" }) // 64x64x3
  let x = conv(image, w, 1, "conv1") // 64x64x32
  x = conv(x, w * 2, 2, "conv2") // 32x32x64
  x = conv(x, w * 4, 2, "conv3") // 16x16x128
  x = conv(x, w * 8, 2, "conv4") // 8x8x256
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor // 256
  const features = tf.layers.dense({ units: o.featureSize ?? 128, kernelInitializer: init(), name: "features" }).apply(x) as tf.SymbolicTensor // 128
  const logits = tf.layers.dense({ units: o.classes, kernelInitializer: init(), name: "logits" }).apply(leaky(features)) as tf.SymbolicTensor // classes
  return tf.model({ name: "face_cnn", inputs: image, outputs: logits })
}
