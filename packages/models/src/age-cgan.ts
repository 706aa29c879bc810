import * as tf from "@tensorflow/tfjs-layers"
import { type } from "arktype"
import { conditionalDcgan } from "./conditional-dcgan.ts"
import type { GanModels } from "./gan-models.ts"
import { gammaNormal, layerSeeds, normal002, type SeedOption } from "./seeded-initializers.ts"

/** Age-cGAN's six age groups (0-18, 19-29, 30-39, 40-49, 50-59, 60+; named in @ganflow/data's `ageGroups`). */
const AGE_GROUPS = 6

/** Options of Age-cGAN; unknown keys are errors. */
export const AgeCganOptions = type({
  "+": "reject",
  /** Image side: 64 (the paper's) or 32. */
  "resolution?": "64 | 32",
  /** Generator and discriminator width (DCGAN's ngf/ndf, default 64). */
  "ngf?": "number.integer > 0",
  /** Encoder width of its first conv (default 32, the book's; doubles per conv). */
  "nef?": "number.integer > 0",
  /** Units of the encoder's hidden dense layer (default 4096, the book's). */
  "encoderDenseUnits?": "number.integer > 0",
  /** Latent size (default 100). */
  "latentDim?": "number.integer > 0",
  /**
   * D's form: `"conditional"` (default, the paper's: the one-hot age tiled after D's first conv, one real/fake logit)
   * or `"auxiliary-classifier"` (ACGAN, Odena et al. 2017: D sees the image alone and also predicts its age group, a
   * signal that makes G use the age label within a short CPU budget).
   */
  "discriminator?": "'conditional' | 'auxiliary-classifier'",
})
/** See {@link AgeCganOptions}. */
export type AgeCganOptions = typeof AgeCganOptions.infer

/** Age-cGAN's three networks: the conditional pair plus the encoder E. The caller owns and disposes all three. */
export interface AgeCganModels extends GanModels {
  /** E: `[B, size, size, 3]` images in [-1, 1] -> `[B, latentDim]`, trained so that E(G(z, y)) ≈ z. */
  readonly encoder: tf.LayersModel
}

/**
 * Age-cGAN (Antipov et al. 2017): G takes z (100) and the one-hot age group (6), D takes the image and the one-hot
 * group tiled over its feature maps — the conditional DCGAN of {@link conditionalDcgan} with `labelEncoding:
 * "one-hot"` (labels are `[B, 1]` integers 0..5, one-hot encoded inside by a frozen identity embedding; with
 * `discriminator: "auxiliary-classifier"` D takes the image alone and returns `[logit, 6 age logits]`) — and the
 * encoder E of the book's implementation: four 5x5 stride-2 convs (32, 64, 128, 256; LeakyReLU 0.2, BN after all
 * but the first), dense 4096 + BN + LeakyReLU, dense 100. At 64 px with the defaults E has 18,278,180 trainable
 * parameters (the dense 4096 alone 16,781,312).
 */
export const ageCgan = (options: AgeCganOptions & SeedOption = {}): AgeCganModels => {
  const resolution = options.resolution ?? 64
  const latentDim = options.latentDim ?? 100
  const seed = options.seed ?? 0
  const auxiliaryClassifier = options.discriminator === "auxiliary-classifier"
  const pair = conditionalDcgan({ numClasses: AGE_GROUPS, resolution, latentDim, labelEncoding: "one-hot", ...(options.ngf ? { ngf: options.ngf } : {}), auxiliaryClassifier, seed })
  const encoder = ageCganEncoder({ resolution, latentDim, nef: options.nef ?? 32, denseUnits: options.encoderDenseUnits ?? 4096, seed: seed + 7919 })
  return { ...pair, encoder }
}

/** Age-cGAN's encoder E (see {@link ageCgan}). */
export const ageCganEncoder = (o: { resolution: number; latentDim: number; nef: number; denseUnits: number; seed: number }): tf.LayersModel => {
  const seeds = layerSeeds(o.seed)
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor) => layer.apply(x) as tf.SymbolicTensor
  const leaky = (x: tf.SymbolicTensor) => apply(tf.layers.leakyReLU({ alpha: 0.2 }), x)
  const bn = (x: tf.SymbolicTensor) => apply(tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, gammaInitializer: gammaNormal(seeds) }), x)
  const conv = (x: tf.SymbolicTensor, filters: number) =>
    apply(tf.layers.conv2d({ filters, kernelSize: 5, strides: 2, padding: "same", kernelInitializer: normal002(seeds) }), x)
  const image = tf.input({ shape: [o.resolution, o.resolution, 3], name: "image" }) // 64x64x3
  let e = leaky(conv(image, o.nef)) // 32x32x32
  e = leaky(bn(conv(e, o.nef * 2))) // 16x16x64
  e = leaky(bn(conv(e, o.nef * 4))) // 8x8x128
  e = leaky(bn(conv(e, o.nef * 8))) // 4x4x256
  e = apply(tf.layers.flatten(), e) // 4096
  e = leaky(bn(apply(tf.layers.dense({ units: o.denseUnits, kernelInitializer: normal002(seeds) }), e))) // 4096
  const z = apply(tf.layers.dense({ units: o.latentDim, kernelInitializer: normal002(seeds) }), e) // 100
  return tf.model({ name: `age_cgan${o.resolution}_encoder`, inputs: image, outputs: z })
}
