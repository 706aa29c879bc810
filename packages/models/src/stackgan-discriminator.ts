import * as tf from "@tensorflow/tfjs-layers"
import { normal002 } from "./seeded-initializers.ts"
import type { TextGanLayers } from "./text-conditional-gan.ts"

/** Sizes of a StackGAN discriminator. */
export interface StackganDiscriminatorShape {
  /** Input image side (64 for Stage-I, 256 for Stage-II in the paper); a power of two >= 8. */
  readonly resolution: number
  readonly channels: number
  /** Width of the first conv (the paper's 64). */
  readonly ndf: number
  readonly embeddingDim: number
  /** Size φ(t) is compressed to before it is joined at 4x4 (the paper's N_d = 128). */
  readonly conditionDim: number
  /** Add Stage-II's unconditional head (a 4x4 conv on the image code alone) as a third output. */
  readonly unconditionalHead: boolean
  readonly name: string
}

/**
 * A StackGAN discriminator (Zhang et al. 2017, sec. 3.2-3.3), as hanzhanggit/StackGAN-Pytorch builds STAGE1_D and
 * STAGE2_D: stride-2 4x4 convs without bias, BN (none on the first) and LeakyReLU(0.2), widths doubling from `ndf`
 * down to 4x4; where that ends wider than 8·ndf (Stage-II: 32·ndf at 256 px), 3x3 convs + BN + LeakyReLU halve it
 * back to 8·ndf (at 32 px the code is 4·ndf wide). The conditional head, as the paper says: φ(t) -> FC -> LeakyReLU to `conditionDim`, replicated at
 * 4x4, concatenated depth-wise, 3x3 conv + BN + LeakyReLU back to the code's width, and a 4x4 conv (with bias) to one logit.
 * (The authors' code feeds D the generator's μ instead of its own FC of φ(t): `conditionDim`·(embeddingDim + 1)
 * fewer parameters.) Inputs `[image, φ(t)]`; outputs `[logit (B x 1), image code (B x 4 x 4 x 8·ndf, 4·ndf at 32 px)]`, plus the
 * unconditional logit `(B x 1)` with `unconditionalHead`.
 */
export const stackganDiscriminator = (layers: TextGanLayers, shape: StackganDiscriminatorShape): tf.LayersModel => {
  const { resolution, channels, ndf, embeddingDim, conditionDim } = shape
  const image = tf.input({ shape: [resolution, resolution, channels], name: "image" }) // 256x256x3
  const text = tf.input({ shape: [embeddingDim], name: "text_embedding" }) // 1024
  const downs = Math.round(Math.log2(resolution / 4))
  let code = image
  let width = ndf
  for (let i = 0; i < downs; i++) {
    width = ndf * 2 ** i
    code = layers.leaky(i === 0 ? layers.down(code, width) : layers.bn(layers.down(code, width))) // 128x128x64 ... 4x4x2048
  }
  while (width > ndf * 8) {
    width /= 2
    code = layers.leaky(layers.bn(layers.down(code, width, 3, 1))) // 4x4x1024, 4x4x512
  }
  // the 3x3 conv over [code, φ reduced and replicated at 4x4] (4x4x640 -> 4x4x512), see TextGanLayers.joinConv
  const joint = layers.leaky(layers.bn(layers.joinConv(code, layers.projectText(text, conditionDim), width, 3))) // 4x4x512
  const logit = (x: tf.SymbolicTensor) => layers.apply(tf.layers.flatten(), layers.apply(finalConv(layers), x)) // 1
  const outputs = [logit(joint), code]
  if (shape.unconditionalHead) outputs.push(logit(code))
  return tf.model({ name: shape.name, inputs: [image, text], outputs })
}

/** The 4x4 valid conv to one logit; with a bias, as PyTorch's `nn.Conv2d` default in the reference. */
const finalConv = (layers: TextGanLayers) =>
  tf.layers.conv2d({ filters: 1, kernelSize: 4, strides: 4, padding: "valid", useBias: true, kernelInitializer: normal002(layers.seeds) })
