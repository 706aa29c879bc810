import * as tf from "@tensorflow/tfjs-layers"
import { type } from "arktype"
import type { GanModels } from "./gan-models.ts"
import { ImageShape } from "./image-shape.ts"
import { batchNormalization } from "./layers/batch-normalization.ts"
import { glorot, type LayerSeeds, layerSeeds, type SeedOption } from "./seeded-initializers.ts"

/** Options of the conditional MLP GAN (cGAN, Mirza & Osindero 2014; ACGAN, Odena et al. 2017). */
export const ConditionalGanOptions = type({
  "+": "reject",
  /** Number of classes (default 10). */
  "numClasses?": "number.integer >= 2",
  /** Latent size (default 100). */
  "latentDim?": "number.integer > 0",
  /** Image shape (default `[28, 28, 1]`). */
  "imageShape?": ImageShape,
  /** Hidden widths of G, first to last (default `[256, 512, 1024]`); D uses them reversed. */
  "hidden?": type("number.integer > 0").array().atLeastLength(1).readonly(),
  /** How a label enters a network: a learned embedding (default, `embeddingDim` wide) or a one-hot vector. */
  "labelEncoding?": "'embedding' | 'one-hot'",
  /** Width of the learned label embedding (default 50). */
  "embeddingDim?": "number.integer > 0",
  /** ACGAN: D sees only the image and predicts the class with a second head; G stays conditional. */
  "auxiliaryClassifier?": "boolean",
})
/** See {@link ConditionalGanOptions}. */
export type ConditionalGanOptions = typeof ConditionalGanOptions.infer

/**
 * Conditional GAN on flat images. G: `[z (B x latentDim), label (B x 1)]` -> concat(z, enc(label)) -> hidden
 * (LeakyReLU 0.2, BN momentum 0.8) -> tanh image. D: concat(flatten(image), enc(label)) -> hidden reversed
 * (LeakyReLU 0.2) -> 1 logit; or with `auxiliaryClassifier` D: image -> hidden -> [1 logit, numClasses logits].
 * Labels are integer class ids in a `[B, 1]` tensor (float or int32).
 */
export const conditionalGan = (options: ConditionalGanOptions & SeedOption = {}): GanModels => {
  const numClasses = options.numClasses ?? 10
  const latentDim = options.latentDim ?? 100
  const imageShape = options.imageShape ?? [28, 28, 1]
  const hidden = options.hidden ?? [256, 512, 1024]
  const auxiliaryClassifier = options.auxiliaryClassifier ?? false
  const pixels = imageShape.reduce((a, b) => a * b, 1)
  const seeds = layerSeeds(options.seed ?? 0)
  const encodeLabel = labelEncoder(options, numClasses, seeds)

  const z = tf.input({ shape: [latentDim], name: "latent" }) // 100
  const gLabel = tf.input({ shape: [1], name: "label" }) // 1
  let g = tf.layers.concatenate().apply([z, encodeLabel(gLabel)]) as tf.SymbolicTensor // 100 + 50
  for (const units of hidden) {
    g = tf.layers.dense({ units, kernelInitializer: glorot(seeds) }).apply(g) as tf.SymbolicTensor // 256, 512, 1024
    g = tf.layers.leakyReLU({ alpha: 0.2 }).apply(g) as tf.SymbolicTensor
    g = batchNormalization({ momentum: 0.8, epsilon: 1e-3 }).apply(g) as tf.SymbolicTensor
  }
  g = tf.layers.dense({ units: pixels, activation: "tanh", kernelInitializer: glorot(seeds) }).apply(g) as tf.SymbolicTensor // 784
  const image = tf.layers.reshape({ targetShape: [...imageShape] }).apply(g) as tf.SymbolicTensor // 28x28x1
  const generator = tf.model({ name: "conditional_generator", inputs: [z, gLabel], outputs: image })

  const dImage = tf.input({ shape: [...imageShape], name: "image" }) // 28x28x1
  const flat = tf.layers.flatten().apply(dImage) as tf.SymbolicTensor // 784
  const dLabel = auxiliaryClassifier ? null : tf.input({ shape: [1], name: "label" })
  let d = dLabel ? (tf.layers.concatenate().apply([flat, encodeLabel(dLabel)]) as tf.SymbolicTensor) : flat // 784 + 50
  for (const units of [...hidden].reverse().slice(0, -1)) {
    d = tf.layers.dense({ units, kernelInitializer: glorot(seeds) }).apply(d) as tf.SymbolicTensor // 1024, 512
    d = tf.layers.leakyReLU({ alpha: 0.2 }).apply(d) as tf.SymbolicTensor
  }
  const validity = tf.layers.dense({ units: 1, name: "validity", kernelInitializer: glorot(seeds) }).apply(d) as tf.SymbolicTensor // 1 logit
  const outputs = auxiliaryClassifier
    ? [validity, tf.layers.dense({ units: numClasses, name: "class_logits", kernelInitializer: glorot(seeds) }).apply(d) as tf.SymbolicTensor] // 10
    : validity
  const discriminator = tf.model({ name: "conditional_discriminator", inputs: dLabel ? [dImage, dLabel] : dImage, outputs })

  return { generator, discriminator, latentDim, imageShape, outputRange: "tanh", numClasses, auxiliaryClassifier }
}

const labelEncoder = (options: ConditionalGanOptions, numClasses: number, seeds: LayerSeeds) => (label: tf.SymbolicTensor): tf.SymbolicTensor => {
  // one-hot is a frozen identity embedding (tfjs' categoryEncoding layer corrupts its input's symbolic shape)
  const embedding =
    options.labelEncoding === "one-hot"
      ? tf.layers.embedding({ inputDim: numClasses, outputDim: numClasses, embeddingsInitializer: tf.initializers.identity({ gain: 1 }), trainable: false })
      : tf.layers.embedding({
          inputDim: numClasses,
          outputDim: options.embeddingDim ?? 50,
          embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: seeds.next() }),
        })
  const embedded = embedding.apply(label) as tf.SymbolicTensor // 1x50 (or 1x10 one-hot)
  return tf.layers.flatten().apply(embedded) as tf.SymbolicTensor // 50
}
