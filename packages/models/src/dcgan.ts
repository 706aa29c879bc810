import * as tf from "@tensorflow/tfjs-layers"
import { type } from "arktype"
import type { GanModels } from "./gan-models.ts"
import { batchNormalization } from "./layers/batch-normalization.ts"
import { InstanceNormalization } from "./layers/instance-normalization.ts"
import { MinibatchStandardDeviation } from "./layers/minibatch-standard-deviation.ts"
import { SpectralConv2D } from "./layers/spectral-normalization.ts"
import { gammaNormal, type LayerSeeds, layerSeeds, normal002, type SeedOption } from "./seeded-initializers.ts"

/** Options of the DCGAN family (Radford et al. 2016, as in pytorch/examples/dcgan); unknown keys are errors. */
export const DcganOptions = type({
  "+": "reject",
  /** Output size: 64 (the paper's), 32 (CIFAR-sized) or 28 (MNIST-sized). Default 64. */
  "resolution?": "64 | 32 | 28",
  /** Generator width: filters of G's last hidden layer (default 64; the first has 8x at 64 px). */
  "ngf?": "number.integer > 0",
  /** Discriminator width (default `ngf`). */
  "ndf?": "number.integer > 0",
  /** Image channels (default 3; 1 at 28 px). */
  "channels?": "number.integer > 0",
  /** Latent size (default 100). */
  "latentDim?": "number.integer > 0",
  /** D's normalization after every conv but the first and last: batch norm (default), instance norm, or none. */
  "discriminatorNorm?": "'batch' | 'instance' | 'none'",
  /** Spectrally normalise D's convolutions (Miyato et al.). */
  "spectralNorm?": "boolean",
  /** Append a minibatch-standard-deviation channel before D's last conv (ProGAN). */
  "minibatchStdDev?": "boolean",
})
/** See {@link DcganOptions}. */
export type DcganOptions = typeof DcganOptions.infer

/**
 * DCGAN generator and discriminator, the same graph as pytorch/examples' dcgan (and `shared/peers/dcgan_torch.py`):
 * 4x4 (transposed) convolutions without bias, stride 2 and padding 1 ("same") between the first and last layer,
 * BN (momentum 0.1 in PyTorch's sense, eps 1e-5) + ReLU in G, tanh out; D mirrored with LeakyReLU 0.2 and no BN
 * on its first layer; weights N(0, 0.02), BN gamma N(1, 0.02), beta 0. D ends in a logit (the peer uses
 * BCEWithLogits). At 64 px with ngf = ndf = 64: G has 3,576,704 trainable parameters, D 2,765,568.
 * G takes `[B, latentDim]`, D returns `[B, 1]`.
 */
