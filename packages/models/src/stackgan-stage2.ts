import * as tf from "@tensorflow/tfjs-layers"
import { type } from "arktype"
import { layerSeeds, type SeedOption } from "./seeded-initializers.ts"
import { conditioningAugmentation } from "./stackgan-conditioning-augmentation.ts"
import { stackganDiscriminator } from "./stackgan-discriminator.ts"
import { type StackganModels, upBlock } from "./stackgan-stage1.ts"
import { TextGanLayers } from "./text-conditional-gan.ts"

/**
 * Options of StackGAN Stage-II; unknown keys are errors. The defaults are CPU-sized (32 -> 64 px, ngf 16, ndf 16,
 * 2 residual blocks); the paper's are `{ inputResolution: 64, resolution: 256, ngf: 128, ndf: 64, residualBlocks: 4 }`.
 */
export const StackganStage2Options = type({
  "+": "reject",
  /** Size of the Stage-I image it refines: 64 (the paper's) or 32 (CPU default). */
  "inputResolution?": "64 | 32",
  /** Output size: 256 (the paper's, from 64), 128 or 64 (CPU default, from 32); at least twice the input. */
  "resolution?": "256 | 128 | 64",
  /** GF_DIM: the encoder ends at 4·ngf channels, the up-blocks halve it (default 16; the paper's 128). */
  "ngf?": "number.integer >= 4",
  /** DF_DIM: D's first conv width (default 16; the paper's 64). */
  "ndf?": "number.integer > 0",
  /** Residual blocks after the text is joined (R_NUM; default 2, the paper's 4). */
  "residualBlocks?": "number.integer >= 0",
  /** Image channels (default 3). */
  "channels?": "number.integer > 0",
  /** Size of the text embedding φ(t) (default 1024). */
  "embeddingDim?": "number.integer > 0",
  /** Factor φ(t) is multiplied by before conditioning augmentation (default 1; √embeddingDim turns an L2-normalised φ into unit-sized entries). */
  "embeddingScale?": "number > 0",
  /** Size of the augmented condition ĉ and of D's compressed text (128). */
  "conditionDim?": "number.integer > 0",
})
/** See {@link StackganStage2Options}. */
export type StackganStage2Options = typeof StackganStage2Options.infer

/**
 * StackGAN Stage-II (Zhang et al. 2017, sec. 3.3), layer for layer as hanzhanggit/StackGAN-Pytorch's STAGE2_G: the
 * Stage-I image encoded (3x3 conv + ReLU, two stride-2 4x4 convs + BN + ReLU) to (in/4)² x 4·ngf; its own
 * conditioning augmentation ĉ from φ(t), replicated spatially and concatenated; 3x3 conv + BN + ReLU; residual
 * blocks (3x3 conv, BN, ReLU, 3x3 conv, BN, + input, ReLU); up-blocks halving the width to the output size; a 3x3
 * conv to RGB and tanh. Stage-I's generator is not part of it: the recipe runs the frozen Stage-I generator and
 * feeds its (detached) image. D: {@link stackganDiscriminator} with the unconditional head. At the paper's size
 * (64 -> 256, ngf 128, ndf 64, 4 residual blocks): G has 26,290,080 trainable parameters, as the reference's
 * STAGE2_G without its frozen Stage-I; D 71,400,322, the reference's STAGE2_D 71,269,122 plus D's own 131,200-weight
 * text FC. CPU default (32 -> 64, ngf 16, ndf 16, 2 residual blocks): G 587,192, D 603,714.
 * G inputs `[Stage-I image (B x in x in x C), φ(t), ε]`, outputs `[image, μ, log σ]`.
 */
export const stackganStage2 = (options: StackganStage2Options & SeedOption = {}): StackganModels => {
  const inputResolution = options.inputResolution ?? 32
  const resolution = options.resolution ?? 64
  const ngf = options.ngf ?? 16
  const ndf = options.ndf ?? 16
  const residualBlocks = options.residualBlocks ?? 2
  const channels = options.channels ?? 3
  const embeddingDim = options.embeddingDim ?? 1024
  const conditionDim = options.conditionDim ?? 128
  if (resolution < inputResolution * 2) {
    throw new Error(`StackGAN Stage-II: resolution ${resolution} must be at least twice inputResolution ${inputResolution}`)
  }
  const layers = new TextGanLayers(layerSeeds(options.seed ?? 0))

  const lowRes = tf.input({ shape: [inputResolution, inputResolution, channels], name: "stage1_image" }) // 64x64x3
  const text = tf.input({ shape: [embeddingDim], name: "text_embedding" }) // 1024
  const epsilon = tf.input({ shape: [conditionDim], name: "condition_noise" }) // 128
  let h = layers.relu(layers.down(lowRes, ngf, 3, 1)) // 64x64x128
  h = layers.bnRelu(layers.down(h, ngf * 2)) // 32x32x256
  h = layers.bnRelu(layers.down(h, ngf * 4)) // 16x16x512
  const side = inputResolution / 4
  const ca = conditioningAugmentation(layers, text, epsilon, conditionDim, options.embeddingScale ?? 1) // 128
  // the 3x3 conv over [encoded image, ĉ replicated at 16x16] (16x16x640 -> 16x16x512), see TextGanLayers.joinConv
  h = layers.bnRelu(layers.joinConv(h, ca.condition, ngf * 4, 3)) // 16x16x512
  for (let i = 0; i < residualBlocks; i++) h = residualBlock(layers, h, ngf * 4) // 16x16x512
  const ups = Math.round(Math.log2(resolution / side))
  for (let i = 1; i <= ups; i++) h = upBlock(layers, h, Math.max(1, Math.floor((ngf * 4) / 2 ** i))) // 32x32x256, 64x64x128, 128x128x64, 256x256x32
  const image = layers.apply(tf.layers.activation({ activation: "tanh" }), layers.down(h, channels, 3, 1)) // 256x256x3
  const generator = tf.model({ name: `stackgan_stage2_${resolution}_generator`, inputs: [lowRes, text, epsilon], outputs: [image, ca.mu, ca.logSigma] })

  const discriminator = stackganDiscriminator(layers, {
    resolution, channels, ndf, embeddingDim, conditionDim, unconditionalHead: true, name: `stackgan_stage2_${resolution}_discriminator`,
  })
  return { generator, discriminator, latentDim: 0, embeddingDim, conditionDim, imageShape: [resolution, resolution, channels] }
}

/** StackGAN's residual block: 3x3 conv, BN, ReLU, 3x3 conv, BN, plus the input, ReLU (widths unchanged). */
const residualBlock = (layers: TextGanLayers, x: tf.SymbolicTensor, width: number): tf.SymbolicTensor => {
  const branch = layers.bn(layers.down(layers.bnRelu(layers.down(x, width, 3, 1)), width, 3, 1))
  return layers.relu(layers.apply(tf.layers.add(), [x, branch]))
}
