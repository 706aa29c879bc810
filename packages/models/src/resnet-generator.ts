import * as tf from "@tensorflow/tfjs-layers"
import { type } from "arktype"
import { ReflectionPadding2D, SpatialPadding2D } from "./layers/spatial-padding-2d.ts"
import { layerSeeds, normal002, type SeedOption } from "./seeded-initializers.ts"
import { convBiasBefore, type TranslationNorm, translationNormLayer } from "./translation-norm.ts"

/** Options of {@link resnetGenerator} (CycleGAN's `--netG resnet_9blocks` / `resnet_6blocks`); unknown keys are errors. */
export const ResnetGeneratorOptions = type({
  "+": "reject",
  /** Square image size; must be divisible by 4 (default 256). */
  "size?": "number.integer >= 8",
  /** Residual blocks: 9 (the paper's at 256 px) or 6 (its 128 px setting), default 9. */
  "blocks?": "number.integer >= 1",
  /** Filters of the first conv (default 64: c7s1-64, d128, d256, R256…, u128, u64, c7s1-3). */
  "ngf?": "number.integer > 0",
  "inputChannels?": "number.integer > 0",
  "outputChannels?": "number.integer > 0",
  /** `"instance"` (CycleGAN's default) or `"batch"`. */
  "norm?": "'batch' | 'instance'",
})
/** See {@link ResnetGeneratorOptions}. */
export type ResnetGeneratorOptions = typeof ResnetGeneratorOptions.infer

/**
 * CycleGAN's ResNet generator (Zhu et al. 2017, after Johnson et al. 2016), the same graph as
 * pytorch-CycleGAN-and-pix2pix's `ResnetGenerator`: c7s1-64, d128, d256, `blocks` x R256, u128, u64, c7s1-3 —
 * reflection padding before every 7x7 and residual 3x3 conv, instance norm (no affine) + ReLU after every conv but
 * the last, tanh out. Strided convs pad exactly as PyTorch's `padding=1` (zero padding + valid conv); the
 * transposed convs double the size as `padding=1, output_padding=1` does, with "same" padding, whose output grid
 * sits one pixel before PyTorch's (the same layers and parameters; weights ported from PyTorch would need that shift). At 256 px, ngf 64, instance norm: 11,378,179 trainable parameters with 9 blocks
 * (22 convs, 2 transposed convs, 23 norms, 20 reflection pads), 7,837,699 with 6.
 * Weights N(0, 0.02), biases 0. Input and output `[B, size, size, C]` in [-1, 1].
 */
export const resnetGenerator = (options: ResnetGeneratorOptions & SeedOption = {}): tf.LayersModel => {
  const size = options.size ?? 256
  const blocks = options.blocks ?? 9
  const ngf = options.ngf ?? 64
  const norm: TranslationNorm = options.norm ?? "instance"
  if (size % 4 !== 0) throw new Error(`resnetGenerator: size ${size} must be divisible by 4`)
  const seeds = layerSeeds(options.seed ?? 0)
  const bias = convBiasBefore(norm)
  let n = 0
  const name = (what: string) => `${what}_${++n}`
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor) => layer.apply(x) as tf.SymbolicTensor
  const conv = (x: tf.SymbolicTensor, filters: number, kernelSize: number, strides: number, useBias: boolean) =>
    apply(tf.layers.conv2d({ filters, kernelSize, strides, padding: "valid", useBias, kernelInitializer: normal002(seeds), name: name("conv") }), x)
  const normRelu = (x: tf.SymbolicTensor) => apply(tf.layers.reLU({ name: name("relu") }), apply(translationNormLayer(norm, seeds, name("norm")), x))
  const reflect = (x: tf.SymbolicTensor, p: number) => apply(new ReflectionPadding2D({ padding: p, name: name("reflect") }), x)
  const zeroPad = (x: tf.SymbolicTensor) => apply(new SpatialPadding2D({ padding: 1, mode: "zero", name: name("zero_pad") }), x)

  const input = tf.input({ shape: [size, size, options.inputChannels ?? 3], name: "input" }) // 256x256x3
  let h = normRelu(conv(reflect(input, 3), ngf, 7, 1, bias)) // c7s1-64: 256x256x64
  h = normRelu(conv(zeroPad(h), ngf * 2, 3, 2, bias)) // d128: 128x128x128
  h = normRelu(conv(zeroPad(h), ngf * 4, 3, 2, bias)) // d256: 64x64x256
  for (let b = 0; b < blocks; b++) {
    const r = normRelu(conv(reflect(h, 1), ngf * 4, 3, 1, bias)) // R256: 64x64x256
    const s = apply(translationNormLayer(norm, seeds, name("norm")), conv(reflect(r, 1), ngf * 4, 3, 1, bias))
    h = tf.layers.add({ name: name("residual") }).apply([h, s]) as tf.SymbolicTensor // 64x64x256
  }
  for (const filters of [ngf * 2, ngf]) {
    // "same" doubles the size as PyTorch's padding=1, output_padding=1 does, on a grid one pixel to the left and up
    // (PyTorch's output is this one's valid transposed conv without its first row and column; cropping that exactly
    // costs a strided Slice, which CPU backends run element by element: 90% of a 32 px generator's time)
    h = normRelu(apply(tf.layers.conv2dTranspose({ filters, kernelSize: 3, strides: 2, padding: "same", useBias: bias, kernelInitializer: normal002(seeds), name: name("convT") }), h)) // u128: 128x128x128, u64: 256x256x64
  }
  h = conv(reflect(h, 3), options.outputChannels ?? 3, 7, 1, true) // c7s1-3: 256x256x3
  const output = apply(tf.layers.activation({ activation: "tanh", name: "output" }), h)
  return tf.model({ inputs: input, outputs: output, name: `resnet${blocks}_generator` })
}
