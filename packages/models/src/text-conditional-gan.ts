import * as tf from "@tensorflow/tfjs-layers"
import { type } from "arktype"
import { batchNormalization } from "./layers/batch-normalization.ts"
import { gammaNormal, type LayerSeeds, layerSeeds, normal002, type SeedOption } from "./seeded-initializers.ts"
import { SpatialReplication } from "./text-conditional-replication.ts"

/** Options of the GAN-CLS / GAN-INT text-to-image DCGAN (Reed et al. 2016); unknown keys are errors. */
export const TextConditionalGanOptions = type({
  "+": "reject",
  /** Output size: 64 (the paper's) or 32 (the CPU default). Default 64. */
  "resolution?": "64 | 32",
  /** Generator width: filters of G's last hidden layer (default 64; the first has 8x at 64 px, 4x at 32 px). */
  "ngf?": "number.integer > 0",
  /** Discriminator width: filters of D's first layer (default 64). */
  "ndf?": "number.integer > 0",
  /** Image channels (default 3). */
  "channels?": "number.integer > 0",
  /** Latent size (default 100). */
  "latentDim?": "number.integer > 0",
  /** Size of the text embedding φ(t) (default 1024, the char-CNN-RNN's). */
  "embeddingDim?": "number.integer > 0",
  /** Size φ(t) is compressed to, separately in G and D (default 128). */
  "projectedDim?": "number.integer > 0",
})
/** See {@link TextConditionalGanOptions}. */
export type TextConditionalGanOptions = typeof TextConditionalGanOptions.infer

/**
 * The networks of a text-conditional GAN and what is needed to feed them.
 *
 * - `generator`: inputs `[z (B x latentDim), φ(t) (B x embeddingDim)]`, output images `[B, ...imageShape]` in [-1, 1].
 * - `discriminator`: inputs `[image, φ(t)]`, outputs `[score logit (B x 1), features (B x 4 x 4 x C)]`: the logit
 *   has no sigmoid (the losses apply it), the features are the image path's 4x4 maps before the text is joined,
 *   the intermediate layer feature matching uses.
 *
 * The caller owns and disposes both models.
 */
export interface TextConditionalGanModels {
  readonly generator: tf.LayersModel
  readonly discriminator: tf.LayersModel
  readonly latentDim: number
  readonly embeddingDim: number
  /** Shape of one image, channels last, e.g. `[64, 64, 3]`. */
  readonly imageShape: readonly [number, number, number]
}

/**
 * GAN-CLS / GAN-INT generator and matching-aware discriminator as Reed et al. 2016 (sec. 4) describe them, on
 * the DCGAN body of pytorch/examples:
 *
 * - G: φ(t) -> FC -> LeakyReLU(0.2) to `projectedDim` (128), concatenated to z, then DCGAN's transposed convs
 *   (BN + ReLU, tanh out).
 * - D: DCGAN's stride-2 4x4 convs with BN (none on the first) and LeakyReLU(0.2) down to 4x4; φ(t) reduced the same
 *   way by its own FC + LeakyReLU, replicated spatially at 4x4 and concatenated depth-wise; a 1x1 conv + BN +
 *   LeakyReLU, then a 4x4 conv gives the score. (The 1x1 conv over the concatenation is computed as the sum of its
 *   two kernel slices, `TextGanLayers.joinConv`: same function, same parameters, 6x faster to train here.)
 *
 * Convs have no bias (the reference Torch code zeroes conv biases before every step); the FC layers have one.
 * Weights N(0, 0.02), BN gamma N(1, 0.02). At 64 px with ngf = ndf = 64, 1024 -> 128: G has 4,756,480 trainable
 * parameters (DCGAN's 3,576,704 + the FC's 131,200 + 1,048,576 for the 128 extra input channels), D 3,225,472
 * (DCGAN's body 2,757,376 + FC 131,200 + 1x1 conv 327,680 + its BN 1,024 + the 4x4 conv 8,192). The PyTorch port
 * aelnouby/Text-to-Image-Synthesis (gan_cls.py) has G 4,756,736 (a BN1d on the projection) and D 2,899,072 (BN1d on
 * the projection, no 1x1 conv); reedscot/icml2016's Torch code adds residual blocks the paper does not describe.
 * At 32 px, ngf = ndf = 32: G 763,968, D 332,032 (packages/models/test/reference/text_to_image_parameter_counts.py).
 */
