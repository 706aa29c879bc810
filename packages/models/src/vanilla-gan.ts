import * as tf from "@tensorflow/tfjs-layers"
import { type } from "arktype"
import type { GanModels } from "./gan-models.ts"
import { ImageShape } from "./image-shape.ts"
import { MinibatchDiscrimination, MinibatchDiscriminationSize } from "./layers/minibatch-discrimination.ts"
import { glorot, layerSeeds, type SeedOption } from "./seeded-initializers.ts"

/** Options of the seeds' vanilla (fully connected) GAN. */
export const VanillaGanOptions = type({
  "+": "reject",
  /** Latent size (default 100). */
  "latentDim?": "number.integer > 0",
  /** Width of both hidden layers in G and D (default 500). */
  "hidden?": "number.integer > 0",
  /** Image shape (default `[28, 28, 1]`). */
  "imageShape?": ImageShape,
  /** Generator output activation (default `"tanh"`, data in [-1, 1]). */
  "outputRange?": "'tanh' | 'sigmoid'",
  /** Insert a minibatch-discrimination layer before D's output (Salimans et al.). */
  "minibatchDiscrimination?": MinibatchDiscriminationSize,
})
/** See {@link VanillaGanOptions}. */
export type VanillaGanOptions = typeof VanillaGanOptions.infer

/**
 * The seeds' vanilla GAN (Goodfellow et al. 2014 style MLPs):
 * G 100 -> 500 -> 500 -> 784 -> 28x28x1; D 28x28x1 -> 784 -> 500 -> 500 -> 1.
 * Hidden activations: ReLU in G, LeakyReLU 0.2 in D. Kernels Glorot-uniform (Keras' default), biases zero.
 */
export const vanillaGan = (options: VanillaGanOptions & SeedOption = {}): GanModels => {
  const latentDim = options.latentDim ?? 100
  const hidden = options.hidden ?? 500
  const imageShape = options.imageShape ?? [28, 28, 1]
  const outputRange = options.outputRange ?? "tanh"
  const pixels = imageShape.reduce((a, b) => a * b, 1)
  const seeds = layerSeeds(options.seed ?? 0)

  const generator = tf.sequential({ name: "vanilla_generator" })
  generator.add(tf.layers.dense({ inputShape: [latentDim], units: hidden, activation: "relu", kernelInitializer: glorot(seeds) })) // 500
  generator.add(tf.layers.dense({ units: hidden, activation: "relu", kernelInitializer: glorot(seeds) })) // 500
  generator.add(tf.layers.dense({ units: pixels, activation: outputRange, kernelInitializer: glorot(seeds) })) // 784
  generator.add(tf.layers.reshape({ targetShape: [...imageShape] })) // 28x28x1

  const discriminator = tf.sequential({ name: "vanilla_discriminator" })
  discriminator.add(tf.layers.flatten({ inputShape: [...imageShape] })) // 784
  discriminator.add(tf.layers.dense({ units: hidden, kernelInitializer: glorot(seeds) })) // 500
  discriminator.add(tf.layers.leakyReLU({ alpha: 0.2 })) // 500
  discriminator.add(tf.layers.dense({ units: hidden, kernelInitializer: glorot(seeds) })) // 500
  discriminator.add(tf.layers.leakyReLU({ alpha: 0.2 })) // 500
  const mbd = options.minibatchDiscrimination
  if (mbd) discriminator.add(new MinibatchDiscrimination({ ...mbd, seed: seeds.next() })) // 500 + kernels
  discriminator.add(tf.layers.dense({ units: 1, kernelInitializer: glorot(seeds) })) // 1 logit

  return { generator, discriminator, latentDim, imageShape, outputRange }
}
