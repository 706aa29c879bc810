import * as tf from "@tensorflow/tfjs-layers"
import { type } from "arktype"
import type { GanModels } from "./gan-models.ts"
import { batchNormalization } from "./layers/batch-normalization.ts"
import { gammaNormal, type LayerSeeds, layerSeeds, normal002, type SeedOption } from "./seeded-initializers.ts"

/** Options of the convolutional conditional GAN (the face-aging use case: Age-cGAN, Antipov et al. 2017). */
export const ConditionalDcganOptions = type({
  "+": "reject",
  /** Number of classes, e.g. age groups (default 6, Age-cGAN's 0-18, 19-29, 30-39, 40-49, 50-59, 60+). */
  "numClasses?": "number.integer >= 2",
  /** Output size: 64 or 32 (default 64). */
  "resolution?": "64 | 32",
  /** Generator width (default 64). */
  "ngf?": "number.integer > 0",
  /** Discriminator width (default `ngf`). */
  "ndf?": "number.integer > 0",
  /** Image channels (default 3). */
  "channels?": "number.integer > 0",
  /** Latent size (default 100). */
  "latentDim?": "number.integer > 0",
  /** How a label enters each network: a learned embedding (default, `embeddingDim` wide) or a one-hot vector. */
  "labelEncoding?": "'embedding' | 'one-hot'",
  /** Width of the learned label embedding (default 50). */
  "embeddingDim?": "number.integer > 0",
  /** ACGAN: D sees only the image and predicts the class with a second head. */
  "auxiliaryClassifier?": "boolean",
})
/** See {@link ConditionalDcganOptions}. */
export type ConditionalDcganOptions = typeof ConditionalDcganOptions.infer

/**
 * Conditional DCGAN, as Age-cGAN builds it on the DCGAN of Radford et al.: G concatenates the encoded label to z
 * before the first transposed convolution; D concatenates the label, tiled to feature maps, after its first
 * convolution. Layers, init and widths are DCGAN's. G takes `[z (B x latentDim), label (B x 1)]`, D takes
 * `[image, label]` (or the image alone with `auxiliaryClassifier`, returning `[validity, class logits]`).
 * At 64 px, ngf = ndf = 64, 6 classes, embedding 50: G has 3,986,604 trainable parameters, D 2,868,268.
 */
export const conditionalDcgan = (options: ConditionalDcganOptions & SeedOption = {}): GanModels => {
  const numClasses = options.numClasses ?? 6
  const resolution = options.resolution ?? 64
  const ngf = options.ngf ?? 64
  const ndf = options.ndf ?? ngf
  const channels = options.channels ?? 3
  const latentDim = options.latentDim ?? 100
  const auxiliaryClassifier = options.auxiliaryClassifier ?? false
  const seeds = layerSeeds(options.seed ?? 0)
  const encodeLabel = labelEncoder(options, numClasses, seeds)
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) => layer.apply(x) as tf.SymbolicTensor

  const z = tf.input({ shape: [latentDim], name: "latent" }) // 100
  const gLabel = tf.input({ shape: [1], name: "label" }) // 1
  const zy = apply(tf.layers.concatenate(), [z, encodeLabel(gLabel)]) // 100 + 50
  let g = apply(tf.layers.reshape({ targetShape: [1, 1, zy.shape[1]!] }), zy) // 1x1x150
  const up = (x: tf.SymbolicTensor, filters: number, strides: number, padding: "same" | "valid") =>
    apply(tf.layers.conv2dTranspose({ filters, kernelSize: 4, strides, padding, useBias: false, kernelInitializer: normal002(seeds) }), x)
  const bnRelu = (x: tf.SymbolicTensor) =>
    apply(tf.layers.reLU(), apply(batchNormalization({ momentum: 0.9, epsilon: 1e-5, gammaInitializer: gammaNormal(seeds) }), x))
  const widths = resolution === 64 ? [ngf * 8, ngf * 4, ngf * 2, ngf] : [ngf * 4, ngf * 2, ngf]
  widths.forEach((w, i) => {
    g = bnRelu(up(g, w, i === 0 ? 1 : 2, i === 0 ? "valid" : "same")) // 4x4x512, 8x8x256, 16x16x128, 32x32x64
  })
  g = apply(tf.layers.activation({ activation: "tanh" }), up(g, channels, 2, "same")) // 64x64x3
  const generator = tf.model({ name: `conditional_dcgan${resolution}_generator`, inputs: [z, gLabel], outputs: g })

  const down = (x: tf.SymbolicTensor, filters: number, kernelSize = 4, strides = 2, padding: "same" | "valid" = "same") =>
    apply(tf.layers.conv2d({ filters, kernelSize, strides, padding, useBias: false, kernelInitializer: normal002(seeds) }), x)
  const leaky = (x: tf.SymbolicTensor) => apply(tf.layers.leakyReLU({ alpha: 0.2 }), x)
  const bnLeaky = (x: tf.SymbolicTensor) => leaky(apply(batchNormalization({ momentum: 0.9, epsilon: 1e-5, gammaInitializer: gammaNormal(seeds) }), x))
  const image = tf.input({ shape: [resolution, resolution, channels], name: "image" }) // 64x64x3
  const dLabel = auxiliaryClassifier ? null : tf.input({ shape: [1], name: "label" })
  let d = leaky(down(image, ndf)) // 32x32x64
  if (dLabel !== null) {
    const side = resolution / 2
    const code = encodeLabel(dLabel) // 50
    const maps = apply(tf.layers.reshape({ targetShape: [side, side, code.shape[1]!] }), apply(tf.layers.repeatVector({ n: side * side }), code)) // 32x32x50
    d = apply(tf.layers.concatenate(), [d, maps]) // 32x32x114
  }
  const dWidths = resolution === 64 ? [ndf * 2, ndf * 4, ndf * 8] : [ndf * 2, ndf * 4]
  for (const w of dWidths) d = bnLeaky(down(d, w)) // 16x16x128, 8x8x256, 4x4x512
  const validity = apply(tf.layers.flatten(), down(d, 1, 4, 1, "valid")) // 1 logit
  const outputs = auxiliaryClassifier
    ? [validity, apply(tf.layers.dense({ units: numClasses, name: "class_logits", kernelInitializer: normal002(seeds) }), apply(tf.layers.flatten(), d))] // 6
    : validity
  const discriminator = tf.model({ name: `conditional_dcgan${resolution}_discriminator`, inputs: dLabel ? [image, dLabel] : image, outputs })
  return { generator, discriminator, latentDim, imageShape: [resolution, resolution, channels], outputRange: "tanh", numClasses, auxiliaryClassifier }
}

const labelEncoder = (options: ConditionalDcganOptions, numClasses: number, seeds: LayerSeeds) => (label: tf.SymbolicTensor): tf.SymbolicTensor => {
  // one-hot is a frozen identity embedding (tfjs' categoryEncoding layer corrupts its input's symbolic shape)
  const embedding =
    options.labelEncoding === "one-hot"
      ? tf.layers.embedding({ inputDim: numClasses, outputDim: numClasses, embeddingsInitializer: tf.initializers.identity({ gain: 1 }), trainable: false })
      : tf.layers.embedding({
          inputDim: numClasses,
          outputDim: options.embeddingDim ?? 50,
          embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: seeds.next() }),
        })
  return tf.layers.flatten().apply(embedding.apply(label)) as tf.SymbolicTensor // 50
}