export const textConditionalGan = (options: TextConditionalGanOptions & SeedOption = {}): TextConditionalGanModels => {
  const resolution = options.resolution ?? 64
  const ngf = options.ngf ?? 64
  const ndf = options.ndf ?? 64
  const channels = options.channels ?? 3
  const latentDim = options.latentDim ?? 100
  const embeddingDim = options.embeddingDim ?? 1024
  const projectedDim = options.projectedDim ?? 128
  const layers = new TextGanLayers(layerSeeds(options.seed ?? 0))
  const gWidths = resolution === 64 ? [ngf * 8, ngf * 4, ngf * 2, ngf] : [ngf * 4, ngf * 2, ngf]
  const dWidths = resolution === 64 ? [ndf, ndf * 2, ndf * 4, ndf * 8] : [ndf, ndf * 2, ndf * 4]

  const z = tf.input({ shape: [latentDim], name: "latent" }) // 100
  const gText = tf.input({ shape: [embeddingDim], name: "text_embedding" }) // 1024
  const zt = layers.apply(tf.layers.concatenate(), [z, layers.projectText(gText, projectedDim)]) // 100 + 128
  let g = layers.apply(tf.layers.reshape({ targetShape: [1, 1, latentDim + projectedDim] }), zt) // 1x1x228
  gWidths.forEach((width, i) => {
    g = layers.bnRelu(layers.up(g, width, i === 0 ? 1 : 2, i === 0 ? "valid" : "same")) // 4x4x512, 8x8x256, 16x16x128, 32x32x64
  })
  g = layers.apply(tf.layers.activation({ activation: "tanh" }), layers.up(g, channels, 2, "same")) // 64x64x3
  const generator = tf.model({ name: `text_conditional_gan${resolution}_generator`, inputs: [z, gText], outputs: g })

  const image = tf.input({ shape: [resolution, resolution, channels], name: "image" }) // 64x64x3
  const dText = tf.input({ shape: [embeddingDim], name: "text_embedding" }) // 1024
  let d = image
  dWidths.forEach((width, i) => {
    d = layers.leaky(i === 0 ? layers.down(d, width) : layers.bn(layers.down(d, width))) // 32x32x64, 16x16x128, 8x8x256, 4x4x512
  })
  const features = d // 4x4x512
  // the 1x1 conv over [features, φ reduced and replicated at 4x4] (4x4x640 -> 4x4x512), see joinConv
  const joint = layers.leaky(layers.bn(layers.joinConv(features, layers.projectText(dText, projectedDim), dWidths.at(-1)!, 1))) // 4x4x512
  const score = layers.apply(tf.layers.flatten(), layers.down(joint, 1, 4, 1, "valid")) // 1 logit
  const discriminator = tf.model({ name: `text_conditional_gan${resolution}_discriminator`, inputs: [image, dText], outputs: [score, features] })
  return { generator, discriminator, latentDim, embeddingDim, imageShape: [resolution, resolution, channels] }
}

/** The layer vocabulary of the text-conditional GANs (seeded DCGAN init, BN eps 1e-5 / PyTorch momentum 0.1). */
export class TextGanLayers {
  constructor(readonly seeds: LayerSeeds) {}
  apply(layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor {
    return layer.apply(x) as tf.SymbolicTensor
  }
  /** Fully connected `units` with bias, N(0, 0.02) weights, then LeakyReLU(0.2): Reed et al.'s text projection. */
  projectText(text: tf.SymbolicTensor, units: number): tf.SymbolicTensor {
    return this.leaky(this.dense(text, units, true))
  }
  dense(x: tf.SymbolicTensor, units: number, useBias: boolean): tf.SymbolicTensor {
    return this.apply(tf.layers.dense({ units, useBias, kernelInitializer: normal002(this.seeds) }), x)
  }
  /** `[B, C]` -> `[B, side, side, C]`, the vector copied to every position. */
  replicate(x: tf.SymbolicTensor, side: number): tf.SymbolicTensor {
    return this.apply(new SpatialReplication({ size: side }), x)
  }
  /**
   * A `kernelSize` conv (stride 1, "same", no bias) over the depth concatenation of `maps` `[B, S, S, Cm]` and the
   * vector `text` `[B, Ct]` replicated at every position, computed as the sum of its two kernel slices:
   * conv(maps) + conv(replicate(text)) — the same function and parameters ((Cm + Ct)·filters·k²), without tfjs'
   * concat gradient, which slices and is ~5x slower than the whole rest of D on the native backend. For k = 1 the
   * text slice is a dense layer applied before replicating (identical values).
   */
  joinConv(maps: tf.SymbolicTensor, text: tf.SymbolicTensor, filters: number, kernelSize: number): tf.SymbolicTensor {
    const side = maps.shape[1]!
    const fromMaps = this.down(maps, filters, kernelSize, 1)
    const fromText = kernelSize === 1 ? this.replicate(this.dense(text, filters, false), side) : this.down(this.replicate(text, side), filters, kernelSize, 1)
    return this.apply(tf.layers.add(), [fromMaps, fromText])
  }
  up(x: tf.SymbolicTensor, filters: number, strides: number, padding: "same" | "valid"): tf.SymbolicTensor {
    return this.apply(tf.layers.conv2dTranspose({ filters, kernelSize: 4, strides, padding, useBias: false, kernelInitializer: normal002(this.seeds) }), x)
  }
  down(x: tf.SymbolicTensor, filters: number, kernelSize = 4, strides = 2, padding: "same" | "valid" = "same"): tf.SymbolicTensor {
    return this.apply(tf.layers.conv2d({ filters, kernelSize, strides, padding, useBias: false, kernelInitializer: normal002(this.seeds) }), x)
  }
  bn(x: tf.SymbolicTensor): tf.SymbolicTensor {
    return this.apply(batchNormalization({ momentum: 0.9, epsilon: 1e-5, gammaInitializer: gammaNormal(this.seeds) }), x)
  }
  bnRelu(x: tf.SymbolicTensor): tf.SymbolicTensor {
    return this.relu(this.bn(x))
  }
  relu(x: tf.SymbolicTensor): tf.SymbolicTensor {
    return this.apply(tf.layers.reLU(), x)
  }
  leaky(x: tf.SymbolicTensor): tf.SymbolicTensor {
    return this.apply(tf.layers.leakyReLU({ alpha: 0.2 }), x)
  }
}
