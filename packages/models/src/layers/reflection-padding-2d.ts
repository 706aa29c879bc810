import * as tfc from "@tensorflow/tfjs-core"
import * as tf from "@tensorflow/tfjs-layers"

/** Constructor options of {@link ReflectionPadding2D}. */
export interface ReflectionPadding2DArgs {
  /** Pixels added on each side of height and width (PyTorch's `nn.ReflectionPad2d(padding)`). */
  readonly padding: number
  readonly name?: string
  readonly inputShape?: number[]
}

/**
 * Reflection padding of `[B, H, W, C]` images by `padding` pixels per side, mirroring without repeating the edge
 * (PyTorch's `nn.ReflectionPad2d`, `tf.mirrorPad(..., "reflect")`); output `[B, H + 2p, W + 2p, C]`.
 * Serializable as `ganflow>ReflectionPadding2D`.
 */
export class ReflectionPadding2D extends tf.layers.Layer {
  static readonly className = "ReflectionPadding2D"
  readonly padding: number

  constructor(args: ReflectionPadding2DArgs) {
    super(args)
    if (!Number.isInteger(args.padding) || args.padding < 0) throw new Error(`ReflectionPadding2D: padding must be an integer >= 0, got ${args.padding}`)
    this.padding = args.padding
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, h, w, c] = inputShape as tf.Shape
    const p = this.padding
    return [b ?? null, h == null ? null : h + 2 * p, w == null ? null : w + 2 * p, c ?? null]
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
    return tfc.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tfc.Tensor4D
      const p = this.padding
      return tfc.mirrorPad(x, [[0, 0], [p, p], [p, p], [0, 0]], "reflect")
    })
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return { ...super.getConfig(), padding: this.padding }
  }
}
tfc.serialization.registerClass(ReflectionPadding2D, "ganflow")
