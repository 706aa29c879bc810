import * as tfc from "@tensorflow/tfjs-core"
import * as tf from "@tensorflow/tfjs-layers"
import { type } from "arktype"
import { PixelShuffle } from "./layers/pixel-shuffle.ts"
import { gammaNormal, type LayerSeeds, layerSeeds, type SeedOption } from "./seeded-initializers.ts"

/** Options of SRGAN's networks (Ledig et al. 2017); unknown keys are errors. Defaults are the paper's. */
export const SrganOptions = type({
  "+": "reject",
  /** Upscaling factor: 2, 4 (the paper's) or 8 — one ×2 pixel-shuffle block per factor of two. */
  "scale?": "2 | 4 | 8",
  /** Residual blocks in the generator's trunk (default 16). */
  "residualBlocks?": "number.integer > 0",
  /** Generator width (default 64). */
  "filters?": "number.integer > 0",
  /** Discriminator width of the first block (default 64; doubles every two blocks up to 8x). */
  "ndf?": "number.integer > 0",
  /** Units of the discriminator's hidden dense layer (default 1024). */
  "denseUnits?": "number.integer > 0",
  /** High-resolution side the discriminator sees, a multiple of 16 and of `scale` (default 96, the paper's crops). */
  "hrSize?": "number.integer >= 16",
  /** Image channels (default 3). */
  "channels?": "number.integer > 0",
})
/** See {@link SrganOptions}. */
export type SrganOptions = typeof SrganOptions.infer

/**
 * The super-resolution pair. The caller owns both models and disposes them.
 * - `generator` (SRResNet): `[B, h, w, C]` low-resolution images in [-1, 1] -> `[B, h·scale, w·scale, C]`
 *   (linear output, as the paper's last 9x9 conv; clip to [-1, 1] for pictures). Fully convolutional: any h, w.
 * - `discriminator`: `[B, hrSize, hrSize, C]` -> `[B, 1]` logit (no sigmoid: the losses apply it).
 */
export interface SrganModels {
  readonly generator: tf.LayersModel
  readonly discriminator: tf.LayersModel
  readonly scale: number
  /** Shape of one high-resolution image the discriminator takes, e.g. `[96, 96, 3]`. */
  readonly hrShape: readonly [number, number, number]
}

/**
 * SRResNet and SRGAN's discriminator as Fig. 4 of Ledig et al. draws them, checked against
 * `scripts/srgan_reference_counts.py` (PyTorch): 9x9 conv + PReLU; residual blocks conv3x3-BN-PReLU-conv3x3-BN with
 * identity skips; conv3x3-BN and the long skip from the first layer; ×2 blocks conv3x3(64 -> 256) + pixel shuffle +
 * PReLU; 9x9 conv. PReLU slopes are per channel (init 0.25), BN eps 1e-5 and PyTorch momentum 0.1, convolutions
 * with biases. D: 3x3 convs 64 s1, 64 s2, 128 s1, 128 s2, 256 s1, 256 s2, 512 s1, 512 s2 with LeakyReLU 0.2 and BN
 * (not on the first), dense 1024 + LeakyReLU 0.2, dense 1. With the defaults (×4, 16 blocks, 64 filters, 96x96):
 * the generator has 1,550,659 trainable parameters, the discriminator 23,565,505, as in PyTorch.
 */
export const srgan = (options: SrganOptions & SeedOption = {}): SrganModels => {
  const scale = options.scale ?? 4
  const blocks = options.residualBlocks ?? 16
  const nf = options.filters ?? 64
  const ndf = options.ndf ?? 64
  const hrSize = options.hrSize ?? 96
  const channels = options.channels ?? 3
  if (hrSize % 16 !== 0 || hrSize % scale !== 0) throw new Error(`srgan: hrSize ${hrSize} must be a multiple of 16 and of the scale ${scale}`)
  const seeds = layerSeeds(options.seed ?? 0)
  const L = new SrganLayers(seeds)

  const lr = tf.input({ shape: [null, null, channels], name: "low_resolution" }) // h x w x 3
  const head = L.prelu(L.conv(lr, nf, 9)) // h x w x 64
  let x = head
  for (let b = 0; b < blocks; b++) {
    const y = L.bn(L.conv(L.prelu(L.bn(L.conv(x, nf, 3))), nf, 3)) // h x w x 64
    x = L.add(x, y) // h x w x 64
  }
  x = L.add(head, L.bn(L.conv(x, nf, 3))) // h x w x 64, the long skip
  const subPixelConvs: tf.layers.Layer[] = []
  for (let s = scale; s > 1; s /= 2) {
    const conv = L.convLayer(nf * 4, 3)
    subPixelConvs.push(conv)
    x = L.prelu(L.apply(new PixelShuffle({ scale: 2 }), L.apply(conv, x))) // 2h x 2w x 64
  }
  const tail = L.convLayer(channels, 9)
  const sr = L.apply(tail, x) // 4h x 4w x 3
  const generator = tf.model({ name: `srresnet_x${scale}`, inputs: lr, outputs: sr })
  for (const conv of subPixelConvs) initializeIcnr(conv, 2)
  scaleKernel(tail, OUTPUT_KERNEL_SCALE)

  const hr = tf.input({ shape: [hrSize, hrSize, channels], name: "high_resolution" }) // 96x96x3
  let d = L.leaky(L.conv(hr, ndf, 3)) // 96x96x64
  const plan: ReadonlyArray<readonly [number, number]> = [[ndf, 2], [ndf * 2, 1], [ndf * 2, 2], [ndf * 4, 1], [ndf * 4, 2], [ndf * 8, 1], [ndf * 8, 2]]
  for (const [filters, stride] of plan) d = L.leaky(L.bn(L.conv(d, filters, 3, stride))) // 48x48x64 ... 6x6x512
  d = L.apply(tf.layers.flatten(), d) // 18432
  d = L.leaky(L.dense(d, options.denseUnits ?? 1024)) // 1024
  const logit = L.dense(d, 1) // 1
  const discriminator = tf.model({ name: `srgan_discriminator${hrSize}`, inputs: hr, outputs: logit })
  return { generator, discriminator, scale, hrShape: [hrSize, hrSize, channels] }
}