export const dcgan = (options: DcganOptions & SeedOption = {}): GanModels => {
  const resolution = options.resolution ?? 64
  const ngf = options.ngf ?? 64
  const ndf = options.ndf ?? ngf
  const channels = options.channels ?? (resolution === 28 ? 1 : 3)
  const latentDim = options.latentDim ?? 100
  const seeds = layerSeeds(options.seed ?? 0)
  const g = new GeneratorLayers(seeds)
  const generator = tf.sequential({ name: `dcgan${resolution}_generator` })
  generator.add(tf.layers.reshape({ inputShape: [latentDim], targetShape: [1, 1, latentDim] })) // 1x1x100
  if (resolution === 64) {
    generator.add(g.up(ngf * 8, 1, "valid")); g.bnRelu(generator) // 4x4x512
    generator.add(g.up(ngf * 4, 2, "same")); g.bnRelu(generator) // 8x8x256
    generator.add(g.up(ngf * 2, 2, "same")); g.bnRelu(generator) // 16x16x128
    generator.add(g.up(ngf, 2, "same")); g.bnRelu(generator) // 32x32x64
    generator.add(g.up(channels, 2, "same", "tanh")) // 64x64x3
  } else if (resolution === 32) {
    generator.add(g.up(ngf * 4, 1, "valid")); g.bnRelu(generator) // 4x4x256
    generator.add(g.up(ngf * 2, 2, "same")); g.bnRelu(generator) // 8x8x128
    generator.add(g.up(ngf, 2, "same")); g.bnRelu(generator) // 16x16x64
    generator.add(g.up(channels, 2, "same", "tanh")) // 32x32x3
  } else {
    generator.add(g.up(ngf * 2, 1, "valid", "linear", 7)); g.bnRelu(generator) // 7x7x128
    generator.add(g.up(ngf, 2, "same")); g.bnRelu(generator) // 14x14x64
    generator.add(g.up(channels, 2, "same", "tanh")) // 28x28x1
  }

  const d = new DiscriminatorLayers(seeds, options)
  const discriminator = tf.sequential({ name: `dcgan${resolution}_discriminator` })
  discriminator.add(tf.layers.inputLayer({ inputShape: [resolution, resolution, channels] })) // 64x64x3
  if (resolution === 64) {
    discriminator.add(d.down(ndf)); d.leaky(discriminator) // 32x32x64
    discriminator.add(d.down(ndf * 2)); d.normLeaky(discriminator) // 16x16x128
    discriminator.add(d.down(ndf * 4)); d.normLeaky(discriminator) // 8x8x256
    discriminator.add(d.down(ndf * 8)); d.normLeaky(discriminator) // 4x4x512
    d.logit(discriminator, 4) // 1
  } else if (resolution === 32) {
    discriminator.add(d.down(ndf)); d.leaky(discriminator) // 16x16x64
    discriminator.add(d.down(ndf * 2)); d.normLeaky(discriminator) // 8x8x128
    discriminator.add(d.down(ndf * 4)); d.normLeaky(discriminator) // 4x4x256
    d.logit(discriminator, 4) // 1
  } else {
    discriminator.add(d.down(ndf)); d.leaky(discriminator) // 14x14x64
    discriminator.add(d.down(ndf * 2)); d.normLeaky(discriminator) // 7x7x128
    d.logit(discriminator, 7) // 1
  }
  return { generator, discriminator, latentDim, imageShape: [resolution, resolution, channels], outputRange: "tanh" }
}

/** Generator building blocks: transposed conv without bias, BN(eps 1e-5, PyTorch momentum 0.1) + ReLU. */
class GeneratorLayers {
  constructor(private readonly seeds: LayerSeeds) {}
  up(filters: number, strides: number, padding: "same" | "valid", activation: "linear" | "tanh" = "linear", kernelSize = 4) {
    return tf.layers.conv2dTranspose({ filters, kernelSize, strides, padding, activation, useBias: false, kernelInitializer: normal002(this.seeds) })
  }
  bnRelu(model: tf.Sequential) {
    model.add(batchNormalization({ momentum: 0.9, epsilon: 1e-5, gammaInitializer: gammaNormal(this.seeds) }))
    model.add(tf.layers.reLU())
  }
}

/** Discriminator building blocks: 4x4 stride-2 conv without bias, optional norm, LeakyReLU 0.2, final valid conv. */
class DiscriminatorLayers {
  constructor(private readonly seeds: LayerSeeds, private readonly options: DcganOptions) {}
  down(filters: number, kernelSize = 4, strides = 2, padding: "same" | "valid" = "same"): tf.layers.Layer {
    return this.options.spectralNorm
      ? new SpectralConv2D({ filters, kernelSize, strides, padding, useBias: false, seed: this.seeds.next() })
      : tf.layers.conv2d({ filters, kernelSize, strides, padding, useBias: false, kernelInitializer: normal002(this.seeds) })
  }
  leaky(model: tf.Sequential) {
    model.add(tf.layers.leakyReLU({ alpha: 0.2 }))
  }
  normLeaky(model: tf.Sequential) {
    const norm = this.options.discriminatorNorm ?? "batch"
    if (norm === "batch") model.add(batchNormalization({ momentum: 0.9, epsilon: 1e-5, gammaInitializer: gammaNormal(this.seeds) }))
    else if (norm === "instance") model.add(new InstanceNormalization())
    this.leaky(model)
  }
  logit(model: tf.Sequential, kernelSize: number) {
    if (this.options.minibatchStdDev) model.add(new MinibatchStandardDeviation())
    model.add(this.down(1, kernelSize, 1, "valid")) // 1x1x1
    model.add(tf.layers.flatten()) // 1
  }
}
