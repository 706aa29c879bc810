import * as tf from "@tensorflow/tfjs-layers"
import { type } from "arktype"
import { NearestUpsampling2D } from "./layers/nearest-upsampling.ts"
import { layerSeeds, type SeedOption } from "./seeded-initializers.ts"
import { conditioningAugmentation } from "./stackgan-conditioning-augmentation.ts"
import { stackganDiscriminator } from "./stackgan-discriminator.ts"
import { TextGanLayers } from "./text-conditional-gan.ts"

/**
 * Options of StackGAN Stage-I; unknown keys are errors. The defaults are CPU-sized (32 px, ngf 16, ndf 16); the
 * paper's (and hanzhanggit/StackGAN-Pytorch's birds config) are `{ resolution: 64, ngf: 128, ndf: 64 }`.
 */
export const StackganStage1Options = type({
  "+": "reject",
  /** Output size: 64 (the paper's) or 32 (CPU default). */
  "resolution?": "64 | 32",
  /** GF_DIM: G's 4x4 block has 8·ngf channels, halving per upsampling (default 16; the paper's 128). */
  "ngf?": "number.integer >= 2",
  /** DF_DIM: D's first conv width (default 16; the paper's 64). */
  "ndf?": "number.integer > 0",
  /** Image channels (default 3). */
  "channels?": "number.integer > 0",
  /** Latent size (default 100). */
  "latentDim?": "number.integer > 0",
  /** Size of the text embedding φ(t) (default 1024). */
  "embeddingDim?": "number.integer > 0",
  /** Factor φ(t) is multiplied by before conditioning augmentation (default 1; √embeddingDim turns an L2-normalised φ into unit-sized entries). */
  "embeddingScale?": "number > 0",
  /** Size of the augmented condition ĉ and of D's compressed text (N_g = N_d = 128). */
  "conditionDim?": "number.integer > 0",
})
/** See {@link StackganStage1Options}. */
export type StackganStage1Options = typeof StackganStage1Options.infer

/**
 * A StackGAN stage's networks.
 *
 * - `generator`: Stage-I inputs `[z (B x latentDim), φ(t) (B x embeddingDim), ε (B x conditionDim)]` (Stage-II:
 *   `[Stage-I image, φ(t), ε]`); outputs `[image, μ (B x conditionDim), log σ (B x conditionDim)]`, image in [-1, 1].
 *   ε ~ N(0, I) is drawn by the caller (ε = 0: the mean condition).
 * - `discriminator`: inputs `[image, φ(t)]`; outputs `[logit (B x 1), image code (B x 4 x 4 x 8·ndf)]` and, for
 *   Stage-II, an unconditional logit `(B x 1)`.
 *
 * The caller owns and disposes both models.
 */
export interface StackganModels {
  readonly generator: tf.LayersModel
  readonly discriminator: tf.LayersModel
  readonly latentDim: number
  readonly embeddingDim: number
  readonly conditionDim: number
  /** Shape of one generated image, channels last. */
  readonly imageShape: readonly [number, number, number]
}

/**
 * StackGAN Stage-I (Zhang et al. 2017, sec. 3.2), layer for layer as hanzhanggit/StackGAN-Pytorch's STAGE1_G:
 * conditioning augmentation ĉ from φ(t), [z, ĉ] -> FC (no bias) -> BN -> ReLU to 4x4x(8·ngf), then up-blocks
 * (nearest 2x upsampling, 3x3 conv without bias, BN, ReLU) halving the width to the output size, a 3x3 conv to RGB
 * and tanh. D: {@link stackganDiscriminator}. At the paper's size (64 px, ngf 128, ndf 64, 1024 -> 128, z 100):
 * G has 10,301,248 trainable parameters, as the reference's STAGE1_G; D 5,846,913, the reference's STAGE1_D 5,715,713
 * plus 131,200 for the FC that compresses φ(t) (the reference feeds D the generator's μ instead). CPU default
 * (32 px, ngf 16, ndf 16): G 830,864, D 284,865.
 */
export const stackganStage1 = (options: StackganStage1Options & SeedOption = {}): StackganModels => {
  const resolution = options.resolution ?? 32
  const ngf = options.ngf ?? 16
  const ndf = options.ndf ?? 16
  const channels = options.channels ?? 3
  const latentDim = options.latentDim ?? 100
  const embeddingDim = options.embeddingDim ?? 1024
  const conditionDim = options.conditionDim ?? 128
  const layers = new TextGanLayers(layerSeeds(options.seed ?? 0))

  const z = tf.input({ shape: [latentDim], name: "latent" }) // 100
  const text = tf.input({ shape: [embeddingDim], name: "text_embedding" }) // 1024
  const epsilon = tf.input({ shape: [conditionDim], name: "condition_noise" }) // 128
  const ca = conditioningAugmentation(layers, text, epsilon, conditionDim, options.embeddingScale ?? 1) // 128
  const zc = layers.apply(tf.layers.concatenate(), [z, ca.condition]) // 228
  const base = ngf * 8
  let h = layers.bnRelu(layers.dense(zc, base * 16, false)) // 16384
  h = layers.apply(tf.layers.reshape({ targetShape: [4, 4, base] }), h) // 4x4x1024
  const ups = Math.round(Math.log2(resolution / 4))
  for (let i = 1; i <= ups; i++) h = upBlock(layers, h, Math.max(1, Math.floor(base / 2 ** i))) // 8x8x512, 16x16x256, 32x32x128, 64x64x64
  const image = layers.apply(tf.layers.activation({ activation: "tanh" }), layers.down(h, channels, 3, 1)) // 64x64x3
  const generator = tf.model({ name: `stackgan_stage1_${resolution}_generator`, inputs: [z, text, epsilon], outputs: [image, ca.mu, ca.logSigma] })

  const discriminator = stackganDiscriminator(layers, {
    resolution, channels, ndf, embeddingDim, conditionDim, unconditionalHead: false, name: `stackgan_stage1_${resolution}_discriminator`,
  })
  return { generator, discriminator, latentDim, embeddingDim, conditionDim, imageShape: [resolution, resolution, channels] }
}

/**
 * StackGAN's up-block: nearest-neighbour 2x upsampling, 3x3 conv without bias, BN, ReLU. The upsampling is
 * {@link NearestUpsampling2D}, not `tf.layers.upSampling2d`, whose gradient is wrong on the cpu/native backends.
 */
export const upBlock = (layers: TextGanLayers, x: tf.SymbolicTensor, filters: number): tf.SymbolicTensor =>
  layers.bnRelu(layers.down(layers.apply(new NearestUpsampling2D({ scale: 2 }), x), filters, 3, 1))
