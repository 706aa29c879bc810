import * as tfc from "@tensorflow/tfjs-core"
import * as tf from "@tensorflow/tfjs-layers"

/** Constructor options of {@link NearestUpsampling2D}. */
export interface NearestUpsampling2DArgs {
  /** Integer upscaling factor s (default 2). */
  readonly scale?: number
  readonly name?: string
  readonly inputShape?: number[]
}

/**
 * Nearest-neighbour upsampling by an integer factor, `[B, H, W, C]` -> `[B, H·s, W·s, C]`, every pixel copied to its
 * s x s block: `tf.image.resizeNearestNeighbor` forward (as `tf.layers.upSampling2d({ interpolation: "nearest" })`
 * and PyTorch's `nn.Upsample(scale_factor=s, mode="nearest")`), with its gradient written here as the sum over each
 * block (two reshaped sums). tfjs' own `ResizeNearestNeighborGrad` on the cpu backend (and the native backend, which
 * inherits it; tfjs-backend-cpu 4.22) reads `dy` at the input's batch stride instead of `dy`'s, so every sample but
 * the first of a batch gets another region's gradient: a generator built on `upSampling2d` does not learn there.
 * No weights. Serializable: registered as `ganflow>NearestUpsampling2D`.
 */
export class NearestUpsampling2D extends tf.layers.Layer {
  static readonly className = "NearestUpsampling2D"
  readonly scale: number

  constructor(args: NearestUpsampling2DArgs = {}) {
    super(args)
    this.scale = args.scale ?? 2
    if (!Number.isInteger(this.scale) || this.scale < 1) throw new Error(`NearestUpsampling2D: scale must be a positive integer, got ${this.scale}`)
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, h, w, c] = inputShape as tf.Shape
    const s = this.scale
    return [b ?? null, h == null ? null : h * s, w == null ? null : w * s, c ?? null]
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tfc.Tensor4D
    return nearestUpsampling(x, this.scale)
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return { ...super.getConfig(), scale: this.scale }
  }
}
tfc.serialization.registerClass(NearestUpsampling2D, "ganflow")

/**
 * `x` `[B, H, W, C]` upsampled s times by nearest neighbour, with the block-sum gradient (see
 * {@link NearestUpsampling2D}). The caller owns the result.
 */
export const nearestUpsampling = (x: tfc.Tensor4D, scale: number): tfc.Tensor4D => {
  const [b, h, w, c] = x.shape
  const upsample = tfc.customGrad<tfc.Tensor4D>((...inputs: Array<tfc.Tensor | tfc.GradSaveFunc>) => ({
    value: tfc.image.resizeNearestNeighbor(inputs[0] as tfc.Tensor4D, [h * scale, w * scale]),
    // dy [B, H·s, W·s, C]: sum the s rows of each block, then its s columns
    gradFunc: (dy: tfc.Tensor | tfc.Tensor[]) =>
      tfc.tidy(() => {
        const rows = tfc.sum(tfc.reshape(dy as tfc.Tensor, [b * h, scale, w * scale * c]), 1) // (B·H) x (W·s·C)
        return tfc.reshape(tfc.sum(tfc.reshape(rows, [b * h * w, scale, c]), 1), [b, h, w, c])
      }),
  }))
  return upsample(x)
}
