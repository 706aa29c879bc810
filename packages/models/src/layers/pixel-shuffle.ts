import * as tfc from "@tensorflow/tfjs-core"
import * as tf from "@tensorflow/tfjs-layers"

/** Constructor options of {@link PixelShuffle}. */
export interface PixelShuffleArgs {
  /** Upscaling factor r (default 2). */
  readonly scale?: number
  readonly name?: string
  readonly inputShape?: number[]
}

/**
 * Sub-pixel convolution's rearrangement (Shi et al. 2016), as PyTorch's `nn.PixelShuffle(r)` orders channels:
 * input channel `c·r² + i·r + j` becomes output channel `c` at sub-pixel `(i, j)`, so weights converted from
 * PyTorch keep their meaning. `[B, H, W, C·r²]` -> `[B, H·r, W·r, C]`. No weights. Built from reshape and a
 * rank-5 transpose (tfjs has no gradient for `depthToSpace`, and some backends cap transposes at rank 5).
 * Serializable: registered as `ganflow>PixelShuffle`.
 */
export class PixelShuffle extends tf.layers.Layer {
  static readonly className = "PixelShuffle"
  readonly scale: number

  constructor(args: PixelShuffleArgs = {}) {
    super(args)
    this.scale = args.scale ?? 2
    if (!Number.isInteger(this.scale) || this.scale < 1) throw new Error(`PixelShuffle: scale must be a positive integer, got ${this.scale}`)
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, h, w, c] = inputShape as tf.Shape
    const r = this.scale
    if (c != null && c % (r * r) !== 0) throw new Error(`PixelShuffle: ${c} channels is not a multiple of ${r * r}`)
    return [b ?? null, h == null ? null : h * r, w == null ? null : w * r, c == null ? null : c / (r * r)]
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
    return tfc.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tfc.Tensor4D
      const [b, h, w, cr2] = x.shape
      const r = this.scale
      const c = cr2 / (r * r)
      const split = tfc.reshape(x, [b * h, w, c, r, r]) // (B·H) x W x C x i x j
      const moved = tfc.transpose(split, [0, 3, 1, 4, 2]) // (B·H) x i x W x j x C
      return tfc.reshape(moved, [b, h * r, w * r, c])
    })
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return { ...super.getConfig(), scale: this.scale }
  }
}
tfc.serialization.registerClass(PixelShuffle, "ganflow")
