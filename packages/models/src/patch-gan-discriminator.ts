import * as tf from "@tensorflow/tfjs-layers"
import { type } from "arktype"
import { SpatialPadding2D } from "./layers/spatial-padding-2d.ts"
import { layerSeeds, normal002, type SeedOption } from "./seeded-initializers.ts"
import { convBiasBefore, type TranslationNorm, translationNormLayer } from "./translation-norm.ts"

/** Options of {@link patchGanDiscriminator} (the reference's `--netD basic` / `n_layers`); unknown keys are errors. */
export const PatchGanOptions = type({
  "+": "reject",
  /** Square input size (default 256). */
  "size?": "number.integer >= 16",
  /** Input channels: 6 for pix2pix's (input, output) pairs, 3 for CycleGAN (default 3). */
  "inputChannels?": "number.integer > 0",
  /** Filters of the first conv (default 64: C64-C128-C256-C512). */
  "ndf?": "number.integer > 0",
  /** Stride-2 convs (default 3: the 70x70 PatchGAN; 1 = 16x16, 5 = 286x286 receptive field). */
  "layers?": "number.integer >= 1",
  /** `"batch"` (pix2pix's default) or `"instance"` (CycleGAN's). */
  "norm?": "'batch' | 'instance'",
})
/** See {@link PatchGanOptions}. */
export type PatchGanOptions = typeof PatchGanOptions.infer

/**
 * The PatchGAN discriminator (Isola et al. 2017), the same graph as pytorch-CycleGAN-and-pix2pix's
 * `NLayerDiscriminator(n_layers=3)`: C64-C128-C256-C512 with 4x4 convs (stride 2, then stride 1 for C512), no norm
 * on C64, LeakyReLU 0.2, then a 4x4 stride-1 conv to one logit per patch; every conv pads 1 as PyTorch does, so a
 * 256x256 input gives 30x30 logits, each seeing a 70x70 patch. At 256 px, ndf 64: 2,768,705 trainable parameters
 * for pix2pix's 6-channel input with batch norm, 2,767,809 with instance norm, 2,764,737 for CycleGAN's 3-channel
 * input with instance norm (5 convs, 3 norms). Weights N(0, 0.02), biases 0, BN γ N(1, 0.02).
 * Input `[B, size, size, C]`, output `[B, P, P, 1]` raw logits (no sigmoid; the losses apply it).
 */
export const patchGanDiscriminator = (options: PatchGanOptions & SeedOption = {}): tf.LayersModel => {
  const size = options.size ?? 256
  const ndf = options.ndf ?? 64
  const layers = options.layers ?? 3
  const norm: TranslationNorm = options.norm ?? "batch"
  const seeds = layerSeeds(options.seed ?? 0)
  const bias = convBiasBefore(norm)
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor) => layer.apply(x) as tf.SymbolicTensor
  let side = size
  let k = 0
  /** 4x4 conv with PyTorch's padding 1: "same" where that is the same grid (stride 2, even size), else explicit. */
  const conv = (x: tf.SymbolicTensor, filters: number, strides: number, useBias: boolean) => {
    k++
    const exact = strides === 2 && side % 2 === 0
    const padded = exact ? x : apply(new SpatialPadding2D({ padding: 1, mode: "zero", name: `pad${k}` }), x)
    side = Math.floor((side + 2 - 4) / strides) + 1
    if (side < 1) throw new Error(`patchGanDiscriminator: ${size} px is too small for ${layers} layers`)
    return apply(tf.layers.conv2d({ filters, kernelSize: 4, strides, padding: exact ? "same" : "valid", useBias, kernelInitializer: normal02(), name: `conv${k}` }), padded)
  }
  const normal02 = () => normal002(seeds)
  const normLeaky = (x: tf.SymbolicTensor) =>
    apply(tf.layers.leakyReLU({ alpha: 0.2, name: `lrelu${k}` }), apply(translationNormLayer(norm, seeds, `norm${k}`), x))

  const input = tf.input({ shape: [size, size, options.inputChannels ?? 3], name: "input" }) // 256x256x6
  let h = apply(tf.layers.leakyReLU({ alpha: 0.2, name: "lrelu1" }), conv(input, ndf, 2, true)) // 128x128x64
  for (let n = 1; n < layers; n++) h = normLeaky(conv(h, ndf * Math.min(2 ** n, 8), 2, bias)) // 64x64x128, 32x32x256
  h = normLeaky(conv(h, ndf * Math.min(2 ** layers, 8), 1, bias)) // 31x31x512
  const output = conv(h, 1, 1, true) // 30x30x1
  return tf.model({ inputs: input, outputs: output, name: `patchgan_discriminator` })
}
