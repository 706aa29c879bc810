import * as tf from "@tensorflow/tfjs-layers"
import { type } from "arktype"
import type { GanModels } from "./gan-models.ts"
import { ImageShape } from "./image-shape.ts"
import { MinibatchDiscrimination, MinibatchDiscriminationSize } from "./layers/minibatch-discrimination.ts"
import { glorot, layerSeeds, type SeedOption } from "./seeded-initializers.ts"

/** Options of the Keras-GAN MNIST MLP GAN; unknown keys are errors. */
export const KerasMnistGanOptions = type({
  "+": "reject",
  /** Latent size (default 100). */
  "latentDim?": "number.integer > 0",
  /** Image shape (default `[28, 28, 1]`). */
  "imageShape?": ImageShape,
  /** Insert a minibatch-discrimination layer before D's output (Salimans et al.). */
  "minibatchDiscrimination?": MinibatchDiscriminationSize,
})
/** See {@link KerasMnistGanOptions}. */
export type KerasMnistGanOptions = typeof KerasMnistGanOptions.infer

/**
 * The Keras MNIST GAN (Keras-GAN `gan.py`): G 100 -> 256 -> 512 -> 1024 -> 784 tanh with LeakyReLU 0.2 and
 * BatchNorm (momentum 0.8) after each hidden layer; D 784 -> 512 -> 256 -> 1 with LeakyReLU 0.2.
 * Trainable parameters: G 1,493,520 (1,489,936 trainable + 3,584 BN moving statistics); D 533,505, as Keras' summary prints.
 */
export const kerasMnistGan = (options: KerasMnistGanOptions & SeedOption = {}): GanModels => {
  const latentDim = options.latentDim ?? 100
  const imageShape = options.imageShape ?? [28, 28, 1]
  const pixels = imageShape.reduce((a, b) => a * b, 1)
  const seeds = layerSeeds(options.seed ?? 0)
  const bn = () => tf.layers.batchNormalization({ momentum: 0.8, epsilon: 1e-3 })

  const generator = tf.sequential({ name: "keras_mnist_generator" })
  generator.add(tf.layers.dense({ inputShape: [latentDim], units: 256, kernelInitializer: glorot(seeds) })) // 256
  generator.add(tf.layers.leakyReLU({ alpha: 0.2 }))
  generator.add(bn()) // 256
  generator.add(tf.layers.dense({ units: 512, kernelInitializer: glorot(seeds) })) // 512
  generator.add(tf.layers.leakyReLU({ alpha: 0.2 }))
  generator.add(bn()) // 512
  generator.add(tf.layers.dense({ units: 1024, kernelInitializer: glorot(seeds) })) // 1024
  generator.add(tf.layers.leakyReLU({ alpha: 0.2 }))
  generator.add(bn()) // 1024
  generator.add(tf.layers.dense({ units: pixels, activation: "tanh", kernelInitializer: glorot(seeds) })) // 784
  generator.add(tf.layers.reshape({ targetShape: [...imageShape] })) // 28x28x1

  const discriminator = tf.sequential({ name: "keras_mnist_discriminator" })
  discriminator.add(tf.layers.flatten({ inputShape: [...imageShape] })) // 784
  discriminator.add(tf.layers.dense({ units: 512, kernelInitializer: glorot(seeds) })) // 512
  discriminator.add(tf.layers.leakyReLU({ alpha: 0.2 }))
  discriminator.add(tf.layers.dense({ units: 256, kernelInitializer: glorot(seeds) })) // 256
  discriminator.add(tf.layers.leakyReLU({ alpha: 0.2 }))
  const mbd = options.minibatchDiscrimination
  if (mbd) discriminator.add(new MinibatchDiscrimination({ ...mbd, seed: seeds.next() })) // 256 + kernels
  discriminator.add(tf.layers.dense({ units: 1, kernelInitializer: glorot(seeds) })) // 1 logit

  return { generator, discriminator, latentDim, imageShape, outputRange: "tanh" }
}
