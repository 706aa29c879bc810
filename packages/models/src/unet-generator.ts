import * as tf from "@tensorflow/tfjs-layers"
import { type } from "arktype"
import { ChannelConcatenate } from "./layers/channel-concatenate.ts"
import { TestTimeDropout } from "./layers/test-time-dropout.ts"
import { layerSeeds, normal002, type SeedOption } from "./seeded-initializers.ts"
import { convBiasBefore, type TranslationNorm, translationNormLayer } from "./translation-norm.ts"

/** Options of {@link unetGenerator} (pix2pix's `--netG unet_256`); unknown keys are errors. */
export const UnetGeneratorOptions = type({
  "+": "reject",
  /** Square image size; must be divisible by 2^downs (default 256). */
  "size?": "number.integer >= 32",
  /** Downsamplings; the bottleneck is size / 2^downs (default log2(size): 1x1, as unet_256's 8 at 256). At least 5. */
  "downs?": "number.integer >= 5",
  /** Filters of the first encoder conv (default 64: C64-C128-C256-C512…). */
  "ngf?": "number.integer > 0",
  /** Input channels (default 3). */
  "inputChannels?": "number.integer > 0",
  /** Output channels (default 3). */
  "outputChannels?": "number.integer > 0",
  /** `"batch"` (the reference's default for pix2pix) or `"instance"`. */
  "norm?": "'batch' | 'instance'",
  /** Dropout 0.5 in the decoder blocks next to the bottleneck, kept at test time (default true). */
  "dropout?": "boolean",
})
/** See {@link UnetGeneratorOptions}. */
export type UnetGeneratorOptions = typeof UnetGeneratorOptions.infer

/**
 * pix2pix's U-Net generator (Isola et al. 2017), the same graph as pytorch-CycleGAN-and-pix2pix's
 * `UnetGenerator(num_downs=8)` at 256x256: encoder C64-C128-C256-C512-C512-C512-C512-C512 (4x4 convs, stride 2,
 * LeakyReLU 0.2; no norm on the first and the innermost; with batch norm no conv but the last has a bias, as in the reference), decoder mirrored with 4x4 transposed convs, ReLU, norm,
 * every decoder output concatenated with the encoder activation of the same size (the skips), tanh out. Dropout
 * 0.5 in the `downs - 5` decoder blocks just outside the innermost one (three at 256 px, as the reference places
 * them; the paper's table lists CD512-CD1024-CD1024 one block earlier), kept at test time ({@link TestTimeDropout},
 * seeded). At 256 px, ngf 64: 54,413,955 trainable parameters with batch norm, 54,409,603 with instance norm;
 * 8 convs, 8 transposed convs, 13 norms, 3 dropouts (test/fixtures/translation_networks_reference.py).
 * Weights N(0, 0.02), biases 0, BN γ N(1, 0.02). Input and output `[B, size, size, C]` in [-1, 1].
 */
export const unetGenerator = (options: UnetGeneratorOptions & SeedOption = {}): tf.LayersModel => {
  const size = options.size ?? 256
  const downs = options.downs ?? Math.round(Math.log2(size))
  const ngf = options.ngf ?? 64
  const norm: TranslationNorm = options.norm ?? "batch"
  const dropout = options.dropout ?? true
  if (downs < 5 || size % 2 ** downs !== 0) throw new Error(`unetGenerator: size ${size} is not divisible by 2^${downs} (downs must be >= 5)`)
  const seeds = layerSeeds(options.seed ?? 0)
  const bias = convBiasBefore(norm)
  const widths = Array.from({ length: downs }, (_, i) => ngf * Math.min(2 ** i, 8)) // 64, 128, 256, 512, 512, …
  const conv = (filters: number, useBias: boolean, name: string) =>
    tf.layers.conv2d({ filters, kernelSize: 4, strides: 2, padding: "same", useBias, kernelInitializer: normal002(seeds), name })
  const convT = (filters: number, useBias: boolean, name: string) =>
    tf.layers.conv2dTranspose({ filters, kernelSize: 4, strides: 2, padding: "same", useBias, kernelInitializer: normal002(seeds), name })
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor) => layer.apply(x) as tf.SymbolicTensor

  const input = tf.input({ shape: [size, size, options.inputChannels ?? 3], name: "input" }) // 256x256x3
  // ---- encoder: block i halves the size --------------------------------------------------------------------
  const skips: tf.SymbolicTensor[] = []
  let h = apply(conv(widths[0]!, bias, "down1_conv"), input) // 128x128x64 (no norm)
  skips.push(h)
  for (let i = 1; i < downs; i++) {
    const innermost = i === downs - 1
    h = apply(tf.layers.leakyReLU({ alpha: 0.2, name: `down${i + 1}_lrelu` }), h)
    h = apply(conv(widths[i]!, bias, `down${i + 1}_conv`), h) // 64x64x128 … 1x1x512
    if (!innermost) h = apply(translationNormLayer(norm, seeds, `down${i + 1}_norm`), h)
    skips.push(h)
  }
  // ---- decoder: block i doubles the size and concatenates encoder output i - 1 -----------------------------
  for (let i = downs - 1; i >= 1; i--) {
    h = apply(tf.layers.reLU({ name: `up${i + 1}_relu` }), h)
    h = apply(convT(widths[i - 1]!, bias, `up${i + 1}_convT`), h) // 2x2x512 … 128x128x64
    h = apply(translationNormLayer(norm, seeds, `up${i + 1}_norm`), h)
    if (dropout && i >= 4 && i <= downs - 2) h = apply(new TestTimeDropout({ rate: 0.5, seed: seeds.next(), name: `up${i + 1}_dropout` }), h)
    h = new ChannelConcatenate({ name: `up${i + 1}_skip` }).apply([skips[i - 1]!, h]) as tf.SymbolicTensor // 2x2x1024 … 128x128x128
  }
  h = apply(tf.layers.reLU({ name: "up1_relu" }), h)
  h = apply(convT(options.outputChannels ?? 3, true, "up1_convT"), h) // 256x256x3
  const output = apply(tf.layers.activation({ activation: "tanh", name: "output" }), h)
  return tf.model({ inputs: input, outputs: output, name: `unet${size}_generator` })
}
