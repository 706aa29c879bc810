import * as tf from "@tensorflow/tfjs-layers"
import { type } from "arktype"
// conv3dTranspose has no gradient in tfjs-core 4.22; the backend package registers the one ganflow uses
import "@ganflow/backend/gradients"
import type { GanModels } from "./gan-models.ts"
import { batchNormalization } from "./layers/batch-normalization.ts"
import { MinibatchStandardDeviation } from "./layers/minibatch-standard-deviation.ts"
import { glorot, layerSeeds, type SeedOption } from "./seeded-initializers.ts"

/** Options of the 3D-GAN (Wu et al. 2016); unknown keys are errors. */
export const Gan3dOptions = type({
  "+": "reject",
  /** Voxel grid side: 64 (the paper's) or 32 (CPU-sized, one block fewer). Default 64. */
  "resolution?": "64 | 32",
  /** Width: filters of G's last hidden layer and D's first layer (default 64, giving 512-256-128-64). */
  "width?": "number.integer > 0",
  /** Latent size (default 200). */
  "latentDim?": "number.integer > 0",
  /**
   * Append a minibatch-standard-deviation channel before D's last conv (Karras et al. 2018): D sees how varied the
   * batch is, so a generator drawing one shape loses. Not in the paper; off by default.
   */
  "minibatchStdDev?": "boolean",
})
/** See {@link Gan3dOptions}. */
export type Gan3dOptions = typeof Gan3dOptions.infer

/**
 * The seeds' 3D-GAN: G z(200) -> 4^3x512 -> 8^3x256 -> 16^3x128 -> 32^3x64 -> 64^3x1 sigmoid with 4x4x4 transposed
 * convs, strides 1,2,2,2,2, BN + ReLU after all but the last; D mirrored with 3D convs (stride 2, then a valid
 * 4x4x4 conv to one logit), LeakyReLU 0.2, BN after all but the first. Keras defaults as in the seeds: biases on,
 * Glorot-uniform kernels, BN momentum 0.99 / eps 1e-3. The sigmoid of D is applied by the loss (logit output).
 * G takes `[B, latentDim]` and gives `[B, R, R, R, 1]` occupancies in [0, 1]; D returns `[B, 1]`.
 */
export const gan3d = (options: Gan3dOptions & SeedOption = {}): GanModels => {
  const resolution = options.resolution ?? 64
  const w = options.width ?? 64
  const latentDim = options.latentDim ?? 200
  const seeds = layerSeeds(options.seed ?? 0)
  const up = (filters: number, strides: number, activation: "linear" | "sigmoid" = "linear") =>
    tf.layers.conv3dTranspose({ filters, kernelSize: 4, strides, padding: strides === 1 ? "valid" : "same", activation, kernelInitializer: glorot(seeds) })
  const bnRelu = (model: tf.Sequential) => {
    volumeBatchNorm(model)
    model.add(tf.layers.reLU())
  }

  const generator = tf.sequential({ name: `gan3d${resolution}_generator` })
  generator.add(tf.layers.reshape({ inputShape: [latentDim], targetShape: [1, 1, 1, latentDim] })) // 1^3x200
  if (resolution === 64) {
    generator.add(up(w * 8, 1)); bnRelu(generator) // 4^3x512
    generator.add(up(w * 4, 2)); bnRelu(generator) // 8^3x256
    generator.add(up(w * 2, 2)); bnRelu(generator) // 16^3x128
    generator.add(up(w, 2)); bnRelu(generator) // 32^3x64
    generator.add(up(1, 2, "sigmoid")) // 64^3x1
  } else {
    generator.add(up(w * 4, 1)); bnRelu(generator) // 4^3x256
    generator.add(up(w * 2, 2)); bnRelu(generator) // 8^3x128
    generator.add(up(w, 2)); bnRelu(generator) // 16^3x64
    generator.add(up(1, 2, "sigmoid")) // 32^3x1
  }

  const down = (filters: number, strides = 2) =>
    tf.layers.conv3d({ filters, kernelSize: 4, strides, padding: strides === 1 ? "valid" : "same", kernelInitializer: glorot(seeds) })
  const bnLeaky = (model: tf.Sequential) => {
    volumeBatchNorm(model)
    model.add(tf.layers.leakyReLU({ alpha: 0.2 }))
  }
  const discriminator = tf.sequential({ name: `gan3d${resolution}_discriminator` })
  discriminator.add(tf.layers.inputLayer({ inputShape: [resolution, resolution, resolution, 1] })) // 64^3x1
  if (resolution === 64) {
    discriminator.add(down(w)); discriminator.add(tf.layers.leakyReLU({ alpha: 0.2 })) // 32^3x64
    discriminator.add(down(w * 2)); bnLeaky(discriminator) // 16^3x128
    discriminator.add(down(w * 4)); bnLeaky(discriminator) // 8^3x256
    discriminator.add(down(w * 8)); bnLeaky(discriminator) // 4^3x512
  } else {
    discriminator.add(down(w)); discriminator.add(tf.layers.leakyReLU({ alpha: 0.2 })) // 16^3x64
    discriminator.add(down(w * 2)); bnLeaky(discriminator) // 8^3x128
    discriminator.add(down(w * 4)); bnLeaky(discriminator) // 4^3x256
  }
  if (options.minibatchStdDev) discriminator.add(new MinibatchStandardDeviation()) // 4^3x(8w+1) or 4^3x(4w+1)
  discriminator.add(down(1, 1)) // 1^3x1
  discriminator.add(tf.layers.flatten()) // 1 logit

  return { generator, discriminator, latentDim, imageShape: [resolution, resolution, resolution, 1], outputRange: "sigmoid" }
}

/**
 * Batch norm over a `[B, D, H, W, C]` volume (per channel, over batch and space). tfjs-layers' BatchNormalization
 * only takes rank <= 4, so the volume is viewed as `[B, D*H, W, C]` around it: the same statistics and weights.
 */
const volumeBatchNorm = (model: tf.Sequential) => {
  const [, d, h, w, c] = model.outputs[0]!.shape as number[]
  model.add(tf.layers.reshape({ targetShape: [d! * h!, w!, c!] }))
  model.add(batchNormalization())
  model.add(tf.layers.reshape({ targetShape: [d!, h!, w!, c!] }))
}