/**
 * The generator's last 9x9 conv starts with its He-normal kernel times this, so an untrained SRResNet outputs
 * near-grey images instead of noise of unit variance (initial MSE ~0.3 instead of ~1.3 on faces in [-1, 1]).
 */
export const OUTPUT_KERNEL_SCALE = 0.1

/**
 * ICNR (Aitken et al. 2017, "Checkerboard artifact free sub-pixel convolution"): the conv before a ×r pixel shuffle
 * starts with the same kernel for the r² sub-pixels of each output channel (channels `c·r² + k`, PyTorch's order), so
 * at initialisation the shuffle is a nearest-neighbour upsampling and the network does not start from a checkerboard.
 */
const initializeIcnr = (conv: tf.layers.Layer, r: number): void => {
  const [kernel, ...rest] = conv.getWeights()
  const [kh, kw, cin, cout] = kernel!.shape as [number, number, number, number]
  const icnr = tfc.tidy(() => {
    const first = tfc.slice(tfc.reshape(kernel!, [kh, kw, cin, cout / (r * r), r * r]), [0, 0, 0, 0, 0], [kh, kw, cin, cout / (r * r), 1])
    return tfc.reshape(tfc.tile(first, [1, 1, 1, 1, r * r]), [kh, kw, cin, cout])
  })
  const bias = rest.map((b) => tfc.tidy(() => tfc.reshape(tfc.tile(tfc.slice(tfc.reshape(b, [cout / (r * r), r * r]), [0, 0], [cout / (r * r), 1]), [1, r * r]), [cout])))
  conv.setWeights([icnr, ...bias])
  tfc.dispose([icnr, ...bias])
}

/** Multiplies a conv layer's kernel (its first weight) by `factor`. */
const scaleKernel = (conv: tf.layers.Layer, factor: number): void => {
  const [kernel, ...rest] = conv.getWeights()
  const scaled = tfc.tidy(() => tfc.mul(kernel!, factor))
  conv.setWeights([scaled, ...rest])
  scaled.dispose()
}

/** SRGAN's building blocks on symbolic tensors, each layer seeded from one stream. */
class SrganLayers {
  constructor(private readonly seeds: LayerSeeds) {}
  apply(layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor {
    return layer.apply(x) as tf.SymbolicTensor
  }
  convLayer(filters: number, kernelSize: number, strides = 1): tf.layers.Layer {
    return tf.layers.conv2d({ filters, kernelSize, strides, padding: "same", kernelInitializer: tf.initializers.heNormal({ seed: this.seeds.next() }) })
  }
  conv(x: tf.SymbolicTensor, filters: number, kernelSize: number, strides = 1): tf.SymbolicTensor {
    return this.apply(this.convLayer(filters, kernelSize, strides), x)
  }
  dense(x: tf.SymbolicTensor, units: number): tf.SymbolicTensor {
    return this.apply(tf.layers.dense({ units, kernelInitializer: tf.initializers.glorotUniform({ seed: this.seeds.next() }) }), x)
  }
  bn(x: tf.SymbolicTensor): tf.SymbolicTensor {
    return this.apply(tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, gammaInitializer: gammaNormal(this.seeds) }), x)
  }
  prelu(x: tf.SymbolicTensor): tf.SymbolicTensor {
    return this.apply(tf.layers.prelu({ sharedAxes: [1, 2], alphaInitializer: tf.initializers.constant({ value: 0.25 }) }), x)
  }
  leaky(x: tf.SymbolicTensor): tf.SymbolicTensor {
    return this.apply(tf.layers.leakyReLU({ alpha: 0.2 }), x)
  }
  add(a: tf.SymbolicTensor, b: tf.SymbolicTensor): tf.SymbolicTensor {
    return this.apply(tf.layers.add(), [a, b])
  }
}
